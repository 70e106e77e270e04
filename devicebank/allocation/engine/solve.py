"""The allocation engine: one min-cost flow over device classes (OR-Tools), exact for the model in model.py.

Network (docs/adr/0003-allocation-solver.md has the picture):

    source -> class c            capacity: devices in c; cost 0
    class c -> demand group g    c is eligible for g's requests and within reach; cost: over-spec + distance
    group g -> quota node q      one arc per (request r in g, fairness band k): capacity: r's devices in band k;
                                 cost: -(value of a device to r in band k)
    quota node q -> sink         q = (organisation, device type); capacity: remaining quota, share cap
    source -> sink               the shelf: devices nobody gets; cost 0

A demand group is the set of requests with the same device type, minimum specification, needs, acceptable
operating systems, area and pick-up site: they are eligible for exactly the same classes at the same cost, so
the class arcs are built once per group, not once per request. Any split of a group's inflow among its requests
is optimal; the engine splits it deterministically (higher priority first, closest fit first).
"""

from __future__ import annotations

import bisect
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from devicebank.allocation.engine.errors import AllocationInputError
from devicebank.allocation.engine.explain import shortfalls
from devicebank.allocation.engine.fingerprint import problem_fingerprint, stock_fingerprint
from devicebank.allocation.engine.inputs import DeviceClass, Problem, Request, validate
from devicebank.allocation.engine.model import (
    DISTANCE_COST_MAX,
    OVERSPEC_MAX_STEPS,
    OVERSPEC_STEP_COST,
    PlaceReason,
    Places,
    Scale,
    band_sizes,
    quota_caps,
)
from devicebank.allocation.engine.results import Allocation, BandUse, Match, RequestOutcome, SolveStats

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
_REASONS = tuple(PlaceReason)

GroupKey = tuple[str, int, int, int, int, str, str | None]


@dataclass
class Group:
    """Requests that are eligible for the same classes at the same cost, and those classes."""

    key: GroupKey
    requests: list[int] = field(default_factory=list)
    classes: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    steps: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    reasons: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    distances: FloatArray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    costs: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    first_arc: int = 0


class _Encoded:
    """The stock as numpy arrays, with features and operating systems as bit masks."""

    def __init__(self, stock: Sequence[DeviceClass], requests: Sequence[Request]) -> None:
        features = sorted({f for c in stock for f in c.features} | {n for r in requests for n in r.needs})
        systems = sorted({c.os for c in stock} | {o for r in requests for o in r.os})
        if len(features) > 63 or len(systems) > 63:
            raise AllocationInputError(
                "The engine handles at most 63 distinct features and 63 operating systems.", field="stock"
            )
        self.feature_bit = {name: 1 << i for i, name in enumerate(features)}
        self.os_bit = {name: 1 << i for i, name in enumerate(systems)}
        self.count = np.array([c.count for c in stock], dtype=np.int64)
        self.memory = np.array([c.memory_gb for c in stock], dtype=np.int64)
        self.storage = np.array([c.storage_gb for c in stock], dtype=np.int64)
        self.features = np.array(
            [sum(self.feature_bit[f] for f in c.features) for c in stock], dtype=np.uint64
        )
        self.feature_count = np.array([len(c.features) for c in stock], dtype=np.int64)
        self.os = np.array([self.os_bit[c.os] for c in stock], dtype=np.uint64)
        # Rungs of each type's memory and storage ladders (model.Ladders, as arrays).
        self.memory_ladder: dict[str, list[int]] = {}
        self.storage_ladder: dict[str, list[int]] = {}
        for c in stock:
            if c.count > 0:  # as model.Ladders: an empty class must not change anything
                self.memory_ladder.setdefault(c.device_type, []).append(c.memory_gb)
                self.storage_ladder.setdefault(c.device_type, []).append(c.storage_gb)
        for ladders in (self.memory_ladder, self.storage_ladder):
            for t in ladders:
                ladders[t] = sorted(set(ladders[t]))
        self.memory_rung = np.array(
            [bisect.bisect_left(self.memory_ladder.get(c.device_type, []), c.memory_gb) for c in stock],
            dtype=np.int64,
        )
        self.storage_rung = np.array(
            [bisect.bisect_left(self.storage_ladder.get(c.device_type, []), c.storage_gb) for c in stock],
            dtype=np.int64,
        )
        by_place: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, c in enumerate(stock):
            if c.count > 0:
                by_place[(c.device_type, c.site)].append(i)
        self.by_place = {k: np.array(v, dtype=np.int64) for k, v in by_place.items()}

    def mask(self, names: frozenset[str], bits: dict[str, int]) -> int:
        return sum(bits[n] for n in names)


