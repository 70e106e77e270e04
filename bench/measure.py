"""Measure one database at one scale; prints one JSON list of figures on stdout.

Run by bench/run.py in a fresh process per (database, scale), because Django's database settings are fixed at
start-up. Requests go through Django's test client (the whole stack except the network and the web server).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timed(fn: Callable[[], Any], repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def figures(name: str, samples: list[float], params: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": f"{name}.median",
            "value": round(statistics.median(samples), 2),
            "unit": "ms",
            "params": params,
        },
        {"name": f"{name}.p95", "value": round(percentile(samples, 0.95), 2), "unit": "ms", "params": params},
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--suite",
        choices=["devices", "intake", "refurbishment", "allocation", "reference"],
        default="devices",
    )
    parser.add_argument("--requests", type=int, default=25_000)
    args = parser.parse_args()

    if args.suite == "allocation":
        # The allocation engine is pure Python: no Django, no database.
        from bench.allocation import measure_allocation

        json.dump(measure_allocation(args.devices, args.requests, {"db": "none"}), sys.stdout)
        return

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devicebank.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from devicebank.devices.models import Device
    from devicebank.people.models import Membership, User
    from devicebank.people.roles import Role
    from devicebank.portal.synthetic import generate_synthetic

    call_command("migrate", verbosity=0)
    out: list[dict[str, Any]] = []
    params = {"devices": args.devices, "db": args.db}
    if args.suite == "reference":  # GIAS and postcodes need no devices
        from bench.reference import measure_gias_import, measure_postcode_load

        out += measure_gias_import(int(os.environ.get("BENCH_GIAS_ROWS", "25000")), params)
        out += measure_postcode_load(int(os.environ.get("BENCH_POSTCODE_ROWS", "500000")), params)
        json.dump(out, sys.stdout)
        return
    existing = Device.objects.filter(programme__slug="synthetic").count()
    if existing != args.devices:
        result = generate_synthetic(devices=args.devices)
        out.append(
            {
                "name": "devices.generate.rows_per_s",
                "value": round(result.devices / result.seconds),
                "unit": "rows/s",
                "params": params,
            }
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if args.suite == "intake":
        from bench.intake import measure_hardware_ingest, measure_register_import, measure_register_xlsx

        rows = int(os.environ.get("BENCH_REGISTER_ROWS", "100000"))
        out += measure_register_import(rows, params)
        out += measure_register_xlsx(params)
        out += measure_hardware_ingest(int(os.environ.get("BENCH_HARDWARE_FILES", "200")), params)
        from bench.sanitisation import measure_donation_certificates, measure_erasure_import

        out += measure_erasure_import(int(os.environ.get("BENCH_ERASURE_FILES", "200")), params)
        out += measure_donation_certificates(int(os.environ.get("BENCH_CERTIFICATE_DEVICES", "1000")), params)
        json.dump(out, sys.stdout)
        return
    if args.suite == "refurbishment":
        from bench.refurbishment import measure_refurbishment

        out += measure_refurbishment(params, repeat=args.repeat)
        json.dump(out, sys.stdout)
        return

    manager = User.objects.filter(email="bench-manager@example.org").first()
    if manager is None:
        manager = User.objects.create_user("bench-manager@example.org", "x" * 12)
    from devicebank.programmes.models import Programme

    programme = Programme.objects.get(slug="synthetic")
    Membership.objects.get_or_create(user=manager, organisation=programme.owner, role=Role.PROGRAMME_MANAGER)
    client = Client()
    client.force_login(manager)

    rng = random.Random(7)
    tags = list(
        Device.objects.filter(programme=programme).order_by("?").values_list("asset_tag", flat=True)[:200]
    )
    serials = list(
        Device.objects.filter(programme=programme, serial_key__isnull=False)
        .order_by("?")
        .values_list("serial_number", flat=True)[:200]
    )

    def get(url: str) -> Callable[[], Any]:
        def call() -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")

        return call

    cases: list[tuple[str, Callable[[], Any]]] = [
        ("devices.list", get("/devices/")),
        ("devices.list.filtered", get("/devices/?state=ready&device_type=laptop")),
        ("devices.list.last_page", get("/devices/?state=ready&page=last")),
        ("devices.search_serial", lambda: get(f"/devices/?q={rng.choice(serials)}")()),
        ("devices.page", lambda: get(f"/devices/{rng.choice(tags)}/")()),
        ("api.devices.list", get("/api/v1/devices/?state=ready")),
        ("api.devices.detail", lambda: get(f"/api/v1/devices/{rng.choice(tags)}/")()),
    ]
    for name, fn in cases:
        out += figures(name, timed(fn, args.repeat), params)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
