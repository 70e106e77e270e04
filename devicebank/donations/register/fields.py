"""Register fields and how a donor's column headers map onto them.

Headers are matched by a key that ignores case, spaces, punctuation, a size unit ("RAM (GB)") and filler
words ("Installed RAM", "Date of purchase"), so "Serial No.", "serial_no" and "SERIAL NO" are one header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from devicebank.donations.register.errors import RegisterFileError
from devicebank.donations.register.values import clean_line

REGISTER_FIELDS: dict[str, str] = {
    "serial_number": "Serial number",
    "manufacturer": "Manufacturer",
    "model": "Model",
    "asset_tag": "Donor's asset tag",
    "device_type": "Device type",
    "cpu_model": "CPU",
    "ram_bytes": "RAM",
    "storage_bytes": "Storage",
    "storage_kind": "Storage type",
    "purchase_date": "Purchase date",
    "notes": "Notes",
}

# The headers each field is recognised by, as a person would write them. docs/asset-register-import.md
# lists the same table (a test checks it).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "serial_number": (
        "Serial",
        "Serial Number",
        "Serial No",
        "Serial Num",
        "S/N",
        "SN",
        "Serial #",
        "Service Tag",
        "Device Serial",
        "System Serial Number",
    ),
    "manufacturer": ("Manufacturer", "Make", "Vendor", "Brand", "Maker", "Mfr", "OEM"),
    "model": ("Model", "Model Name", "Model Number", "Model No", "Product", "Product Name", "Make/Model"),
    "asset_tag": (
        "Asset Tag",
        "Asset Number",
        "Asset No",
        "Asset ID",
        "Asset",
        "Asset Ref",
        "Tag",
        "Tag Number",
        "Inventory Number",
    ),
    "device_type": (
        "Type",
        "Category",
        "Device Type",
        "Asset Type",
        "Device Category",
        "Equipment Type",
        "Form Factor",
    ),
    "cpu_model": ("CPU", "Processor", "CPU Model", "Processor Type"),
    "ram_bytes": ("RAM", "Memory", "Memory (GB)", "RAM (MB)", "Mem", "System Memory", "Installed RAM"),
    "storage_bytes": (
        "Storage",
        "HDD",
        "SSD",
        "Disk",
        "Hard Drive",
        "Hard Disk",
        "Drive",
        "HDD/SSD",
        "Storage (GB)",
        "Disk Size",
    ),
    "storage_kind": ("Storage Type", "Drive Type", "Disk Type", "HDD Type", "Storage Kind"),
    "purchase_date": (
        "Purchase Date",
        "Date Purchased",
        "Purchased",
        "Acquired",
        "Date Acquired",
        "Acquisition Date",
        "Date of Purchase",
    ),
    "notes": ("Notes", "Note", "Comments", "Comment", "Remarks"),
}

IDENTITY_FIELDS = ("serial_number", "asset_tag")
_UNITS = frozenset({"b", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib", "bytes"})
_FILLER = frozenset({"in", "of", "the", "size", "capacity", "total", "installed", "amount"})
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")


def header_key(header: str) -> str:
    """The matching key of a header: lower-case letters and digits, without units and filler words."""
    tokens = re.findall(r"[a-z0-9]+", clean_line(header).lower())
    return "".join(token for token in tokens if token not in _UNITS and token not in _FILLER)


_FIELD_BY_KEY: dict[str, str] = {
    header_key(synonym): name for name, synonyms in HEADER_SYNONYMS.items() for synonym in synonyms
}


def header_field(header: str) -> str | None:
    """The register field a header names, or None. "Serial Number (S/N)" is tried without its brackets too."""
    key = header_key(header)
    if key in _FIELD_BY_KEY:
        return _FIELD_BY_KEY[key]
    return _FIELD_BY_KEY.get(header_key(_BRACKETED.sub(" ", header)))


def column_name(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> "A", 27 -> "AB"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class HeaderMapping:
    """Which column holds which register field.

    Attributes:
        columns: field name -> 0-based column index.
        unmapped: headers no field was found for (the confirm screen asks the person about them).
        problems: what stops the mapping being used; `parse_rows` refuses a mapping with problems.
    """

    columns: dict[str, int]
    unmapped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_choice(self, headers: list[str]) -> dict[str, str | None]:
        """header -> field (or None), the shape `apply_mapping_choice` takes: to pre-fill the confirm screen."""
        by_index = {index: name for name, index in self.columns.items()}
        return {header: by_index.get(index) for index, header in enumerate(headers)}


def _columns_text(headers: list[str], indexes: list[int]) -> str:
    return " and ".join(f'"{headers[i]}" (column {column_name(i)})' for i in indexes)


def _missing_identity_message(headers: list[str]) -> str:
    found = ", ".join(f'"{header}"' for header in headers)
    return (
        f"Missing serial column: no column looks like a serial number or an asset tag (columns found: {found}). "
        'Name the column "Serial number" or "Asset tag" and upload the file again.'
    )


def guess_mapping(headers: list[str]) -> HeaderMapping:
    """Map headers to fields by their names.

    Raises:
        RegisterFileError: two columns name the same field, or no column holds a serial number or asset tag.
    """
    found: dict[str, list[int]] = {}
    unmapped: list[str] = []
    for index, header in enumerate(headers):
        name = header_field(header)
        if name is None:
            if header not in unmapped:
                unmapped.append(header)
        else:
            found.setdefault(name, []).append(index)
    clashes = [
        f"{_columns_text(headers, indexes)} {'both' if len(indexes) == 2 else 'all'} look like the "
        f"{REGISTER_FIELDS[name].lower()}"
        for name, indexes in found.items()
        if len(indexes) > 1
    ]
    if clashes:
        raise RegisterFileError(
            f"Duplicate headers: {'; '.join(clashes)}. Delete or rename all but one of them and upload the "
            "file again."
        )
    if not any(name in found for name in IDENTITY_FIELDS):
        raise RegisterFileError(_missing_identity_message(headers))
    return HeaderMapping(columns={name: indexes[0] for name, indexes in found.items()}, unmapped=unmapped)


def apply_mapping_choice(headers: list[str], choice: dict[str, str | None]) -> HeaderMapping:
    """The mapping after the person's answers on the confirm screen.

    Args:
        headers: the file's headers.
        choice: header -> field name, or None (or "") to ignore the column. Headers left out keep the
            guess from their name.

    Returns:
        The mapping; `problems` says what the person has to change (a field chosen twice, an unknown
        field or header, no serial or asset-tag column). It never raises.
    """
    problems = [f'There is no column "{header}" in the file.' for header in choice if header not in headers]
    problems += [
        f'"{name}" is not a register field.'
        for name in choice.values()
        if name and name not in REGISTER_FIELDS
    ]
    found: dict[str, list[int]] = {}
    unmapped: list[str] = []
    for index, header in enumerate(headers):
        name = choice[header] if header in choice else header_field(header)
        if not name:
            if header not in choice and header not in unmapped:
                unmapped.append(header)
            continue
        if name in REGISTER_FIELDS:
            found.setdefault(name, []).append(index)
    for name, indexes in found.items():
        if len(indexes) > 1:
            problems.append(
                f"{REGISTER_FIELDS[name]} is chosen for more than one column: {_columns_text(headers, indexes)}."
            )
    if not any(name in found for name in IDENTITY_FIELDS):
        problems.append(
            "Missing serial column: choose the column that holds the serial number or the donor's asset tag."
        )
    return HeaderMapping(
        columns={name: indexes[0] for name, indexes in found.items()}, unmapped=unmapped, problems=problems
    )