def _group_key(r: Request, enc: _Encoded) -> GroupKey:
    return (
        r.device_type,
        r.min_memory_gb,
        r.min_storage_gb,
        enc.mask(r.needs, enc.feature_bit),
        enc.mask(r.os, enc.os_bit),
        r.area,
        r.pickup_site,
    )


def _candidates(
    device_type: str, area: str, pickup: str | None, enc: _Encoded, places: Places
) -> tuple[IntArray, IntArray, FloatArray] | None:
    """Classes of this type at every site within reach, with the place reason and distance of each."""
    parts, reasons, distances = [], [], []
    for site, reach in places.sites_for(area, pickup).items():
        idx = enc.by_place.get((device_type, site))
        if idx is None:
            continue
        parts.append(idx)
        reasons.append(_REASONS.index(reach.reason))
        distances.append(np.nan if reach.distance is None else reach.distance)
    if not parts:
        return None
    lengths = [len(p) for p in parts]
    return (
        np.concatenate(parts),
        np.repeat(np.array(reasons, dtype=np.int64), lengths),
        np.repeat(np.array(distances, dtype=np.float64), lengths),
    )


def _eligible(
    group: Group,
    enc: _Encoded,
    places: Places,
    scale: Scale,
    cache: dict[tuple[str, str, str | None], tuple[IntArray, IntArray, FloatArray] | None],
) -> None:
    """Fill in the group's eligible classes within reach, with their over-specification steps and costs."""
    device_type, min_memory, min_storage, needs, systems, area, pickup = group.key
    where = (device_type, area, pickup)
    if where not in cache:
        cache[where] = _candidates(device_type, area, pickup, enc, places)
    found = cache[where]
    if found is None:
        return
    cand, cand_reasons, cand_distances = found
    ok = (enc.memory[cand] >= min_memory) & (enc.storage[cand] >= min_storage)
    ok &= (enc.features[cand] & np.uint64(needs)) == np.uint64(needs)
    if systems:
        ok &= (enc.os[cand] & np.uint64(systems)) != 0
    cls = cand[ok]
    if len(cls) == 0:
        return
    memory_from = bisect.bisect_left(enc.memory_ladder.get(device_type, []), min_memory)
    storage_from = bisect.bisect_left(enc.storage_ladder.get(device_type, []), min_storage)
    steps = (
        (enc.memory_rung[cls] - memory_from)
        + (enc.storage_rung[cls] - storage_from)
        + (enc.feature_count[cls] - int(needs).bit_count())
    )
    dist = cand_distances[ok]
    cost = OVERSPEC_STEP_COST * np.minimum(steps, OVERSPEC_MAX_STEPS).astype(np.float64)
    if scale.longest_distance > 0:
        cost += np.where(np.isnan(dist), 0.0, DISTANCE_COST_MAX * dist / scale.longest_distance)
    group.classes = cls
    group.steps = steps
    group.reasons = cand_reasons[ok]
    group.distances = dist
    group.costs = np.rint(cost).astype(np.int64)


