"""What may not go into an event: personal data and free text.

Events are immutable, so nothing in them can ever be erased. They reference records by id; names, addresses,
notes and reasons live in records that can be corrected or erased (`core.models.Note` for the words written with
an event). `personal_data_in` finds what breaks the rule in an event's data; with
`DEVICEBANK_CHECK_EVENT_DATA` on (the test settings), `record_event` and the bulk event writers refuse it, so every
service the suite runs is checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Keys that name personal data or words someone typed.
PERSONAL_KEYS = frozenset(
    {
        "address",
        "birth_date",
        "collected_by",
        "collector",
        "comment",
        "comments",
        "contact",
        "date_of_birth",
        "description",
        "dob",
        "email",
        "file",
        "file_name",
        "first_name",
        "full_name",
        "last_name",
        "mobile",
        "name",
        "note",
        "notes",
        "phone",
        "postcode",
        "reason",
        "received_by",
        "recycler",
        "telephone",
        "text",
    }
)
# Parts of a key that mark it as personal whatever it is joined to ("donor_name", "consignment_note").
PERSONAL_KEY_PARTS = frozenset({"name", "email", "phone", "postcode", "address", "note", "notes", "reason"})
# Words about a device, its software or a checklist, never about a person: they may hold spaces.
DESCRIPTIVE_KEYS = frozenset(
    {"manufacturer", "model", "cpu_model", "image_name", "image_version", "tool", "label"}
)

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
UK_PHONE = re.compile(r"(?:\+44\s?|\b0)(?:\d\s?){9,10}\b")
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)


def personal_data_in(data: Any, path: str = "data") -> list[str]:
    """Every place in an event's data that looks like personal data or free text, as "data.key: why"."""
    found: list[str] = []
    if isinstance(data, Mapping):
        for key, value in data.items():
            where = f"{path}.{key}"
            if _personal_key(str(key)):
                found.append(f"{where}: the key names personal data or free text")
            elif isinstance(value, str) and str(key) not in DESCRIPTIVE_KEYS:
                found += _check_text(value, where)
            elif isinstance(value, str):
                found += _check_text(value, where, free_text_allowed=True)
            else:
                found += personal_data_in(value, where)
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            found += personal_data_in(value, f"{path}[{i}]")
    elif isinstance(data, str):
        found += _check_text(data, path)
    return found


def _personal_key(key: str) -> bool:
    key = key.lower()
    return key in PERSONAL_KEYS or (
        key not in DESCRIPTIVE_KEYS and bool(PERSONAL_KEY_PARTS.intersection(key.split("_")))
    )


def _check_text(value: str, where: str, *, free_text_allowed: bool = False) -> list[str]:
    if EMAIL.search(value):
        return [f"{where}: looks like an email address"]
    if UK_POSTCODE.search(value):
        return [f"{where}: looks like a postcode"]
    if UK_PHONE.search(value):
        return [f"{where}: looks like a phone number"]
    if not free_text_allowed and re.search(r"\s", value.strip()):
        return [f"{where}: words with spaces are free text; keep them in a record and give its id"]
    return []


class PersonalDataInEvent(AssertionError):
    """An event was about to keep personal data or free text (raised only with DEVICEBANK_CHECK_EVENT_DATA)."""


def check_event(kind: str, reason: str, data: Any) -> None:
    """Raise PersonalDataInEvent if this event would keep personal data or free text."""
    problems = personal_data_in(data)
    if reason:
        problems.append("reason: events keep no words; record_event writes them to a Note")
    if problems:
        raise PersonalDataInEvent(f"{kind}: " + "; ".join(problems))
