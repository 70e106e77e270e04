"""The exact LP optimum of the allocation model, solved by HiGHS (through SciPy), as a yardstick for the engine.

It is written from the model's definition, not from the engine's network: one variable per (device class,
request) pair that may be matched, one per (request, fairness band), and the constraints spelled out:

    maximise   sum_{r,k} value(r,k) * y[r,k]  -  sum_{c,r} cost(c,r) * x[c,r]
    subject to sum_r x[c,r] <= devices in c                      (stock)
               sum_c x[c,r]  = sum_k y[r,k]                       (what r gets, counted in its bands)
               sum_{r in q, k} y[r,k] <= cap(q)                   (quota and share cap per organisation x type)
               0 <= y[r,k] <= devices of r in band k,  x >= 0

Needs SciPy (a development dependency): tests and `make bench` use it; the engine never does. HiGHS via SciPy
rather than highspy: highspy and OR-Tools each ship HiGHS, and their symbols clash in one process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from devicebank.allocation.engine.inputs import DeviceClass, Problem, Request, validate
from devicebank.allocation.engine.model import (
    DISTANCE_COST_MAX,
    OVERSPEC_MAX_STEPS,
    OVERSPEC_STEP_COST,
    Places,
    Scale,
    band_sizes,
    quota_caps,
)


@dataclass(frozen=True, slots=True)
class Reference:
    objective: float  # priority-weight units, comparable with Allocation.objective
    columns: int
    rows: int
    seconds: float
    status: str


def lp_optimum(problem: Problem, *, grouped: bool = False) -> Reference:
    """Solve the LP relaxation of the allocation model exactly (HiGHS); raise RuntimeError if it fails.

    No constraint links two device types, so the LP is solved one type at a time and the optima added: the same
    optimum as one LP, found faster.

    With `grouped`, requests alike in everything that decides which classes they may have and at what cost (type,
    minimum specification, needs, systems, area, pick-up site) share their x columns and one row
    sum_c x[c,g] = sum_{r in g, k} y[r,k]. The optimum is the same: any split of a group's devices among its
    requests is feasible and costs the same. It has a fraction of the columns, for the 500,000 x 25,000 bench.
    """
    started = time.perf_counter()
    validate(problem)
    scale = Scale.for_problem(problem)
    places = Places(problem)
    caps = quota_caps(problem)
    stock = sorted(problem.stock, key=lambda c: c.id)
    requests = sorted(problem.requests, key=lambda r: r.id)
    units, columns, rows, statuses = 0.0, 0, 0, []
    for device_type in sorted({r.device_type for r in requests}):
        of_type = [c for c in stock if c.device_type == device_type and c.count > 0]
        if not of_type:
            continue
        part = _lp_for_type(
            problem,
            of_type,
            [r for r in requests if r.device_type == device_type],
            {k: v for k, v in caps.items() if k[1] == device_type},
            scale,
            places,
            grouped,
        )
        units += part[0]
        columns += part[1]
        rows += part[2]
        statuses.append(part[3])
    return Reference(
        objective=scale.to_weight(units),
        columns=columns,
        rows=rows,
        seconds=time.perf_counter() - started,
        status="; ".join(sorted(set(statuses))) or "nothing to allocate",
    )


def _pairs(
    stock: list[DeviceClass], requests: list[Request], scale: Scale, places: Places
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (class, request) pair that may be matched: class index, request index (in `requests`), cost."""
    memory = np.array([c.memory_gb for c in stock])
    storage = np.array([c.storage_gb for c in stock])
    sites = [c.site for c in stock]
    memory_ladder = np.unique(memory)
    storage_ladder = np.unique(storage)
    # Over-specification steps, split into the class's part and the request's part (model.Ladders.steps).
    class_steps = (
        np.searchsorted(memory_ladder, memory)
        + np.searchsorted(storage_ladder, storage)
        + np.array([len(c.features) for c in stock])
    )
    reach_cache: dict[tuple[str, str | None], tuple[np.ndarray, np.ndarray]] = {}
    needs_cache: dict[frozenset[str], np.ndarray] = {}
    os_cache: dict[frozenset[str], np.ndarray] = {}

    x_class: list[np.ndarray] = []
    x_request: list[np.ndarray] = []
    x_cost: list[np.ndarray] = []
    for ri, r in enumerate(requests):
        where = (r.area, r.pickup_site)
        if where not in reach_cache:
            reach = places.sites_for(r.area, r.pickup_site)
            reach_cache[where] = (
                np.array([s in reach for s in sites], dtype=bool),
                np.array(
                    [
                        d if (d := reach[s].distance if s in reach else None) is not None else np.nan
                        for s in sites
                    ]
                ),
            )
        ok, distance = reach_cache[where]
        ok = ok & (memory >= r.min_memory_gb) & (storage >= r.min_storage_gb)
        if r.needs:
            if r.needs not in needs_cache:
                needs_cache[r.needs] = np.array([r.needs <= c.features for c in stock], dtype=bool)
            ok &= needs_cache[r.needs]
        if r.os:
            if r.os not in os_cache:
                os_cache[r.os] = np.array([c.os in r.os for c in stock], dtype=bool)
            ok &= os_cache[r.os]
        chosen = np.flatnonzero(ok)
        if len(chosen) == 0:
            continue
        steps = class_steps[chosen] - (
            np.searchsorted(memory_ladder, r.min_memory_gb)
            + np.searchsorted(storage_ladder, r.min_storage_gb)
            + len(r.needs)
        )
        cost = OVERSPEC_STEP_COST * np.minimum(steps, OVERSPEC_MAX_STEPS).astype(np.float64)
        if scale.longest_distance > 0:
            far = distance[chosen]
            cost += np.where(np.isnan(far), 0.0, DISTANCE_COST_MAX * far / scale.longest_distance)
        x_class.append(chosen)
        x_request.append(np.full(len(chosen), ri))
        x_cost.append(cost)

    xc = np.concatenate(x_class) if x_class else np.zeros(0, dtype=np.int64)
    xr = np.concatenate(x_request) if x_request else np.zeros(0, dtype=np.int64)
    xcost = np.concatenate(x_cost) if x_cost else np.zeros(0)
    return xc, xr, xcost


