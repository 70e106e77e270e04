"""UK postcodes: check one, normalise it, split off its district.

Every form that asks for a postcode uses `PostcodeField`; every lookup uses `postcode_key` (upper case, no
spaces), the form the postcode directory is stored under.

The pattern is the published UK format (A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA, and GIR 0AA) with
Royal Mail's letter rules: no Q, V or X first; no I, J or Z second; only ABCDEFGHJKPSTUW third in A9A; only
ABEHMNPRVWXY fourth in AA9A; no C, I, K, M, O or V in the inward part. Those rules catch the common typing slips
(O for 0, I for 1). It is a dozen lines, so it is written here rather than taken from django-localflavor (10 MB
and python-stdnum for one regular expression).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

_OUTWARD = (
    "(?:[A-PR-UWYZ][0-9]{1,2}"  # A9, A99
    "|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"  # AA9, AA99
    "|[A-PR-UWYZ][0-9][A-HJKPSTUW]"  # A9A
    "|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"  # AA9A
)
_INWARD = "[0-9][ABD-HJLNP-UW-Z]{2}"
_KEY = re.compile(f"^(?:(?P<outward>{_OUTWARD})(?P<inward>{_INWARD})|(?P<gir>GIR0AA))$")
_SPACES = re.compile(r"\s+")
_OUTWARD_ONLY = re.compile(f"^{_OUTWARD}$")

INVALID_MESSAGE = "Enter a full UK postcode, like SW1A 1AA"


class InvalidPostcode(ValueError):
    pass


def normalise_postcode(text: str) -> str:
    """Upper case with every space removed (no check): how postcodes are keyed and compared."""
    return _SPACES.sub("", text or "").upper()


def postcode_key(text: str) -> str | None:
    """The normalised postcode ("SW1A1AA"), or None when `text` is not a UK postcode."""
    key = normalise_postcode(text)
    return key if len(key) <= 7 and _KEY.match(key) else None


def is_valid_postcode(text: str) -> bool:
    return postcode_key(text) is not None


def format_postcode(text: str) -> str:
    """The postcode as written on a letter: upper case, one space before the last three characters.

    Raises:
        InvalidPostcode: `text` is not a UK postcode.
    """
    key = postcode_key(text)
    if key is None:
        raise InvalidPostcode(INVALID_MESSAGE)
    return f"{key[:-3]} {key[-3:]}"


def postcode_district(text: str) -> str:
    """The outward code ("SW1A" of "SW1A 1AA"): the postcode district areas are matched on without a lookup.

    Raises:
        InvalidPostcode: `text` is not a UK postcode.
    """
    return format_postcode(text).split(" ")[0]


def is_postcode_district(text: str) -> bool:
    """True for an outward code on its own ("N11", "SW1A"), as a programme's area lists them."""
    return bool(_OUTWARD_ONLY.match(normalise_postcode(text)))


def validate_postcode(value: str) -> None:
    """A Django validator for model and form fields."""
    if not is_valid_postcode(value):
        raise ValidationError(INVALID_MESSAGE, code="invalid_postcode")


class PostcodeField(forms.CharField):
    """A form field for a UK postcode; cleans to the letter form ("SW1A 1AA") and keeps what was typed on error."""

    default_error_messages = {"invalid_postcode": INVALID_MESSAGE, "required": "Enter a postcode"}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 16)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if text in self.empty_values:
            return ""
        try:
            return format_postcode(text)
        except InvalidPostcode as exc:
            raise ValidationError(self.error_messages["invalid_postcode"], code="invalid_postcode") from exc
