"""Reading bytes tolerantly, and telling a real serial or model from a damaged or placeholder one.

Erasure tools copy drive identity strings straight from firmware, and some builds log garbage (nwipe 0.33 logs
uninitialised bytes as the serial of a drive that has none). The bytes are decoded with `surrogateescape`, so an
invalid byte survives as a lone surrogate that `describe` can show and `clean_identifier` can reject; nothing
damaged is ever passed on as if it were a real identifier.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

_PLACEHOLDERS: Final = frozenset(
    {
        "",
        "0",
        "00000000",
        "0000000000",
        "123456789",
        "0123456789",
        "1234567890",
        "none",
        "null",
        "n/a",
        "na",
        "unknown",
        "not specified",
        "not available",
        "not applicable",
        "default string",
        "to be filled by o.e.m.",
        "to be filled by oem",
        "system serial number",
        "chassis serial number",
        "serial number",
        "invalid",
        "empty",
        "--",
        "-",
    }
)
# What real drive and system serials are made of. Anything else (an "@", "$", "}") in a serial means the tool
# logged garbage, which happens when firmware returns nothing and the tool prints an uninitialised buffer.
_SERIAL_CHARS: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._:/+#-]*$")


def decode(data: bytes) -> str:
    """Bytes to text, keeping every invalid byte as a lone surrogate (U+DC80..U+DCFF) instead of failing."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", "surrogateescape")


def is_damaged(value: str) -> bool:
    """True when `value` holds a byte that is not text: an invalid byte, a control character, or U+FFFD."""
    for char in value:
        if "\udc80" <= char <= "\udcff" or char == "\ufffd":
            return True
        if unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            return True
    return False


def describe(value: str) -> str:
    """A printable, quoted form of `value` for a warning: invalid bytes and control characters as \\xNN."""
    shown = []
    for char in value:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            shown.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or code == 0x7F or unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            shown.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            shown.append(char)
    return '"' + "".join(shown) + '"'


def is_placeholder(value: str) -> bool:
    """True for the strings firmware and tools put where a serial should be ("To Be Filled By O.E.M.", "0000")."""
    folded = value.strip().casefold()
    if folded in _PLACEHOLDERS:
        return True
    # One character repeated ("XXXXXXXX", "????????", "00000000", "FFFFFFFF") is a mask or blank firmware field.
    return len(set(folded)) == 1 and len(folded) >= 3


@dataclass(frozen=True)
class Identifier:
    """A cleaned serial: the usable value, or None and the reason it was left out (a phrase for a warning)."""

    value: str | None
    problem: str | None = None


def clean_identifier(raw: str | None) -> Identifier:
    """Keep a serial only when it is plausibly real; otherwise say why it was left out.

    Returns:
        `Identifier(value)` for a usable serial (whitespace trimmed), or `Identifier(None, problem)` where
        `problem` is None when the source simply had no serial, and otherwise a clause saying what was wrong,
        to follow "left out because".
    """
    if raw is None:
        return Identifier(None)
    value = raw.strip()
    if not value:
        return Identifier(None)
    if set(value) == {"?"}:
        return Identifier(None, "the tool could not read it (it wrote question marks)")
    if set(value.upper()) == {"X"}:
        return Identifier(None, "it was masked (all X, as nwipe's -q option writes)")
    if is_damaged(value) or not _SERIAL_CHARS.match(value):
        return Identifier(None, f"it is damaged ({describe(value)} holds characters no serial has)")
    if is_placeholder(value):
        return Identifier(None, f"it is only the placeholder {describe(value)}")
    return Identifier(value)


def clean_text(raw: str | None) -> tuple[str | None, bool]:
    """A model or other free text: (trimmed value or None, True when it was dropped because it was damaged)."""
    if raw is None:
        return None, False
    value = " ".join(raw.split())
    if not value:
        return None, False
    if is_damaged(value):
        return None, True
    return value, False