def _lp_for_type(
    problem: Problem,
    stock: list[DeviceClass],
    requests: list[Request],
    caps: dict[tuple[str, str], int],
    scale: Scale,
    places: Places,
    grouped: bool,
) -> tuple[float, int, int, str]:
    """One device type's LP: (optimum in cost units, columns, rows, HiGHS status)."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    count = np.array([c.count for c in stock], dtype=np.float64)
    # A "unit" owns x columns and a link row: each request, or each group of alike requests.
    unit_of: list[int] = []
    leaders: list[Request] = []
    if grouped:
        seen: dict[tuple[object, ...], int] = {}
        for r in requests:
            key = (r.min_memory_gb, r.min_storage_gb, r.needs, r.os, r.area, r.pickup_site)
            if key not in seen:
                seen[key] = len(leaders)
                leaders.append(r)
            unit_of.append(seen[key])
    else:
        unit_of, leaders = list(range(len(requests))), list(requests)
    xc, xr, xcost = _pairs(stock, leaders, scale, places)
    n_x = len(xc)

    quota_keys = sorted(caps)
    quota_row = {k: i for i, k in enumerate(quota_keys)}
    y_request, y_value, y_upper, y_quota = [], [], [], []
    for ri, r in enumerate(requests):
        sizes = band_sizes(r.count, problem.fairness.bands)
        for band, size in zip(problem.fairness.bands, sizes, strict=True):
            if size:
                y_request.append(unit_of[ri])
                y_value.append(scale.unit_value(r.weight, band.factor, r.waiting_days))
                y_upper.append(size)
                y_quota.append(quota_row[(r.organisation, r.device_type)])
    n_y = len(y_request)
    y_cols = n_x + np.arange(n_y)

    # Rows: stock (one per class), quota (one per organisation x type) as <=; link (one per request) as ==.
    n_c, n_q, n_r = len(stock), len(quota_keys), len(leaders)
    ub = coo_matrix(
        (
            np.ones(n_x + n_y),
            (
                np.concatenate([xc, n_c + np.array(y_quota, dtype=np.int64)]),
                np.concatenate([np.arange(n_x), y_cols]),
            ),
        ),
        shape=(n_c + n_q, n_x + n_y),
    ).tocsr()
    b_ub = np.concatenate([count, np.array([caps[k] for k in quota_keys], dtype=np.float64)])
    eq = coo_matrix(
        (
            np.concatenate([np.ones(n_x), -np.ones(n_y)]),
            (
                np.concatenate([xr, np.array(y_request, dtype=np.int64)]),
                np.concatenate([np.arange(n_x), y_cols]),
            ),
        ),
        shape=(n_r, n_x + n_y),
    ).tocsr()
    objective = np.concatenate([xcost, -np.array(y_value)])  # linprog minimises
    bounds = np.column_stack(
        [np.zeros(n_x + n_y), np.concatenate([np.full(n_x, np.inf), np.array(y_upper, float)])]
    )
    result = linprog(
        objective, A_ub=ub, b_ub=b_ub, A_eq=eq, b_eq=np.zeros(n_r), bounds=bounds, method="highs"
    )
    if result.status != 0:
        raise RuntimeError(f"The LP reference did not solve: {result.message}")
    return -float(result.fun), n_x + n_y, n_c + n_q + n_r, str(result.message)