def allocate(problem: Problem) -> Allocation:
    """Propose an allocation of `problem.stock` to `problem.requests` (see the module docstring).

    Raises:
        AllocationInputError: naming the first input that is wrong.
    """
    clock = _Clock()
    validate(problem)
    clock.lap("validate")
    stock_digest = stock_fingerprint(problem.stock)
    digest = problem_fingerprint(problem, stock_digest=stock_digest)
    clock.lap("fingerprint")

    stock = sorted(problem.stock, key=lambda c: c.id)
    requests = sorted(problem.requests, key=lambda r: r.id)
    scale = Scale.for_problem(problem)
    places = Places(problem)
    enc = _Encoded(stock, requests)

    groups: dict[GroupKey, Group] = {}
    for i, r in enumerate(requests):
        key = _group_key(r, enc)
        groups.setdefault(key, Group(key)).requests.append(i)
    group_list = list(groups.values())
    reach_cache: dict[tuple[str, str, str | None], tuple[IntArray, IntArray, FloatArray] | None] = {}
    for g in group_list:
        _eligible(g, enc, places, scale, reach_cache)

    caps = quota_caps(problem)
    quota_keys = sorted(caps)
    quota_index = {k: i for i, k in enumerate(quota_keys)}

    # Nodes: 0 source, 1 sink, then classes, groups, quota nodes. Every arc belongs to one device type: the
    # types never share a class, group or quota, so each type is solved as a flow of its own (faster than one).
    n_classes, n_groups = len(stock), len(group_list)
    class_node, group_node, quota_node = 2, 2 + n_classes, 2 + n_classes + n_groups
    total = int(enc.count.sum())
    type_code = {
        t: i for i, t in enumerate(sorted({c.device_type for c in stock} | {r.device_type for r in requests}))
    }
    class_type = np.array([type_code[c.device_type] for c in stock], dtype=np.int64)

    tails: list[IntArray] = [np.zeros(n_classes, dtype=np.int64)]
    heads: list[IntArray] = [class_node + np.arange(n_classes, dtype=np.int64)]
    capacities: list[IntArray] = [enc.count]
    costs: list[IntArray] = [np.zeros(n_classes, dtype=np.int64)]
    kinds: list[IntArray] = [class_type]
    arc = n_classes
    for gi, g in enumerate(group_list):
        g.first_arc = arc
        tails.append(class_node + g.classes)
        heads.append(np.full(len(g.classes), group_node + gi, dtype=np.int64))
        capacities.append(enc.count[g.classes])
        costs.append(g.costs)
        kinds.append(class_type[g.classes])
        arc += len(g.classes)

    sizes = [band_sizes(r.count, problem.fairness.bands) for r in requests]
    factors = [b.factor for b in problem.fairness.bands]
    band_tail, band_head, band_cap, band_cost, band_request, band_kind = [], [], [], [], [], []
    for gi, g in enumerate(group_list):
        for ri in g.requests:
            r = requests[ri]
            q = quota_node + quota_index[(r.organisation, r.device_type)]
            for k, size in enumerate(sizes[ri]):
                if size:
                    band_tail.append(group_node + gi)
                    band_head.append(q)
                    band_cap.append(size)
                    band_cost.append(-round(scale.unit_value(r.weight, factors[k], r.waiting_days)))
                    band_request.append(ri)
                    band_kind.append(type_code[r.device_type])
    band_first_arc = arc
    tails.append(np.array(band_tail, dtype=np.int64))
    heads.append(np.array(band_head, dtype=np.int64))
    capacities.append(np.array(band_cap, dtype=np.int64))
    costs.append(np.array(band_cost, dtype=np.int64))
    kinds.append(np.array(band_kind, dtype=np.int64))
    arc += len(band_tail)
    quota_first_arc = arc
    tails.append(quota_node + np.arange(len(quota_keys), dtype=np.int64))
    heads.append(np.ones(len(quota_keys), dtype=np.int64))
    capacities.append(np.array([caps[k] for k in quota_keys], dtype=np.int64))
    costs.append(np.zeros(len(quota_keys), dtype=np.int64))
    kinds.append(np.array([type_code[k[1]] for k in quota_keys], dtype=np.int64))
    clock.lap("build")

    flows = _solve_by_type(
        np.concatenate(tails),
        np.concatenate(heads),
        np.concatenate(capacities),
        np.concatenate(costs),
        np.concatenate(kinds),
        supply=np.bincount(class_type, weights=enc.count, minlength=len(type_code)).astype(np.int64),
    )
    clock.lap("solve")

    got = np.zeros(len(requests), dtype=np.int64)
    np.add.at(got, np.array(band_request, dtype=np.int64), flows[band_first_arc:quota_first_arc])
    quota_used = {k: int(f) for k, f in zip(quota_keys, flows[quota_first_arc:], strict=True)}
    class_flows = [flows[g.first_arc : g.first_arc + len(g.classes)] for g in group_list]

    matches, bands_of = _split(requests, group_list, class_flows, got, sizes, factors, stock)
    outcomes = _outcomes(requests, got, bands_of, sizes, factors)
    outcomes = shortfalls(
        problem=problem,
        stock=stock,
        requests=requests,
        groups=group_list,
        class_flows=class_flows,
        outcomes=outcomes,
        matches=matches,
        caps=caps,
        quota_used=quota_used,
        enc=enc,
    )
    objective_units = 0.0
    for ri, r in enumerate(requests):
        used = got[ri]
        for k, size in enumerate(sizes[ri]):
            n = min(used, size)
            objective_units += n * scale.unit_value(r.weight, factors[k], r.waiting_days)
            used -= n
    for g, f in zip(group_list, class_flows, strict=True):
        objective_units -= float(np.dot(f, _float_costs(g, scale)))
    clock.lap("explain")

    return Allocation(
        problem=problem,
        fingerprint=digest,
        stock_fingerprint=stock_digest,
        matches=tuple(matches),
        outcomes=tuple(outcomes),
        objective=scale.to_weight(objective_units),
        weighted_need_met=float(sum(r.weight * int(got[i]) for i, r in enumerate(requests))),
        devices_allocated=int(got.sum()),
        devices_in_stock=total,
        stats=SolveStats(
            classes=n_classes,
            requests=len(requests),
            groups=n_groups,
            nodes=quota_node + len(quota_keys),
            arcs=arc,
            seconds=clock.laps,
        ),
    )


