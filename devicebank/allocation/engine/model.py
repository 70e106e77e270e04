"""The allocation model's rules and numbers, one device class and one request at a time.

The solver (`solve.py`) applies the same rules to whole arrays at once; the LP reference (`reference.py`) and
the allocation checker (`check.py`) use these. Tests hold the two in step.

Objective, in integer cost units (what OR-Tools sees; the LP uses the same numbers unrounded):
  each device given to request r in its band k is worth  max(w_r * f_k * S, VALUE_FLOOR) + waiting_days_r
  and costs  OVERSPEC_STEP_COST * over-specification steps + DISTANCE_COST_MAX * distance / longest distance,
where S = VALUE_SCALE / (largest weight in the problem). The floor keeps every eligible device worth more than
any secondary cost, so stock that can go to someone never stays on the shelf.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from devicebank.allocation.engine.inputs import Band, DeviceClass, Problem, Request

VALUE_SCALE = 10_000_000
OVERSPEC_STEP_COST = 10
OVERSPEC_MAX_STEPS = 50
DISTANCE_COST_MAX = 100
WAITING_MAX_DAYS = 3650
VALUE_FLOOR = OVERSPEC_STEP_COST * OVERSPEC_MAX_STEPS + DISTANCE_COST_MAX + 1


class PlaceReason(StrEnum):
    """Why a site may serve a request, in the order they are tried."""

    SAME_AREA = "same_area"
    PICKUP_SITE = "pickup_site"
    ALLOWED = "allowed_pair"
    WITHIN_DISTANCE = "within_distance"


class SpecFailure(StrEnum):
    """Why a device class does not meet a request, in the order they are checked."""

    TYPE = "device_type"
    MEMORY = "memory"
    STORAGE = "storage"
    NEEDS = "needs"
    OS = "os"


def band_sizes(count: int, bands: Iterable[Band]) -> tuple[int, ...]:
    """How many of a request's `count` devices fall in each band (the first band always gets at least one)."""
    sizes = []
    done = 0
    for band in bands:
        # round() first: 100 * 0.3 is 30.000000000000004 in floating point, and must not become 31.
        upto = min(count, math.ceil(round(count * band.up_to, 9)))
        sizes.append(upto - done)
        done = upto
    return tuple(sizes)


@dataclass(frozen=True, slots=True)
class Scale:
    """Converts priority weights into cost units for one problem."""

    max_weight: float
    longest_distance: float

    @classmethod
    def for_problem(cls, problem: Problem) -> Scale:
        return cls(
            max_weight=max((r.weight for r in problem.requests), default=1.0),
            longest_distance=max((d.distance for d in problem.place.distances), default=0.0),
        )

    @property
    def units_per_weight(self) -> float:
        return VALUE_SCALE / self.max_weight

    def unit_value(self, weight: float, factor: float, waiting_days: int) -> float:
        """What one more device is worth to a request in a band with this factor (cost units, unrounded)."""
        return max(weight * factor * self.units_per_weight, VALUE_FLOOR) + min(waiting_days, WAITING_MAX_DAYS)

    def secondary_cost(self, steps: int, distance: float | None) -> float:
        """The small cost of a match: over-specification, then distance (cost units, unrounded)."""
        cost = float(OVERSPEC_STEP_COST * min(steps, OVERSPEC_MAX_STEPS))
        if distance and self.longest_distance > 0:
            cost += DISTANCE_COST_MAX * distance / self.longest_distance
        return cost

    def to_weight(self, units: float) -> float:
        """Cost units back to priority-weight units (what reports show)."""
        return units / self.units_per_weight


@dataclass(frozen=True, slots=True)
class Reach:
    reason: PlaceReason
    distance: float | None


class Places:
    """Which sites may serve which requests under a problem's place rule."""

    def __init__(self, problem: Problem) -> None:
        self.rule = problem.place
        self.site_area: dict[str, str] = {c.site: c.area for c in problem.stock}
        self.distance: dict[tuple[str, str], float] = {
            (d.site, d.area): float(d.distance) for d in problem.place.distances
        }
        self._cache: dict[tuple[str, str | None], Mapping[str, Reach]] = {}

    def reach(self, site: str, request: Request) -> Reach | None:
        """Why `site` may serve `request`, or None when it may not."""
        return self.sites_for(request.area, request.pickup_site).get(site)

    def sites_for(self, area: str, pickup_site: str | None) -> Mapping[str, Reach]:
        """Every stocked site that may serve a request for `area` with this pick-up site, with its reason."""
        key = (area, pickup_site)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._sites_for(area, pickup_site)
        return found

    def _sites_for(self, area: str, pickup_site: str | None) -> dict[str, Reach]:
        rule = self.rule
        out: dict[str, Reach] = {}
        for site in sorted(self.site_area):
            d = self.distance.get((site, area))
            if rule.same_area and self.site_area[site] == area:
                out[site] = Reach(PlaceReason.SAME_AREA, d)
            elif rule.pickup_site and pickup_site == site:
                out[site] = Reach(PlaceReason.PICKUP_SITE, d)
            elif (site, area) in rule.allowed:
                out[site] = Reach(PlaceReason.ALLOWED, d)
            elif rule.max_distance is not None and d is not None and d <= rule.max_distance:
                out[site] = Reach(PlaceReason.WITHIN_DISTANCE, d)
        return out


