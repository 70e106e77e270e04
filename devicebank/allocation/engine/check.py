"""Check any allocation against the rules, and score it with the model's objective.

The engine's own output always passes; the workflow's "adjust" step (a person moves devices between requests)
runs its result through `check_allocation` before committing, and tests use both to hold the engine to account.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from devicebank.allocation.engine.errors import AllocationInputError
from devicebank.allocation.engine.inputs import Problem
from devicebank.allocation.engine.model import (
    Ladders,
    Places,
    Scale,
    band_sizes,
    organisation_limits,
    spec_failures,
)


class Planned(Protocol):
    """Anything that says "this many devices of this class for this request" (a Match, or an adjusted row)."""

    @property
    def request_id(self) -> str: ...
    @property
    def class_id(self) -> str: ...
    @property
    def count(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Line:
    """A planned match that is not from the engine (e.g. after a person adjusted a preview)."""

    request_id: str
    class_id: str
    count: int


@dataclass(frozen=True, slots=True)
class Violation:
    code: str  # over_allocated_class, over_filled_request, ineligible, out_of_reach, over_quota
    message: str


@dataclass(frozen=True, slots=True)
class Score:
    objective: float  # priority-weight units, the engine's objective
    weighted_need_met: float
    devices: int


def _totals(problem: Problem, lines: Iterable[Planned]) -> tuple[dict[tuple[str, str], int], list[Planned]]:
    classes = {c.id for c in problem.stock}
    requests = {r.id for r in problem.requests}
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    kept = []
    for line in lines:
        if line.class_id not in classes:
            raise AllocationInputError(
                f"Unknown device class {line.class_id!r} in the allocation.", field="class_id"
            )
        if line.request_id not in requests:
            raise AllocationInputError(
                f"Unknown request {line.request_id!r} in the allocation.", field="request_id"
            )
        if isinstance(line.count, bool) or not isinstance(line.count, int) or line.count < 0:
            raise AllocationInputError(
                f"The count for request {line.request_id!r} from class {line.class_id!r} must be a whole number "
                f"0 or more (got {line.count!r}).",
                field="count",
            )
        pairs[(line.request_id, line.class_id)] += line.count
        kept.append(line)
    return dict(pairs), kept


def check_allocation(problem: Problem, lines: Iterable[Planned]) -> tuple[Violation, ...]:
    """Every rule the allocation breaks (empty when it keeps them all).

    Raises:
        AllocationInputError: a line names a class or request that is not in the problem, or a bad count.
    """
    pairs, _ = _totals(problem, lines)
    classes = {c.id: c for c in problem.stock}
    requests = {r.id: r for r in problem.requests}
    places = Places(problem)
    out = []
    per_class: dict[str, int] = defaultdict(int)
    per_request: dict[str, int] = defaultdict(int)
    for (rid, cid), n in sorted(pairs.items()):
        if n == 0:
            continue
        cls, r = classes[cid], requests[rid]
        per_class[cid] += n
        per_request[rid] += n
        failures = spec_failures(cls, r)
        if failures:
            out.append(
                Violation(
                    "ineligible",
                    f"Class {cid} does not meet request {rid}: {', '.join(f.value for f in failures)}.",
                )
            )
        if places.reach(cls.site, r) is None:
            out.append(
                Violation(
                    "out_of_reach", f"Class {cid} at {cls.site} may not serve request {rid} ({r.area})."
                )
            )
    for cid, n in sorted(per_class.items()):
        if n > classes[cid].count:
            out.append(
                Violation(
                    "over_allocated_class", f"Class {cid} has {classes[cid].count} devices; {n} allocated."
                )
            )
    for rid, n in sorted(per_request.items()):
        if n > requests[rid].count:
            out.append(
                Violation(
                    "over_filled_request", f"Request {rid} asked for {requests[rid].count}; {n} allocated."
                )
            )
    per_quota: dict[tuple[str, str], int] = defaultdict(int)
    for rid, n in per_request.items():
        r = requests[rid]
        per_quota[(r.organisation, r.device_type)] += n
    limits = organisation_limits(problem, per_quota)
    for key, n in sorted(per_quota.items()):
        limit = limits[key]
        if limit is not None and n > limit:
            out.append(
                Violation(
                    "over_quota",
                    f"{key[0]} may receive {limit} {key[1]} devices in this run (quota and share cap); "
                    f"{n} allocated.",
                )
            )
    return tuple(out)


def score(problem: Problem, lines: Iterable[Planned]) -> Score:
    """The model's objective for any allocation (it need not keep the rules: check that separately)."""
    pairs, _ = _totals(problem, lines)
    classes = {c.id: c for c in problem.stock}
    requests = {r.id: r for r in problem.requests}
    places = Places(problem)
    ladders = Ladders(problem.stock)
    scale = Scale.for_problem(problem)
    per_request: dict[str, int] = defaultdict(int)
    units = 0.0
    for (rid, cid), n in pairs.items():
        if n == 0:
            continue
        cls, r = classes[cid], requests[rid]
        per_request[rid] += n
        reach = places.reach(cls.site, r)
        units -= n * scale.secondary_cost(ladders.steps(cls, r), reach.distance if reach else None)
    weighted = 0.0
    for rid, n in per_request.items():
        r = requests[rid]
        weighted += r.weight * n
        left = n
        for band, size in zip(
            problem.fairness.bands, band_sizes(r.count, problem.fairness.bands), strict=True
        ):
            take = min(left, size)
            units += take * scale.unit_value(r.weight, band.factor, r.waiting_days)
            left -= take
        # Devices beyond the request's count earn nothing (check_allocation reports them).
    return Score(
        objective=scale.to_weight(units), weighted_need_met=weighted, devices=sum(per_request.values())
    )