def _solve_by_type(
    tails: IntArray, heads: IntArray, capacities: IntArray, costs: IntArray, kinds: IntArray, supply: IntArray
) -> IntArray:
    """Solve one min-cost flow per device type; return every arc's flow.

    Each type's flow gets the source's devices of that type and an arc straight from source to sink (the shelf)
    that can take all of them at no cost, so the flow is always feasible and every device given has to be worth it.
    """
    flows = np.zeros(len(tails), dtype=np.int64)
    for kind, devices in enumerate(supply.tolist()):
        chosen = np.flatnonzero(kinds == kind)
        if devices == 0 or len(chosen) == 0:
            continue
        # Local node numbers: source and sink stay 0 and 1 (the smallest global numbers), the rest compacted.
        _, local = np.unique(np.concatenate([[0, 1], tails[chosen], heads[chosen]]), return_inverse=True)
        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(
            local[2 : 2 + len(chosen)], local[2 + len(chosen) :], capacities[chosen], costs[chosen]
        )
        flow.add_arc_with_capacity_and_unit_cost(0, 1, devices, 0)
        flow.set_nodes_supplies(np.array([0, 1]), np.array([devices, -devices]))
        status = flow.solve()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"The min-cost flow solver stopped with status {status}.")
        flows[chosen] = flow.flows(arcs)
    return flows


def _float_costs(g: Group, scale: Scale) -> FloatArray:
    """The group's match costs unrounded (the model's value; the solver used them rounded to whole units)."""
    cost = OVERSPEC_STEP_COST * np.minimum(g.steps, OVERSPEC_MAX_STEPS).astype(np.float64)
    if scale.longest_distance > 0:
        cost += np.where(np.isnan(g.distances), 0.0, DISTANCE_COST_MAX * g.distances / scale.longest_distance)
    return cost


def _priority_key(r: Request) -> tuple[float, int, str]:
    return (-r.weight, -r.waiting_days, r.id)


