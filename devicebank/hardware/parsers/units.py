"""Byte sizes: formatting for the UI and reading the size strings the tools print.

Tools disagree on what "MB" means. dmidecode prints memory in binary units ("8192 MB" is 8 GiB); eReuse
Workbench prints pint quantities where "MB" is decimal and "mebibyte" is binary. Callers say which they mean.
"""

from __future__ import annotations

import math
import re
from typing import Final

_DECIMAL_UNITS: Final = ("B", "kB", "MB", "GB", "TB", "PB", "EB")
_BINARY_UNITS: Final = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")

_SI: Final = {"k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12, "p": 10**15}
_IEC: Final = {"k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40, "p": 2**50}
_LONG_NAMES: Final = {
    "kilobyte": ("k", False),
    "megabyte": ("m", False),
    "gigabyte": ("g", False),
    "terabyte": ("t", False),
    "petabyte": ("p", False),
    "kibibyte": ("k", True),
    "mebibyte": ("m", True),
    "gibibyte": ("g", True),
    "tebibyte": ("t", True),
    "pebibyte": ("p", True),
}
_QUANTITY = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$")


def _format(n: int, base: int, units: tuple[str, ...]) -> str:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"expected a whole number of bytes, got {n!r}")
    if n < 0:
        raise ValueError(f"a size cannot be negative: {n}")
    if n < base:
        return f"{n} B"
    exponent = min(int(math.log(n, base)), len(units) - 1)
    value = n / base**exponent
    # 999_960_000_000 rounds to "1000.0 GB": show "1.0 TB" instead.
    if round(value, 1) >= base and exponent < len(units) - 1:
        exponent += 1
        value = n / base**exponent
    return f"{value:.1f} {units[exponent]}"


def format_bytes_decimal(n: int) -> str:
    """Size in decimal units, as drive makers label them: 256060514304 -> "256.1 GB"."""
    return _format(n, 1000, _DECIMAL_UNITS)


def format_bytes_binary(n: int) -> str:
    """Size in binary units, as operating systems show them: 256060514304 -> "238.5 GiB"."""
    return _format(n, 1024, _BINARY_UNITS)


def size_to_bytes(text: str, *, megabyte_is_binary: bool) -> int | None:
    """Bytes in a size string ("16 GB", "8192 MB", "238.47 GiB", "1024.0 mebibyte"), or None if it is not one.

    Args:
        text: The size as printed.
        megabyte_is_binary: Whether a bare "kB/MB/GB/TB" means powers of 1024 (dmidecode) or 1000 (pint, disks).
    """
    match = _QUANTITY.match(text)
    if not match:
        return None
    number = float(match.group(1).replace(",", ""))
    unit = match.group(2).lower()
    if unit in {"", "b", "byte", "bytes"}:
        multiplier = 1
    elif unit in _LONG_NAMES:
        prefix, binary = _LONG_NAMES[unit]
        multiplier = (_IEC if binary else _SI)[prefix]
    elif len(unit) == 3 and unit.endswith("ib") and unit[0] in _IEC:
        multiplier = _IEC[unit[0]]
    elif len(unit) == 2 and unit.endswith("b") and unit[0] in _SI:
        multiplier = (_IEC if megabyte_is_binary else _SI)[unit[0]]
    else:
        return None
    return round(number * multiplier)
