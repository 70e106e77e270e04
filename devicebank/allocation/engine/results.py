"""What the allocation engine returns: matches (request x device class x count), each request's outcome and,
where a request is not met in full, why. Structured fields for programs; `explain_*` for people."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from devicebank.allocation.engine.inputs import DeviceClass, Problem, Request
from devicebank.allocation.engine.model import Ladders, PlaceReason

Fact = str | int | float | tuple[str, ...] | None


class ShortfallReason(StrEnum):
    """Why a request gets fewer devices than it asked for (the first that applies, in this order)."""

    NO_QUOTA = "no_quota"
    """The organisation had no quota left for this device type before the run."""
    NO_ELIGIBLE_STOCK = "no_eligible_stock"
    """Nothing in stock, anywhere, meets the request's type, minimum specification and needs."""
    OUTSIDE_AREA = "outside_area"
    """Stock that meets the request exists, but only at sites that may not serve the request's area."""
    QUOTA_REACHED = "quota_reached"
    """This run gave the organisation the rest of its quota for this device type."""
    SHARE_CAP = "share_cap"
    """The organisation reached the most any one organisation may take of this device type in one run."""
    NOT_ENOUGH_STOCK = "not_enough_stock"
    """Every eligible device within reach went to this request; there were not enough."""
    LOST_TO_HIGHER_VALUE = "lost_to_higher_value"
    """Eligible devices within reach went to requests whose next device counted for more (priority and fairness)."""


@dataclass(frozen=True, slots=True)
class BandUse:
    """Devices of one request that fell in one fairness band."""

    band: int  # 1-based
    factor: float
    devices: int
    value_each: float  # weight x factor: what each of these devices counted for


@dataclass(frozen=True, slots=True)
class Match:
    """`count` devices of class `class_id` go to request `request_id`.

    Attributes:
        place: why the class's site may serve the request; `distance` when the programme gave one.
        steps: over-specification steps above the request's minimum (0 = the closest fit the stock has).
        first_device: the number of this match's first device among the request's devices (1-based).
        bands: the fairness bands these devices fell in (the request's devices are numbered across its matches).
        closer_classes: eligible classes within reach that would have fitted more closely; all were allocated.
    """

    request_id: str
    class_id: str
    count: int
    place: PlaceReason
    distance: float | None
    steps: int
    first_device: int
    bands: tuple[BandUse, ...]
    closer_classes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Shortfall:
    reason: ShortfallReason
    missing: int
    facts: Mapping[str, Fact]


@dataclass(frozen=True, slots=True)
class RequestOutcome:
    """What one request gets.

    Attributes:
        marginal_value: what the last device given counted for (weight x band factor), None if none given.
        next_value: what one more device would have counted for, None when the request is met in full.
    """

    request_id: str
    wanted: int
    allocated: int
    bands: tuple[BandUse, ...]
    marginal_value: float | None
    next_value: float | None
    shortfall: Shortfall | None


@dataclass(frozen=True, slots=True)
class SolveStats:
    classes: int
    requests: int
    groups: int
    nodes: int
    arcs: int
    seconds: Mapping[str, float]


@dataclass(frozen=True)
class Allocation:
    """A proposed allocation (a preview): apply it only while `ensure_current(allocation, problem)` passes.

    Attributes:
        matches: in the order devices should be handed out: higher-priority requests first.
        outcomes: one per request, by request id.
        objective: the model's objective in priority-weight units (weighted need met with fairness bands, less
            the small over-specification and distance costs); what the solver maximised.
        weighted_need_met: sum over requests of priority weight x devices allocated (no bands, no costs).
    """

    problem: Problem
    fingerprint: str
    stock_fingerprint: str
    matches: tuple[Match, ...]
    outcomes: tuple[RequestOutcome, ...]
    objective: float
    weighted_need_met: float
    devices_allocated: int
    devices_in_stock: int
    stats: SolveStats

    @cached_property
    def classes_by_id(self) -> Mapping[str, DeviceClass]:
        return {c.id: c for c in self.problem.stock}

    @cached_property
    def requests_by_id(self) -> Mapping[str, Request]:
        return {r.id: r for r in self.problem.requests}

    @cached_property
    def _outcomes(self) -> Mapping[str, RequestOutcome]:
        return {o.request_id: o for o in self.outcomes}

    def outcome(self, request_id: str) -> RequestOutcome:
        """The outcome of one request (KeyError if the request was not in the problem)."""
        return self._outcomes[request_id]

    @cached_property
    def _matches_by_request(self) -> Mapping[str, tuple[Match, ...]]:
        out: dict[str, list[Match]] = {}
        for m in self.matches:
            out.setdefault(m.request_id, []).append(m)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def ladders(self) -> Ladders:
        return Ladders(self.problem.stock)

    def matches_for(self, request_id: str) -> tuple[Match, ...]:
        return self._matches_by_request.get(request_id, ())

    def explain(self, match: Match) -> str:
        """Why this device class for this request, in plain English."""
        from devicebank.allocation.engine.explain import explain_match

        return explain_match(self, match)

    def explain_outcome(self, request_id: str) -> str:
        """What the request gets and, if not everything, why not, in plain English."""
        from devicebank.allocation.engine.explain import explain_outcome

        return explain_outcome(self, self.outcome(request_id))
