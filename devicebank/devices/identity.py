"""How devices are identified: serial numbers, placeholder serials and manufacturer names.

Firmware often carries a placeholder instead of a real serial ("To Be Filled By O.E.M.", "Default string",
"0"). Those are treated as missing, never as an identity; otherwise two unrelated machines would merge.
"""

from __future__ import annotations

import re

_PLACEHOLDER_SERIALS = {
    "TOBEFILLEDBYOEM",
    "TOBEFILLEDBYOEMTOBEFILLEDBYOEM",
    "SYSTEMSERIALNUMBER",
    "CHASSISSERIALNUMBER",
    "BASEBOARDSERIALNUMBER",
    "DEFAULTSTRING",
    "DEFAULT",
    "NOTSPECIFIED",
    "NOTAPPLICABLE",
    "NOTAVAILABLE",
    "NOTSET",
    "NONE",
    "NULL",
    "NA",
    "UNKNOWN",
    "INVALID",
    "EMPTY",
    "OEM",
    "SERIAL",
    "SERIALNUMBER",
    "SN",
    "0123456789",
    "123456789",
    "1234567890",
    "12345678",
    "ABCDEFGHIJ",
    "XXXXXXXXXX",
    "SERNUM0",
    "TBD",
    "TBDBYOEM",
    "FILLEDBYOEM",
    "MB1234567890",
}
_SEPARATORS = re.compile(r"[\s\-_./:#]+")
_ALL_SAME = re.compile(r"^(.)\1*$")


def serial_key(raw: str | None) -> str | None:
    """Normalised serial used for matching and uniqueness, or None when missing or a placeholder.

    Case, spaces and separators are ignored ("5CG-123 4ab" == "5CG1234AB"), as labels and firmware disagree
    on them.
    """
    if raw is None:
        return None
    text = "".join(ch for ch in str(raw) if ch.isprintable()).strip()
    key = _SEPARATORS.sub("", text).upper()
    if not key or len(key) < 3:
        return None
    if key in _PLACEHOLDER_SERIALS or key.startswith("TOBEFILLEDBY"):
        return None
    if _ALL_SAME.match(key):  # "0000000", "XXXXXXXX", "........"
        return None
    return key


def clean_serial(raw: str | None) -> str | None:
    """The serial as printed (trimmed), or None when it is missing or a placeholder."""
    if serial_key(raw) is None:
        return None
    return " ".join(str(raw).split())


_MANUFACTURER_ALIASES = {
    "dell": "Dell",
    "dellinc": "Dell",
    "dellcomputercorporation": "Dell",
    "hp": "HP",
    "hewlettpackard": "HP",
    "hewlettpackardcompany": "HP",
    "hpinc": "HP",
    "hpe": "HPE",
    "lenovo": "Lenovo",
    "ibm": "IBM",
    "apple": "Apple",
    "appleinc": "Apple",
    "applecomputerinc": "Apple",
    "acer": "Acer",
    "acerinc": "Acer",
    "asus": "ASUS",
    "asustekcomputerinc": "ASUS",
    "asustekcomputer": "ASUS",
    "toshiba": "Toshiba",
    "dynabook": "Dynabook",
    "dynabookinc": "Dynabook",
    "microsoft": "Microsoft",
    "microsoftcorporation": "Microsoft",
    "samsung": "Samsung",
    "samsungelectronicscoltd": "Samsung",
    "fujitsu": "Fujitsu",
    "fujitsusiemens": "Fujitsu",
    "google": "Google",
    "msi": "MSI",
    "microstarinternationalcoltd": "MSI",
    "panasonic": "Panasonic",
    "panasoniccorporation": "Panasonic",
    "sony": "Sony",
    "sonycorporation": "Sony",
    "lg": "LG",
    "lgelectronics": "LG",
    "gigabyte": "Gigabyte",
    "gigabytetechnologycoltd": "Gigabyte",
    "intel": "Intel",
    "intelcorporation": "Intel",
    "getac": "Getac",
    "vaio": "VAIO",
    "vaiocorporation": "VAIO",
}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def canonical_manufacturer(raw: str | None) -> str:
    """One spelling per maker ("Dell Inc." and "DELL" are both "Dell"); unknown makers are kept as typed."""
    if raw is None:
        return ""
    text = " ".join(str(raw).split())
    if not text:
        return ""
    key = _NON_ALNUM.sub("", text.lower())
    if key in {"tobefilledbyoem", "systemmanufacturer", "defaultstring", "notspecified", "oem", "unknown"}:
        return ""
    return _MANUFACTURER_ALIASES.get(key, text)


def manufacturer_key(raw: str | None) -> str:
    """Case- and punctuation-insensitive maker key used in the (manufacturer, serial) uniqueness rule."""
    return _NON_ALNUM.sub("", canonical_manufacturer(raw).lower())
