"""Allocation engine figures: 500,000 devices x 25,000 requests end to end, and the LP optimum as a yardstick.

Synthetic but shaped like the programmes in the issues: four device types with real-looking specifications
and features, 40 sites in 16 areas on a 60 km square, distances between them, schools asking for many devices
(skewed sizes), community organisations referring residents one device at a time, priority weights skewed
towards the low end, some requests needing a webcam, a screen reader or a minimum memory, quotas for every
organisation (some used up), and demand well above stock. No Django, no database: the engine is pure.
"""

from __future__ import annotations

import math
import os
import random
import statistics
import time
from typing import Any

from devicebank.allocation.engine import (
    DeviceClass,
    Distance,
    PlaceRule,
    Problem,
    Quota,
    Request,
    allocate,
    assign_devices,
    score,
)

# type: (share of devices, memory options, storage options, systems, feature odds)
TYPES: dict[str, tuple[float, list[int], list[int], list[str], dict[str, float]]] = {
    "laptop": (
        0.55,
        [4, 8, 16],
        [128, 256, 512],
        ["windows", "linux"],
        {"webcam": 0.85, "touchscreen": 0.1, "screen_reader": 0.06, "large_keys": 0.04},
    ),
    "chromebook": (
        0.2,
        [4, 8],
        [32, 64],
        ["chromeos"],
        {"webcam": 0.95, "touchscreen": 0.2, "screen_reader": 0.1},
    ),
    "tablet": (0.15, [2, 3, 4], [32, 64, 128], ["ipados", "android"], {"webcam": 1.0, "screen_reader": 0.3}),
    "desktop": (0.1, [8, 16], [256, 512], ["windows", "linux"], {"webcam": 0.3, "large_keys": 0.1}),
}


Site = tuple[str, str, tuple[float, float]]


def synthetic_problem(devices: int, requests: int, seed: int = 12) -> Problem:
    rng = random.Random(seed)
    areas = [f"area-{i:02d}" for i in range(16)]
    centre = {a: (rng.uniform(0, 60), rng.uniform(0, 60)) for a in areas}
    sites: list[Site] = []
    for i in range(40):
        area = areas[i % len(areas)]
        cx, cy = centre[area]
        sites.append((f"site-{i:02d}", area, (cx + rng.gauss(0, 3), cy + rng.gauss(0, 3))))
    distances = tuple(
        Distance(site, area, round(math.dist(xy, centre[area]), 1)) for site, _, xy in sites for area in areas
    )
    stock = _stock(rng, devices, sites)
    wanted, quotas = _requests(rng, requests, areas, sites)
    return Problem(
        stock=stock,
        requests=wanted,
        quotas=quotas,
        place=PlaceRule(distances=distances, max_distance=12.0),
    )


def _stock(rng: random.Random, devices: int, sites: list[Site]) -> tuple[DeviceClass, ...]:
    # Classes: every type x memory x storage x a few feature sets x os x site, with skewed weights.
    kinds: list[tuple[str, int, int, frozenset[str], str, str, str, float]] = []
    for device_type, (share, memories, storages, systems, odds) in TYPES.items():
        for m_i, memory in enumerate(memories):
            for s_i, storage in enumerate(storages):
                for system in systems:
                    for _ in range(4):
                        feats = frozenset(f for f, p in odds.items() if rng.random() < p)
                        for site, area, _ in sites:
                            weight = share * rng.paretovariate(1.5) / (1 + abs(m_i - 1) + abs(s_i - 1))
                            kinds.append((device_type, memory, storage, feats, system, site, area, weight))
    total_weight = sum(k[-1] for k in kinds)
    merged: dict[tuple[Any, ...], float] = {}
    for device_type, memory, storage, feats, system, site, area, weight in kinds:
        key = (device_type, memory, storage, tuple(sorted(feats)), system, site, area)
        merged[key] = merged.get(key, 0) + weight
    counts = {k: int(devices * w / total_weight) for k, w in merged.items()}
    short = devices - sum(counts.values())
    for k in sorted(merged, key=lambda k: -merged[k])[:short]:
        counts[k] += 1
    stock = []
    next_id = 1
    for i, (key, n) in enumerate(sorted(counts.items())):
        if n == 0:
            continue
        device_type, memory, storage, feature_names, system, site, area = key
        stock.append(
            DeviceClass(
                id=f"C{i:05d}",
                device_type=device_type,
                site=site,
                area=area,
                count=n,
                memory_gb=memory,
                storage_gb=storage,
                features=frozenset(feature_names),
                os=system,
                device_ids=tuple(range(next_id, next_id + n)),
            )
        )
        next_id += n
    return tuple(stock)


