"""Intake figures: asset-register import rows/s beside a raw bulk insert of the same rows, and hardware
reports/s. Run in a fresh database of its own (bench/run.py makes one), never a shared one."""

from __future__ import annotations

import io
import json
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
T480 = ROOT / "devicebank" / "hardware" / "tests" / "fixtures" / "thinkpad-t480-nvme-usb-stick.lshw.json"
MAKERS = ["Dell Inc.", "HP", "LENOVO", "Acer", "Apple"]


def register_csv(rows: int, run: int) -> bytes:
    out = io.StringIO()
    out.write("Serial Number,Manufacturer,Model,Asset Tag,Type,CPU,RAM,Storage,Purchase Date\n")
    for i in range(rows):
        out.write(
            f"R{run:02d}X{i:08d},{MAKERS[i % 5]},Latitude 5490,DON-{i:06d},Laptop,Intel Core i5-8350U,"
            f"8 GB,256GB SSD,{1 + i % 28:02d}/0{1 + i % 9}/2019\n"
        )
    return out.getvalue().encode()


def measure_register_import(rows: int, params: dict[str, Any], runs: int = 3) -> list[dict[str, Any]]:
    from django.db import connection

    from devicebank.core.bulk import insert_rows
    from devicebank.donations.models import RegisterImport
    from devicebank.donations.services import donation_create, register_import_run, register_import_start
    from devicebank.programmes.models import Programme

    programme = Programme.objects.get(slug="synthetic")
    donor = _donor()
    totals, checks, writes, copies = [], [], [], []
    for run in range(runs):
        data = register_csv(rows, run)
        donation = donation_create(programme=programme, donor=donor, by=None)
        start = time.perf_counter()
        imp, _ = register_import_start(donation=donation, file_name=f"bench-{run}.csv", data=data, by=None)
        checked = time.perf_counter()
        assert imp.rows_valid == rows, (imp.rows_valid, imp.rows_rejected)
        RegisterImport.objects.filter(pk=imp.pk).update(
            status=RegisterImport.Status.QUEUED, mode=RegisterImport.Mode.ALL_OR_NOTHING
        )
        imp = register_import_run(import_id=imp.pk)
        done = time.perf_counter()
        assert imp.devices_created == rows, imp.error
        totals.append(done - start)
        checks.append(checked - start)
        writes.append(done - checked)
        # The physical limit: the same rows, already parsed, into a bare table by the same bulk path.
        copies.append(_raw_copy(rows, run, connection, insert_rows))
    median = statistics.median
    return [
        {
            "name": "intake.register_import.seconds",
            "value": round(median(totals), 2),
            "unit": "s",
            "params": {**params, "rows": rows, "runs": runs},
        },
        {
            "name": "intake.register_import.rows_per_s",
            "value": round(rows / median(totals)),
            "unit": "rows/s",
            "params": {**params, "rows": rows},
        },
        {
            "name": "intake.register_import.check_seconds",
            "value": round(median(checks), 2),
            "unit": "s",
            "params": {**params, "rows": rows},
        },
        {
            "name": "intake.register_import.write_seconds",
            "value": round(median(writes), 2),
            "unit": "s",
            "params": {**params, "rows": rows},
        },
        {
            "name": "intake.raw_bulk_insert.rows_per_s",
            "value": round(rows / median(copies)),
            "unit": "rows/s",
            "params": {
                **params,
                "rows": rows,
                "method": "COPY" if params["db"] == "postgresql" else "executemany",
            },
        },
        {
            "name": "intake.register_import.vs_raw_insert",
            "value": round(median(totals) / median(copies), 1),
            "unit": "x",
            "params": {**params, "rows": rows},
        },
    ]


def _donor() -> Any:
    from devicebank.people.models import Organisation
    from devicebank.people.roles import OrganisationKind

    return Organisation.objects.get_or_create(name="Bench donor", kind=OrganisationKind.DONOR)[0]


