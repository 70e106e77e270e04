"""Checking licence keys and COA numbers before they are encrypted. Error messages never repeat the value.

Windows product key: 25 characters in five groups of five, `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`, from Microsoft's
24-character key alphabet `BCDFGHJKMPQRTVWXY2346789` (no vowels, no 0/1/5, no L/S/Z: they are easily misread).
Keys for Windows 8 and later also carry exactly one `N`, which marks where a character was inserted, so
`N` is accepted once. Typed with spaces, without hyphens or in lower case it is normalised.

Certificate of authenticity (COA) number: Microsoft publishes no single format (OEM labels carry a product ID
such as `00330-80000-00000-AA123`, MAR labels a part number such as `X21-12345` and a serial), so we accept
what such labels print: 8 to 30 characters of letters, digits and hyphens, with at least 5 digits, and
normalise to upper case without spaces.
"""

from __future__ import annotations

import re

from devicebank.core.errors import DomainError

KEY_ALPHABET = "BCDFGHJKMNPQRTVWXY2346789"
_KEY_FORMAT = (
    "A Windows product key is 25 characters in five groups of five (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX), using only "
    "B C D F G H J K M P Q R T V W X Y 2 3 4 6 7 8 9 and at most one N."
)
_COA = re.compile(r"^[A-Z0-9-]{8,30}$")


def normalise_product_key(text: str, *, field: str = "licence_key") -> str:
    """The key as XXXXX-XXXXX-XXXXX-XXXXX-XXXXX, or DomainError saying what a key looks like."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if len(compact) != 25 or any(ch not in KEY_ALPHABET for ch in compact) or compact.count("N") > 1:
        raise DomainError(_KEY_FORMAT, field=field)
    return "-".join(compact[i : i + 5] for i in range(0, 25, 5))


def normalise_coa_number(text: str, *, field: str = "coa_number") -> str:
    compact = re.sub(r"\s", "", text).upper()
    if not _COA.match(compact) or sum(ch.isdigit() for ch in compact) < 5 or compact.strip("-") != compact:
        raise DomainError(
            "A COA number is 8 to 30 letters, digits and hyphens with at least 5 digits, as printed on the "
            "certificate of authenticity label.",
            field=field,
        )
    return compact


def hint_for(value: str) -> str:
    """The last 5 characters: enough to match a label, not enough to use."""
    return value.replace("-", "")[-5:]
