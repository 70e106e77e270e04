"""make bench: measure devicebank at scale, print a table, write bench/results/latest.json and a dated copy.

BENCH_SCALE=small runs 10k devices (a quick check); the default runs 100k and 1M. SQLite always; PostgreSQL
too when DATABASE_URL (or BENCH_PG_URL) names a server: the bench creates and reuses a database of its own
there (devicebank_bench_<devices>), never the one in DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCALES = {"small": [10_000], "default": [100_000, 1_000_000]}
# Allocation engine: (devices, requests). The target is 500,000 x 25,000 in 30 s or less.
ALLOCATION_SCALES = {"small": (50_000, 2_500), "default": (500_000, 25_000)}


def _pg_url(base: str, devices: int) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/devicebank_bench_{devices}"))


def _ensure_pg_database(url: str) -> None:
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        name = parts.path.lstrip("/")
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _recreate_pg_database(url: str) -> None:
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        name = parts.path.lstrip("/")
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def run_one(
    db: str, devices: int, env_extra: dict[str, str], suite: str = "devices", extra: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    env = {**os.environ, **env_extra, "DJANGO_SETTINGS_MODULE": "devicebank.settings_test"}
    repeat = os.environ.get("BENCH_REPEAT", "30")
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "bench.measure",
            "--devices",
            str(devices),
            "--db",
            db,
            "--repeat",
            repeat,
            "--suite",
            suite,
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        return [
            {"name": "bench.error", "value": 1, "unit": "error", "params": {"devices": devices, "db": db}}
        ]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _wanted(suite: str) -> bool:
    """BENCH_ONLY=reference,intake runs those suites only; unset runs them all."""
    only = os.environ.get("BENCH_ONLY", "")
    return not only or suite in {name.strip() for name in only.split(",")}


def _fresh_suite(suite: str, label: str, devices: int, pg_base: str | None) -> list[dict[str, Any]]:
    fresh = ROOT / "var" / "bench" / f"{suite}.sqlite3"
    fresh.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{fresh}{suffix}").unlink(missing_ok=True)
    print(f"... {label}, SQLite", flush=True)
    results = run_one("sqlite", devices, {"DATABASE_URL": f"sqlite:///{fresh}"}, suite=suite)
    if pg_base and pg_base.startswith("postgres"):
        url = _pg_url(pg_base, 0).replace("devicebank_bench_0", f"devicebank_bench_{suite}")
        _recreate_pg_database(url)
        print(f"... {label}, PostgreSQL", flush=True)
        results += run_one("postgresql", devices, {"DATABASE_URL": url}, suite=suite)
    return results


def _merged(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """With BENCH_ONLY, latest.json keeps the other suites' last figures and takes the new ones."""
    latest = RESULTS / "latest.json"
    if not os.environ.get("BENCH_ONLY") or not latest.exists():
        return results
    fresh = {(row["name"], row["params"].get("db")) for row in results}
    kept = [
        row for row in json.loads(latest.read_text()) if (row["name"], row["params"].get("db")) not in fresh
    ]
    return kept + results


def _allocation(scale: str) -> list[dict[str, Any]]:
    wanted = os.environ.get("BENCH_ALLOCATION")
    alloc_devices, alloc_requests = (
        tuple(int(n) for n in wanted.split(","))
        if wanted
        else ALLOCATION_SCALES.get(scale, ALLOCATION_SCALES["default"])
    )
    print(f"... allocation engine, {alloc_devices:,} devices x {alloc_requests:,} requests", flush=True)
    return run_one("none", alloc_devices, {}, suite="allocation", extra=("--requests", str(alloc_requests)))


def main() -> None:
    scale = os.environ.get("BENCH_SCALE", "default")
    sizes = SCALES.get(scale) or [int(size) for size in scale.split(",")]
    pg_base = os.environ.get("BENCH_PG_URL") or os.environ.get("DATABASE_URL")
    results: list[dict[str, Any]] = []
    for devices in sizes if _wanted("devices") else []:
        sqlite_path = ROOT / "var" / "bench" / f"sqlite-{devices}.sqlite3"
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        print(f"... SQLite, {devices:,} devices", flush=True)
        results += run_one("sqlite", devices, {"DATABASE_URL": f"sqlite:///{sqlite_path}"})
        if pg_base and pg_base.startswith("postgres"):
            url = _pg_url(pg_base, devices)
            _ensure_pg_database(url)
            print(f"... PostgreSQL, {devices:,} devices", flush=True)
            results += run_one("postgresql", devices, {"DATABASE_URL": url})

    # Intake, the workbench and reference data each run in a fresh database: their imports, pallets and schools
    # must not leak into the device figures or each other.
    for suite, label, devices in (
        ("intake", "intake", 10_000),
        ("refurbishment", "refurbishment", 10_000),
        ("reference", "reference data", 0),  # GIAS schools and the postcode directory: no devices needed
    ):
        if _wanted(suite):
            results += _fresh_suite(suite, label, devices, pg_base)

    # The allocation engine: pure Python, no database. BENCH_ALLOCATION=devices,requests overrides the scale.
    if _wanted("allocation"):
        results += _allocation(scale)

    print()
    print(f"{'figure':<48} {'db':<11} {'devices':>10} {'value':>12}  unit")
    for row in results:
        p = row["params"]
        print(
            f"{row['name']:<48} {p.get('db', ''):<11} {p.get('devices', 0):>10,} {row['value']:>12,}  {row['unit']}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(results, indent=1)
    (RESULTS / "latest.json").write_text(json.dumps(_merged(results), indent=1))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"{stamp}-{scale}.json").write_text(payload)
    print(f"\nWritten to {RESULTS / 'latest.json'} and {stamp}-{scale}.json")


if __name__ == "__main__":
    main()