def spec_failures(cls: DeviceClass, request: Request) -> tuple[SpecFailure, ...]:
    """Every way the class falls short of the request's type, minimum specification and needs."""
    failures = []
    if cls.device_type != request.device_type:
        failures.append(SpecFailure.TYPE)
    if cls.memory_gb < request.min_memory_gb:
        failures.append(SpecFailure.MEMORY)
    if cls.storage_gb < request.min_storage_gb:
        failures.append(SpecFailure.STORAGE)
    if not request.needs <= cls.features:
        failures.append(SpecFailure.NEEDS)
    if request.os and cls.os not in request.os:
        failures.append(SpecFailure.OS)
    return tuple(failures)


class Ladders:
    """The distinct memory and storage sizes in stock (classes holding devices), per device type:
    over-specification is counted in steps up these ladders, so "16 GB where 8 GB would do" is one step when
    nothing in stock sits between."""

    def __init__(self, stock: Iterable[DeviceClass]) -> None:
        memory: dict[str, set[int]] = {}
        storage: dict[str, set[int]] = {}
        for cls in stock:
            if cls.count > 0:  # an empty class must not change anything
                memory.setdefault(cls.device_type, set()).add(cls.memory_gb)
                storage.setdefault(cls.device_type, set()).add(cls.storage_gb)
        self.memory = {t: sorted(v) for t, v in memory.items()}
        self.storage = {t: sorted(v) for t, v in storage.items()}

    def memory_steps(self, cls: DeviceClass, request: Request) -> int:
        ladder = self.memory.get(cls.device_type, [])
        return max(
            0, bisect.bisect_left(ladder, cls.memory_gb) - bisect.bisect_left(ladder, request.min_memory_gb)
        )

    def storage_steps(self, cls: DeviceClass, request: Request) -> int:
        ladder = self.storage.get(cls.device_type, [])
        return max(
            0, bisect.bisect_left(ladder, cls.storage_gb) - bisect.bisect_left(ladder, request.min_storage_gb)
        )

    def steps(self, cls: DeviceClass, request: Request) -> int:
        """Memory steps + storage steps + features the class has that the request does not need."""
        extra = len(cls.features - request.needs)
        return self.memory_steps(cls, request) + self.storage_steps(cls, request) + extra


def quota_caps(problem: Problem) -> dict[tuple[str, str], int]:
    """How many devices of each type each organisation that asks may receive in this run: its limit
    (`organisation_limits`), and never more than its requests ask for."""
    asked: dict[tuple[str, str], int] = {}
    for r in problem.requests:
        asked[(r.organisation, r.device_type)] = asked.get((r.organisation, r.device_type), 0) + r.count
    limits = organisation_limits(problem, asked)
    caps = {}
    for key, n in asked.items():
        limit = limits[key]
        caps[key] = n if limit is None else min(n, limit)
    return caps


def organisation_limits(
    problem: Problem, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], int | None]:
    """The most each (organisation, device type) may receive in one run: its remaining quota when the programme
    uses quotas (no quota row: 0), and the organisation share cap when set; None when nothing limits it."""
    remaining = (
        None
        if problem.quotas is None
        else {(q.organisation, q.device_type): q.remaining for q in problem.quotas}
    )
    share_caps = organisation_share_caps(problem)
    out: dict[tuple[str, str], int | None] = {}
    for key in keys:
        limits = [] if remaining is None else [remaining.get(key, 0)]
        if key[1] in share_caps:
            limits.append(share_caps[key[1]])
        out[key] = min(limits) if limits else None
    return out


def organisation_share_caps(problem: Problem) -> dict[str, int]:
    """Per device type, the most one organisation may take under the share cap (at least 1), if one is set."""
    share = problem.fairness.max_organisation_share
    if share is None:
        return {}
    stock: dict[str, int] = {}
    for cls in problem.stock:
        stock[cls.device_type] = stock.get(cls.device_type, 0) + cls.count
    return {t: max(1, math.floor(round(share * n, 9))) for t, n in stock.items()}
