"""Asset registers: a donor's spreadsheet of the devices they give, read into validated rows.

No database access (it uses only the device enums and the site's time zone from Django); the donations
services do the rest: duplicates against stock, the import itself. docs/asset-register-import.md describes
what is accepted, for the people who upload.

    table = read_table(data, filename="laptops.xlsx")   # RegisterFileError for a file that cannot be used
    mapping = guess_mapping(table.headers)               # or apply_mapping_choice(...) after the person confirms
    rows = parse_rows(table, mapping)                    # never raises for a bad cell
    report = rejected_rows_csv(rows)
"""

from devicebank.donations.register.errors import RegisterFileError
from devicebank.donations.register.fields import (
    HEADER_SYNONYMS,
    REGISTER_FIELDS,
    HeaderMapping,
    apply_mapping_choice,
    guess_mapping,
    header_field,
)
from devicebank.donations.register.report import file_fingerprint, neutralise_cell, rejected_rows_csv
from devicebank.donations.register.rows import RegisterRow, parse_rows
from devicebank.donations.register.table import MAX_BYTES, MAX_ROWS, Table, check_size, precheck, read_table

__all__ = [
    "HEADER_SYNONYMS",
    "MAX_BYTES",
    "MAX_ROWS",
    "REGISTER_FIELDS",
    "HeaderMapping",
    "RegisterFileError",
    "RegisterRow",
    "Table",
    "apply_mapping_choice",
    "check_size",
    "file_fingerprint",
    "guess_mapping",
    "header_field",
    "neutralise_cell",
    "parse_rows",
    "precheck",
    "read_table",
    "rejected_rows_csv",
]
