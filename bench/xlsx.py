"""Asset registers as Excel writes them, at any size, without holding the workbook in memory.

The XML is written straight into the zip (shared strings, as Excel stores text), so a 50 MB workbook is made in
seconds with a few MB of memory, and the figures measure the reader, not the generator.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MAKERS = ["Dell Inc.", "HP", "LENOVO", "Acer", "Apple"]
HEADERS = [
    "Serial Number",
    "Manufacturer",
    "Model",
    "Asset Tag",
    "Type",
    "CPU",
    "RAM",
    "Storage",
    "Purchase Date",
]
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def write_register_xlsx(path: Path, *, rows: int, notes: int = 0, note_words: int = 4, seed: int = 7) -> Path:
    """Write a register workbook: the usual columns, plus `notes` columns of free text unique to each row
    (what makes real registers big: locations, users, comments)."""
    rng = random.Random(seed)
    headers = HEADERS + [f"Note {n + 1}" for n in range(notes)]
    letters = [_column(i) for i in range(len(headers))]
    strings: dict[str, int] = {}
    order: list[str] = []

    def index_of(text: str) -> int:
        found = strings.get(text)
        if found is None:
            found = strings[text] = len(order)
            order.append(text)
        return found

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for number in range(1, rows + 2):
                if number == 1:
                    values: list[str | int] = list(headers)
                else:
                    i = number - 2
                    serial = "".join(rng.choices(_ALNUM, k=10))
                    values = [
                        serial,
                        MAKERS[i % 5],
                        "Latitude 5490",
                        f"DON-{i:06d}",
                        "Laptop",
                        "Intel Core i5-8350U",
                        8,
                        "256GB SSD",
                        f"{1 + i % 28:02d}/0{1 + i % 9}/2019",
                    ]
                    values += [
                        " ".join(rng.choices(_WORDS, k=note_words)) + f" {rng.randrange(10**6)}"
                        for _ in range(notes)
                    ]
                cells = []
                for letter, value in zip(letters, values, strict=False):
                    if isinstance(value, int):
                        cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
                    else:
                        cells.append(f'<c r="{letter}{number}" t="s"><v>{index_of(value)}</v></c>')
                sheet.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as shared:
            shared.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                + f'count="{len(order)}" uniqueCount="{len(order)}">'.encode()
            )
            for start in range(0, len(order), 10_000):
                shared.write(
                    "".join(f"<si><t>{escape(t)}</t></si>" for t in order[start : start + 10_000]).encode()
                )
            shared.write(b"</sst>")
    return path


_WORDS = [
    "store",
    "room",
    "cupboard",
    "office",
    "floor",
    "annex",
    "block",
    "east",
    "west",
    "north",
    "south",
    "finance",
    "hr",
    "it",
    "desk",
    "spare",
    "returned",
    "loan",
    "staff",
    "pupil",
    "lab",
    "library",
    "reception",
    "broken",
    "charger",
    "missing",
    "keyboard",
    "screen",
    "scratched",
    "good",
    "fair",
]


# --- one import in a process of its own, so its peak memory is its own -------------------------------------
# Two 50 MB workbooks: one inside every limit (180,000 rows x 16 columns, 2.9 million filled cells, about 300
# MB unpacked), and one over the cell limit (150,000 rows x 29 columns), which must be refused early.
WORKBOOKS = {
    "accepted": {"rows": 180_000, "notes": 7, "note_words": 20},
    "refused": {"rows": 150_000, "notes": 20},
}


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: Linux keeps that across exec, so a child
    started by a big parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (the figure needs Linux)")


def run_one_import(path: Path) -> dict[str, float | int | str]:
    """Upload, check, confirm the columns and import the workbook as the services do for a person (the check
    and the import are background jobs, run here in this process as eager Celery does); returns seconds and the
    process's peak resident memory before the file was read and at the end."""
    import time

    from django.test import override_settings

    from bench.intake import _donor
    from devicebank.donations.models import RegisterImport
    from devicebank.donations.services import (
        donation_create,
        register_import_check,
        register_import_run,
        register_import_set_mapping,
        register_import_start,
    )
    from devicebank.programmes.models import Programme

    programme = Programme.objects.get(slug="synthetic")
    donation = donation_create(programme=programme, donor=_donor(), by=None)
    baseline = _peak_rss_mb()
    data = path.read_bytes()
    start = time.perf_counter()
    with override_settings(DEVICEBANK_REGISTER_CHECK_IN_REQUEST_BYTES=1024 * 1024):
        imp, _ = register_import_start(donation=donation, file_name=path.name, data=data, by=None)
    del data
    imp = register_import_check(import_id=imp.pk)  # a no-op when eager Celery already ran it on commit
    imp.refresh_from_db()
    if imp.status == RegisterImport.Status.NEEDS_MAPPING:  # the note columns: the person says "ignore"
        imp = register_import_set_mapping(
            imp=imp, choice={h: None for h in imp.headers if h.startswith("Note ")}, by=None
        )
    checked = time.perf_counter()
    result: dict[str, float | int | str] = {
        "status": imp.status,
        "error": imp.error,
        "rows": imp.rows_total,
        "check_seconds": round(checked - start, 2),
        "check_peak_rss_mb": round(_peak_rss_mb()),
    }
    if imp.status == RegisterImport.Status.VALIDATED:
        RegisterImport.objects.filter(pk=imp.pk).update(
            status=RegisterImport.Status.QUEUED, mode=RegisterImport.Mode.VALID_ROWS
        )
        imp = register_import_run(import_id=imp.pk)
        result.update(status=imp.status, devices=imp.devices_created)
        result["import_seconds"] = round(time.perf_counter() - checked, 2)
    result.update(baseline_rss_mb=round(baseline), peak_rss_mb=round(_peak_rss_mb()))
    return result


def main() -> None:
    import json
    import os
    import sys

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devicebank.settings_test")
    import django

    django.setup()
    json.dump(run_one_import(Path(sys.argv[1])), sys.stdout)


if __name__ == "__main__":
    main()