def _raw_copy(rows: int, run: int, connection: Any, insert_rows: Any) -> float:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_register")
        cursor.execute(
            "CREATE TABLE bench_raw_register (serial varchar(100), maker varchar(100), "
            "model varchar(200), tag varchar(100), kind varchar(20), cpu varchar(200), ram bigint, "
            "storage bigint, bought date)"
        )

    class Raw:
        class _meta:  # the shape insert_rows reads
            db_table = "bench_raw_register"

    values = [
        (
            f"C{run:02d}X{i:08d}",
            MAKERS[i % 5],
            "Latitude 5490",
            f"DON-{i:06d}",
            "laptop",
            "Intel Core i5-8350U",
            8 * 1024**3,
            256 * 10**9,
            f"2019-0{1 + i % 9}-{1 + i % 28:02d}",
        )
        for i in range(rows)
    ]
    start = time.perf_counter()
    from django.db import transaction

    with transaction.atomic():
        insert_rows(
            Raw, ["serial", "maker", "model", "tag", "kind", "cpu", "ram", "storage", "bought"], values
        )
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_register")
    return elapsed


def _rename_drives(node: Any, i: int) -> None:
    """Give each synthetic machine its own drive serials, as real machines have."""
    if isinstance(node, dict):
        if node.get("class") == "disk" and "serial" in node:
            node["serial"] = f"{node['serial'][:6]}{i:07d}"
        for child in node.get("children", []):
            _rename_drives(child, i)


def measure_hardware_ingest(files: int, params: dict[str, Any]) -> list[dict[str, Any]]:
    from devicebank.hardware.parsers import parse_hardware_report
    from devicebank.hardware.services import hardware_report_ingest
    from devicebank.people.models import Location
    from devicebank.programmes.models import Programme

    template = json.loads(T480.read_text())
    reports = []
    for i in range(files):
        template["serial"] = f"BENCHHW{i:07d}"
        _rename_drives(template, i)
        reports.append(json.dumps(template).encode())
    start = time.perf_counter()
    for i, data in enumerate(reports):
        parse_hardware_report(data, filename=f"r{i}.json")
    parse_s = time.perf_counter() - start
    programme = Programme.objects.get(slug="synthetic")
    location = Location.objects.filter(organisation__in=programme.partners.all()).first()
    start = time.perf_counter()
    for i, data in enumerate(reports):
        result = hardware_report_ingest(
            data=data, file_name=f"r{i}.json", by=None, programme=programme, location=location
        )
        assert result.outcome == "registered", result.json["error"]
    ingest_s = time.perf_counter() - start
    return [
        {
            "name": "intake.hardware.parse.files_per_s",
            "value": round(files / parse_s, 1),
            "unit": "files/s",
            "params": {**params, "files": files, "format": "lshw"},
        },
        {
            "name": "intake.hardware.ingest.files_per_s",
            "value": round(files / ingest_s, 1),
            "unit": "files/s",
            "params": {**params, "files": files, "format": "lshw"},
        },
    ]


def measure_register_xlsx(params: dict[str, Any]) -> list[dict[str, Any]]:
    """A 50 MB XLSX register inside the limits, and one over them, each imported in a process of its own: its
    peak resident memory (ru_maxrss) is the figure, beside the same process's before the file was read."""
    import os
    import subprocess
    import sys
    import zipfile

    from bench.xlsx import WORKBOOKS, write_register_xlsx

    out: list[dict[str, Any]] = []
    for kind, shape in WORKBOOKS.items():
        path = write_register_xlsx(ROOT / "var" / "bench" / f"register-{kind}.xlsx", **shape)
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "bench.xlsx", str(path)],
            cwd=ROOT,
            env=os.environ.copy(),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"bench.xlsx failed on {path.name}:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        figure = {
            **params,
            "file_mb": round(path.stat().st_size / 2**20, 1),
            "unpacked_mb": round(unpacked / 2**20),
            "rows": shape["rows"],
            "columns": 9 + shape["notes"],
            "outcome": result["status"],
        }
        if result.get("error"):
            figure["error"] = result["error"][:120]
        out += [
            {
                "name": f"intake.register_xlsx_{kind}.peak_rss_mb",
                "value": result["peak_rss_mb"],
                "unit": "MB",
                "params": {**figure, "baseline_rss_mb": result["baseline_rss_mb"]},
            },
            {
                "name": f"intake.register_xlsx_{kind}.check_seconds",
                "value": result["check_seconds"],
                "unit": "s",
                "params": figure,
            },
        ]
        if "import_seconds" in result:
            out.append(
                {
                    "name": f"intake.register_xlsx_{kind}.import_seconds",
                    "value": result["import_seconds"],
                    "unit": "s",
                    "params": {**figure, "devices": result.get("devices")},
                }
            )
        path.unlink()
    return out