def _requests(
    rng: random.Random, requests: int, areas: list[str], sites: list[Site]
) -> tuple[tuple[Request, ...], tuple[Quota, ...]]:
    # Requests: 30% from schools and organisations (skewed sizes), 70% residents referred one at a time.
    type_names = list(TYPES)
    type_odds = [TYPES[t][0] for t in type_names]
    schools = [f"school-{i:04d}" for i in range(3000)]
    community = [f"org-{i:03d}" for i in range(400)]
    home = {org: rng.choice(areas) for org in schools + community}
    out = []
    asked: dict[tuple[str, str], int] = {}
    for i in range(requests):
        device_type = rng.choices(type_names, type_odds)[0]
        _, memories, storages, systems, _ = TYPES[device_type]
        if rng.random() < 0.3:
            organisation = rng.choice(schools)
            count = min(1000, max(2, int(rng.lognormvariate(4.2, 0.9))))
        else:
            organisation = rng.choice(community)
            count = 1
        area = home[organisation] if rng.random() < 0.8 else rng.choice(areas)
        needs = set()
        if rng.random() < 0.5:
            needs.add("webcam")
        if rng.random() < 0.03:
            needs.add("screen_reader")
        if device_type in ("laptop", "desktop") and rng.random() < 0.02:
            needs.add("large_keys")
        out.append(
            Request(
                id=f"R{i:06d}",
                organisation=organisation,
                area=area,
                device_type=device_type,
                count=count,
                weight=round(5 + 95 * rng.betavariate(1.5, 4), 2),
                pickup_site=rng.choice(sites)[0] if rng.random() < 0.2 else None,
                min_memory_gb=rng.choice([0, 0, memories[0], memories[1]]),
                min_storage_gb=rng.choice([0, 0, 0, storages[1]]),
                needs=frozenset(needs),
                os=frozenset({rng.choice(systems)}) if rng.random() < 0.15 else frozenset(),
                waiting_days=rng.randrange(0, 400),
            )
        )
        asked[(organisation, device_type)] = asked.get((organisation, device_type), 0) + count
    quotas = tuple(
        Quota(org, device_type, 0 if rng.random() < 0.04 else int(n * rng.uniform(0.5, 1.2)))
        for (org, device_type), n in sorted(asked.items())
    )
    return tuple(out), quotas


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def measure_allocation(
    devices: int, requests: int, params: dict[str, Any], repeat: int = 3
) -> list[dict[str, Any]]:
    """Engine time (median of `repeat`), its parts, and its objective as a fraction of the LP optimum."""
    from devicebank.allocation.engine.reference import lp_optimum

    started = time.perf_counter()
    problem = synthetic_problem(devices, requests)
    generate_s = time.perf_counter() - started
    params = {
        **params,
        "devices": devices,
        "requests": requests,
        "classes": len(problem.stock),
        "demand": sum(r.count for r in problem.requests),
    }
    load_before = _load()
    samples, cpu, parts = [], [], []
    allocation = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        allocation = allocate(problem)
        assign_devices(
            allocation.matches, problem.stock, expected_stock_fingerprint=allocation.stock_fingerprint
        )
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        parts.append(allocation.stats.seconds)
    assert allocation is not None
    start = time.perf_counter()
    assign_devices(allocation.matches, problem.stock)
    assign_s = time.perf_counter() - start
    checked = score(problem, allocation.matches)
    if os.environ.get("BENCH_ALLOCATION_REFERENCE", "1") == "0":  # engine figures only (the LP takes minutes)
        median = statistics.median(samples)
        params = {**params, "load_before": load_before, "load_after": _load()}
        return [
            {"name": "allocation.engine.seconds", "value": round(median, 2), "unit": "s", "params": params},
            {
                "name": "allocation.engine.cpu_seconds",
                "value": round(cpu[samples.index(median)], 2),
                "unit": "s",
                "params": params,
            },
        ]
    # The grouped LP: the same optimum as one column per (class, request) pair (tested), far fewer columns.
    reference = lp_optimum(problem, grouped=True)
    load_after = _load()
    median = statistics.median(samples)
    which = samples.index(median)
    ratio = checked.objective / reference.objective
    params = {
        **params,
        "groups": allocation.stats.groups,
        "arcs": allocation.stats.arcs,
        "load_before": load_before,
        "load_after": load_after,
    }
    out = [
        {"name": "allocation.engine.seconds", "value": round(median, 2), "unit": "s", "params": params},
        # CPU time of the same run: what the engine costs when it has a core to itself (the machine is shared).
        {
            "name": "allocation.engine.cpu_seconds",
            "value": round(cpu[which], 2),
            "unit": "s",
            "params": params,
        },
        *(
            {"name": f"allocation.engine.{part}_seconds", "value": round(s, 2), "unit": "s", "params": params}
            for part, s in parts[which].items()
        ),
        {
            "name": "allocation.assign_devices.seconds",
            "value": round(assign_s, 2),
            "unit": "s",
            "params": params,
        },
        {
            "name": "allocation.lp_reference.seconds",
            "value": round(reference.seconds, 1),
            "unit": "s",
            "params": params,
        },
        {
            "name": "allocation.lp_reference.columns",
            "value": reference.columns,
            "unit": "columns",
            "params": params,
        },
        {
            "name": "allocation.optimality_ratio",
            "value": round(ratio, 6),
            "unit": "engine/LP",
            "params": params,
        },
        {
            "name": "allocation.devices_allocated",
            "value": allocation.devices_allocated,
            "unit": "devices",
            "params": params,
        },
        {"name": "allocation.generate.seconds", "value": round(generate_s, 1), "unit": "s", "params": params},
    ]
    return out


if __name__ == "__main__":
    import json
    import sys

    devices = int(sys.argv[1]) if len(sys.argv) > 1 else 500_000
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 25_000
    for row in measure_allocation(
        devices, requests, {}, repeat=int(os.environ.get("BENCH_ALLOCATION_REPEAT", "3"))
    ):
        print(json.dumps(row))