def _split(
    requests: Sequence[Request],
    groups: Sequence[Group],
    class_flows: Sequence[IntArray],
    got: IntArray,
    sizes: Sequence[tuple[int, ...]],
    factors: Sequence[float],
    stock: Sequence[DeviceClass],
) -> tuple[list[Match], dict[int, list[BandUse]]]:
    """Turn each group's flow into matches: requests by priority take classes closest fit first."""
    # Sorted at the end by request priority, then creation order: a request's devices are numbered (and its
    # bands sliced) in the order its matches are made, and the explanations count them in that order too.
    matches: list[tuple[tuple[float, int, str], int, Match]] = []
    given = np.zeros(len(requests), dtype=np.int64)
    bands_of: dict[int, list[BandUse]] = {}
    for g, f in zip(groups, class_flows, strict=True):
        used = np.flatnonzero(f)
        if len(used) == 0:
            continue
        order = sorted(used.tolist(), key=lambda j: (int(g.costs[j]), stock[int(g.classes[j])].id))
        supply = [[j, int(f[j])] for j in order]
        closer_at: dict[int, tuple[str, ...]] = {}
        takers = sorted((ri for ri in g.requests if got[ri] > 0), key=lambda ri: _priority_key(requests[ri]))
        pos = 0
        for ri in takers:
            r = requests[ri]
            need = int(got[ri])
            while need:
                j, left = supply[pos]
                n = min(need, left)
                start = int(given[ri])
                bands = _band_slice(r, sizes[ri], factors, start, n)
                level = int(g.costs[j])
                closer = closer_at.get(level)
                if closer is None:
                    closer = closer_at[level] = tuple(sorted(stock[c].id for c in g.classes[g.costs < level]))
                reach = _REASONS[int(g.reasons[j])]
                d = float(g.distances[j])
                matches.append(
                    (
                        _priority_key(r),
                        len(matches),
                        Match(
                            request_id=r.id,
                            class_id=stock[g.classes[j]].id,
                            count=n,
                            place=reach,
                            distance=None if np.isnan(d) else d,
                            steps=int(g.steps[j]),
                            first_device=start + 1,
                            bands=bands,
                            closer_classes=closer,
                        ),
                    )
                )
                given[ri] += n
                need -= n
                supply[pos][1] -= n
                if supply[pos][1] == 0:
                    pos += 1
    for ri, r in enumerate(requests):
        bands_of[ri] = list(_band_slice(r, sizes[ri], factors, 0, int(got[ri])))
    matches.sort(key=lambda m: (m[0], m[1]))
    return [m for _, _, m in matches], bands_of


def _band_slice(
    r: Request, sizes: tuple[int, ...], factors: Sequence[float], start: int, n: int
) -> tuple[BandUse, ...]:
    """The bands of devices start+1 .. start+n of request r (a band may hold no device of a small request)."""
    out = []
    low = 0
    end = start + n
    for k, size in enumerate(sizes):
        high = low + size
        overlap = min(high, end) - max(low, start)
        if overlap > 0:
            out.append(BandUse(k + 1, factors[k], overlap, r.weight * factors[k]))
        if high >= end:
            break
        low = high
    return tuple(out)


def _outcomes(
    requests: Sequence[Request],
    got: IntArray,
    bands_of: dict[int, list[BandUse]],
    sizes: Sequence[tuple[int, ...]],
    factors: Sequence[float],
) -> list[RequestOutcome]:
    out = []
    for ri, r in enumerate(requests):
        n = int(got[ri])
        bands = tuple(bands_of[ri])
        marginal = bands[-1].value_each if bands else None
        next_value = None
        if n < r.count:
            edge = 0
            for k, size in enumerate(sizes[ri]):
                edge += size
                if n < edge:
                    next_value = r.weight * factors[k]
                    break
        out.append(
            RequestOutcome(
                request_id=r.id,
                wanted=r.count,
                allocated=n,
                bands=bands,
                marginal_value=marginal,
                next_value=next_value,
                shortfall=None,
            )
        )
    return out


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 4)
        self._last = now
