"""Reading JSON with messages a person can act on ("truncated JSON at line 120"), and lshw's known broken JSON.

lshw 02.18 with `-C` prints several top-level objects without a surrounding list, and some builds leave a
trailing comma before a closing bracket. `load_lshw_json` repairs exactly those two faults and says so; any
other damage is reported, not guessed around.
"""

from __future__ import annotations

import json
import re
from typing import Any

from devicebank.hardware.parsers.report import HardwareReportError

_STRING_OR_TRAILING_COMMA = re.compile(r'"(?:\\.|[^"\\])*"|,(\s*[}\]])')
_JSON_STRING = re.compile(r'"(?:\\.|[^"\\])*"')
_WHITESPACE_AND_COMMAS = re.compile(r"[\s,]*")


def _unclosed_brackets(text: str) -> int:
    """How many `{`/`[` are still open at the end, ignoring brackets inside strings."""
    bare = _JSON_STRING.sub('""', text)
    return (bare.count("{") + bare.count("[")) - (bare.count("}") + bare.count("]"))


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def describe_json_error(text: str, error: json.JSONDecodeError) -> str:
    """Plain message for a JSON error: truncation is named as such, with the line where the file stops."""
    stripped = text.rstrip()
    if (
        error.pos >= len(stripped)
        or _unclosed_brackets(text) > 0
        or error.msg.startswith("Unterminated string")
    ):
        return f"truncated JSON at line {_line_of(text, len(stripped))}: the file stops before the data ends"
    return f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"


def load_json(text: str) -> Any:
    """Parse JSON, allowing raw control characters inside strings (tools print them from firmware)."""
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        raise HardwareReportError(describe_json_error(text, exc)) from None
    except RecursionError:
        raise HardwareReportError("invalid JSON: nested too deeply to be a hardware report") from None
    except ValueError:  # e.g. a number with more digits than Python will convert
        raise HardwareReportError("invalid JSON: a number too long to be real hardware data") from None


def _remove_trailing_commas(text: str) -> str:
    return _STRING_OR_TRAILING_COMMA.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(0), text)


def _top_level_values(text: str) -> list[Any]:
    """Every JSON value in `text`, one after another, allowing commas between them (lshw 02.18 `-C`)."""
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    pos = _WHITESPACE_AND_COMMAS.match(text).end()  # type: ignore[union-attr]
    while pos < len(text):
        value, pos = decoder.raw_decode(text, pos)
        values.append(value)
        pos = _WHITESPACE_AND_COMMAS.match(text, pos).end()  # type: ignore[union-attr]
    return values


def load_lshw_json(text: str) -> tuple[Any, list[str]]:
    """Parse lshw JSON, repairing lshw 02.18's known faults.

    Returns:
        (data, warnings): data is a dict (one machine) or a list (class-filtered output); warnings say what
        was repaired.
    """
    try:
        return json.loads(text, strict=False), []
    except json.JSONDecodeError as exc:
        first_error = exc
    except RecursionError:
        raise HardwareReportError("invalid JSON: nested too deeply to be a hardware report") from None
    except ValueError:
        raise HardwareReportError("invalid JSON: a number too long to be real hardware data") from None
    repaired = _remove_trailing_commas(text)
    try:
        values = _top_level_values(repaired)
    except json.JSONDecodeError:
        raise HardwareReportError(describe_json_error(text, first_error)) from None
    except RecursionError:
        raise HardwareReportError("invalid JSON: nested too deeply to be a hardware report") from None
    except ValueError:
        raise HardwareReportError("invalid JSON: a number too long to be real hardware data") from None
    faults = []
    if repaired != text:
        faults.append("trailing commas")
    if len(values) > 1:
        faults.append(f"{len(values)} top-level objects without a list")
    if not faults:
        faults.append("a stray comma after the data")
    note = f"Repaired lshw's known broken JSON ({' and '.join(faults)}; lshw 02.18 with -C does this)."
    data: Any = values[0] if len(values) == 1 else values
    return data, [note]
