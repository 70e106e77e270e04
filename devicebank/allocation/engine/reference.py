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

from devicebank.allocation.engine.inputs import Problem, validate
from devicebank.allocation.engine.model import Places, Scale, band_sizes, quota_caps


@dataclass(frozen=True, slots=True)
class Reference:
    objective: float  # priority-weight units, comparable with Allocation.objective
    columns: int
    rows: int
    seconds: float
    status: str


def lp_optimum(problem: Problem) -> Reference:
    """Solve the LP relaxation of the allocation model exactly (HiGHS); raise RuntimeError if it fails."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    started = time.perf_counter()
    validate(problem)
    scale = Scale.for_problem(problem)
    places = Places(problem)
    stock = sorted(problem.stock, key=lambda c: c.id)
    requests = sorted(problem.requests, key=lambda r: r.id)

    count = np.array([c.count for c in stock], dtype=np.float64)
    memory = np.array([c.memory_gb for c in stock])
    storage = np.array([c.storage_gb for c in stock])
    types = np.array([c.device_type for c in stock], dtype=object)
    sites = np.array([c.site for c in stock], dtype=object)
    system = np.array([c.os for c in stock], dtype=object)
    features = [c.features for c in stock]
    extra_base = np.array([len(c.features) for c in stock])
    ladders_memory = {t: np.unique(memory[types == t]) for t in set(types.tolist())}
    ladders_storage = {t: np.unique(storage[types == t]) for t in set(types.tolist())}
    memory_rung = np.array(
        [np.searchsorted(ladders_memory[t], m) for t, m in zip(types, memory, strict=True)]
    )
    storage_rung = np.array(
        [np.searchsorted(ladders_storage[t], s) for t, s in zip(types, storage, strict=True)]
    )
    by_type = {t: np.flatnonzero((types == t) & (count > 0)) for t in set(types.tolist())}
    needs_cache: dict[tuple[str, frozenset[str]], np.ndarray] = {}

    x_class: list[np.ndarray] = []
    x_request: list[np.ndarray] = []
    x_cost: list[np.ndarray] = []
    for ri, r in enumerate(requests):
        idx = by_type.get(r.device_type)
        if idx is None or len(idx) == 0:
            continue
        reach = places.sites_for(r.area, r.pickup_site)
        ok = (memory[idx] >= r.min_memory_gb) & (storage[idx] >= r.min_storage_gb)
        ok &= np.array([s in reach for s in sites[idx]], dtype=bool)
        if r.needs:
            key = (r.device_type, r.needs)
            if key not in needs_cache:
                needs_cache[key] = np.array([r.needs <= features[i] for i in idx], dtype=bool)
            ok &= needs_cache[key]
        if r.os:
            ok &= np.array([s in r.os for s in system[idx]], dtype=bool)
        chosen = idx[ok]
        if len(chosen) == 0:
            continue
        steps = (
            memory_rung[chosen]
            - np.searchsorted(ladders_memory[r.device_type], r.min_memory_gb)
            + storage_rung[chosen]
            - np.searchsorted(ladders_storage[r.device_type], r.min_storage_gb)
            + extra_base[chosen]
            - len(r.needs)
        )
        cost = np.array(
            [
                scale.secondary_cost(int(s), reach[sites[c]].distance)
                for s, c in zip(steps.tolist(), chosen.tolist(), strict=True)
            ]
        )
        x_class.append(chosen)
        x_request.append(np.full(len(chosen), ri))
        x_cost.append(cost)

    xc = np.concatenate(x_class) if x_class else np.zeros(0, dtype=np.int64)
    xr = np.concatenate(x_request) if x_request else np.zeros(0, dtype=np.int64)
    xcost = np.concatenate(x_cost) if x_cost else np.zeros(0)
    n_x = len(xc)

    caps = quota_caps(problem)
    quota_keys = sorted(caps)
    quota_row = {k: i for i, k in enumerate(quota_keys)}
    y_request, y_value, y_upper, y_quota = [], [], [], []
    for ri, r in enumerate(requests):
        for band, size in zip(
            problem.fairness.bands, band_sizes(r.count, problem.fairness.bands), strict=True
        ):
            if size:
                y_request.append(ri)
                y_value.append(scale.unit_value(r.weight, band.factor, r.waiting_days))
                y_upper.append(size)
                y_quota.append(quota_row[(r.organisation, r.device_type)])
    n_y = len(y_request)
    y_cols = n_x + np.arange(n_y)

    # Rows: stock (one per class), quota (one per organisation x type) as <=; link (one per request) as ==.
    n_c, n_q, n_r = len(stock), len(quota_keys), len(requests)
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
    return Reference(
        objective=scale.to_weight(-float(result.fun)),
        columns=n_x + n_y,
        rows=n_c + n_q + n_r,
        seconds=time.perf_counter() - started,
        status=str(result.message),
    )
