"""What the allocation engine is given: plain frozen dataclasses, no Django.

A caller (the allocation workflow) builds these from its selectors: ready devices grouped into device classes,
open requests, the organisations' remaining quotas, and the programme's place and fairness rules.
`validate` checks them all and raises `AllocationInputError` naming the first problem it finds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from devicebank.allocation.engine.errors import AllocationInputError

DeviceId = int | str


@dataclass(frozen=True, slots=True)
class DeviceClass:
    """Ready devices that are interchangeable for allocation: same type, specification and site.

    Attributes:
        id: the caller's key for the class, unique within one problem.
        device_type: e.g. "laptop" (devices.DeviceType values).
        site: where the devices are (a location key); `area` is the area that site is in.
        count: how many devices the class holds.
        memory_gb, storage_gb: the class's memory and storage (whole GB).
        features: what the devices have that a request may need ("webcam", "screen_reader", ...).
        os: the installed operating system ("windows", "chromeos", ...); "" when it does not matter.
        device_ids: optionally the devices themselves, in the order they should be given out (oldest ready
            first is the usual order); needed only to turn counts into devices (`assign_devices`).
    """

    id: str
    device_type: str
    site: str
    area: str
    count: int
    memory_gb: int = 0
    storage_gb: int = 0
    features: frozenset[str] = frozenset()
    os: str = ""
    device_ids: tuple[DeviceId, ...] | None = None


@dataclass(frozen=True, slots=True)
class Request:
    """An open request for devices of one type from one organisation (a school, a community organisation, or
    the organisation that referred a resident).

    Attributes:
        id: the request's reference, unique within one problem.
        organisation: the organisation whose quota the request draws on.
        area: the area the devices are for (the school's or resident's area).
        device_type: the type wanted.
        count: how many devices are wanted (at least 1).
        weight: the priority weight from the programme's priority score (greater than 0; higher comes first).
        pickup_site: a site the devices may also come from (collection point), if any.
        min_memory_gb, min_storage_gb: the minimum specification.
        needs: features every device must have ("webcam", "screen_reader", ...).
        os: operating systems that are acceptable; empty means any.
        waiting_days: how long the request has waited; breaks ties between equal priorities.
    """

    id: str
    organisation: str
    area: str
    device_type: str
    count: int
    weight: float
    pickup_site: str | None = None
    min_memory_gb: int = 0
    min_storage_gb: int = 0
    needs: frozenset[str] = frozenset()
    os: frozenset[str] = frozenset()
    waiting_days: int = 0


@dataclass(frozen=True, slots=True)
class Quota:
    """What an organisation may still receive of one device type (its balance in the allocation ledger)."""

    organisation: str
    device_type: str
    remaining: int


@dataclass(frozen=True, slots=True)
class Distance:
    """How far a site is from an area (km, or any cost unit the programme uses consistently)."""

    site: str
    area: str
    distance: float


@dataclass(frozen=True, slots=True)
class PlaceRule:
    """Which sites may serve which requests.

    A device class at site S (in area A) may serve a request for area R with pick-up site P when any of:
    `same_area` and A == R; `pickup_site` and S == P; (S, R) is in `allowed`; or `max_distance` is set and the
    distance from S to R in `distances` is at most `max_distance`. Known distances also add a small cost, so
    nearer stock is preferred when it is otherwise equal.
    """

    same_area: bool = True
    pickup_site: bool = True
    allowed: frozenset[tuple[str, str]] = frozenset()
    distances: tuple[Distance, ...] = ()
    max_distance: float | None = None


@dataclass(frozen=True, slots=True)
class Band:
    """A slice of each request: up to `up_to` of the request's count, each device counts `factor` x its weight."""

    up_to: float
    factor: float


#: Diminishing marginal value per request: the first quarter of what a request asks for counts at its full
#: priority weight, the next quarter at 0.8 of it, then 0.6, then 0.4. See docs/adr/0003-allocation-solver.md.
DEFAULT_BANDS: tuple[Band, ...] = (Band(0.25, 1.0), Band(0.5, 0.8), Band(0.75, 0.6), Band(1.0, 0.4))


@dataclass(frozen=True, slots=True)
class FairnessRule:
    """How devices are spread: diminishing marginal value per request (`bands`), and optionally a cap on the
    share of one device type's stock any single organisation may take in one run.

    `FairnessRule(bands=(Band(1.0, 1.0),))` switches fairness off: pure priority order.
    """

    bands: tuple[Band, ...] = DEFAULT_BANDS
    max_organisation_share: float | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything one allocation run needs. `quotas=None` means the programme does not use quotas; a tuple
    (even an empty one) means every organisation needs a quota row for the type it asks for (no row = 0)."""

    stock: tuple[DeviceClass, ...]
    requests: tuple[Request, ...]
    quotas: tuple[Quota, ...] | None = None
    place: PlaceRule = field(default_factory=PlaceRule)
    fairness: FairnessRule = field(default_factory=FairnessRule)


def _fail(message: str, field_name: str) -> AllocationInputError:
    return AllocationInputError(message, field=field_name)


def _check_text(value: object, what: str, field_name: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"{what} must be a non-empty text, got {value!r}.", field_name)


def _check_count(value: object, what: str, field_name: str, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f"{what} must be a whole number, got {value!r}.", field_name)
    if value < minimum:
        if minimum == 0:
            raise _fail(f"{what} cannot be negative (got {value}).", field_name)
        raise _fail(f"{what} must be at least {minimum} (got {value}).", field_name)


def _check_names(values: Iterable[object], what: str, field_name: str) -> None:
    for value in values:
        _check_text(value, what, field_name)


def _validate_stock(stock: tuple[DeviceClass, ...]) -> None:
    if not stock:
        raise _fail("There is no stock to allocate: the problem has no device classes.", "stock")
    seen: set[str] = set()
    site_area: dict[str, str] = {}
    device_seen: dict[DeviceId, str] = {}
    for i, cls in enumerate(stock):
        where = f"stock[{i}]"
        if not isinstance(cls, DeviceClass):
            raise _fail(f"{where} is not a DeviceClass.", where)
        _check_text(cls.id, "A device class id", f"{where}.id")
        where = f"stock[{cls.id}]"
        if cls.id in seen:
            raise _fail(f"Device class {cls.id!r} appears twice in the stock.", f"{where}.id")
        seen.add(cls.id)
        _check_text(cls.device_type, f"Device class {cls.id!r}'s device type", f"{where}.device_type")
        _check_text(cls.site, f"Device class {cls.id!r}'s site", f"{where}.site")
        _check_text(cls.area, f"Device class {cls.id!r}'s area", f"{where}.area")
        _check_count(cls.count, f"Device class {cls.id!r}'s count", f"{where}.count", minimum=0)
        _check_count(cls.memory_gb, f"Device class {cls.id!r}'s memory", f"{where}.memory_gb", minimum=0)
        _check_count(cls.storage_gb, f"Device class {cls.id!r}'s storage", f"{where}.storage_gb", minimum=0)
        _check_names(cls.features, f"A feature of device class {cls.id!r}", f"{where}.features")
        if not isinstance(cls.os, str):
            raise _fail(f"Device class {cls.id!r}'s operating system must be text.", f"{where}.os")
        known = site_area.setdefault(cls.site, cls.area)
        if known != cls.area:
            raise _fail(
                f"Site {cls.site!r} is given in two areas ({known!r} and {cls.area!r}): a site is in one area.",
                f"{where}.area",
            )
        if cls.device_ids is not None:
            if len(cls.device_ids) != cls.count:
                raise _fail(
                    f"Device class {cls.id!r} counts {cls.count} devices but lists {len(cls.device_ids)} ids.",
                    f"{where}.device_ids",
                )
            for device_id in cls.device_ids:
                other = device_seen.setdefault(device_id, cls.id)
                if other != cls.id:
                    raise _fail(
                        f"Device {device_id!r} is listed in two classes ({other!r} and {cls.id!r}).",
                        f"{where}.device_ids",
                    )
            if len(set(cls.device_ids)) != len(cls.device_ids):
                raise _fail(f"Device class {cls.id!r} lists a device twice.", f"{where}.device_ids")


def _validate_requests(requests: tuple[Request, ...]) -> None:
    seen: set[str] = set()
    for i, req in enumerate(requests):
        where = f"requests[{i}]"
        if not isinstance(req, Request):
            raise _fail(f"{where} is not a Request.", where)
        _check_text(req.id, "A request id", f"{where}.id")
        where = f"requests[{req.id}]"
        if req.id in seen:
            raise _fail(f"Request {req.id!r} appears twice.", f"{where}.id")
        seen.add(req.id)
        _check_text(req.organisation, f"Request {req.id!r}'s organisation", f"{where}.organisation")
        _check_text(req.area, f"Request {req.id!r}'s area", f"{where}.area")
        _check_text(req.device_type, f"Request {req.id!r}'s device type", f"{where}.device_type")
        _check_count(req.count, f"Request {req.id!r}'s count", f"{where}.count", minimum=1)
        if (
            isinstance(req.weight, bool)
            or not isinstance(req.weight, int | float)
            or not math.isfinite(req.weight)
            or req.weight <= 0
        ):
            raise _fail(
                f"Request {req.id!r}'s priority weight must be a number greater than 0 (got {req.weight!r}).",
                f"{where}.weight",
            )
        if req.pickup_site is not None:
            _check_text(req.pickup_site, f"Request {req.id!r}'s pick-up site", f"{where}.pickup_site")
        _check_count(
            req.min_memory_gb, f"Request {req.id!r}'s minimum memory", f"{where}.min_memory_gb", minimum=0
        )
        _check_count(
            req.min_storage_gb, f"Request {req.id!r}'s minimum storage", f"{where}.min_storage_gb", minimum=0
        )
        _check_names(req.needs, f"A need of request {req.id!r}", f"{where}.needs")
        _check_names(req.os, f"An operating system accepted by request {req.id!r}", f"{where}.os")
        _check_count(
            req.waiting_days, f"Request {req.id!r}'s waiting time", f"{where}.waiting_days", minimum=0
        )


def _validate_quotas(quotas: tuple[Quota, ...]) -> None:
    seen: set[tuple[str, str]] = set()
    for i, quota in enumerate(quotas):
        where = f"quotas[{i}]"
        if not isinstance(quota, Quota):
            raise _fail(f"{where} is not a Quota.", where)
        _check_text(quota.organisation, "A quota's organisation", f"{where}.organisation")
        _check_text(quota.device_type, "A quota's device type", f"{where}.device_type")
        key = (quota.organisation, quota.device_type)
        if key in seen:
            raise _fail(f"Organisation {key[0]!r} has two quotas for {key[1]!r}.", where)
        seen.add(key)
        _check_count(
            quota.remaining,
            f"Organisation {quota.organisation!r}'s remaining quota for {quota.device_type!r}",
            f"{where}.remaining",
            minimum=0,
        )


def _validate_place(place: PlaceRule) -> None:
    for pair in place.allowed:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise _fail(f"An allowed place must be a (site, area) pair, got {pair!r}.", "place.allowed")
        _check_names(pair, "A site or area in an allowed pair", "place.allowed")
    seen: set[tuple[str, str]] = set()
    for i, d in enumerate(place.distances):
        _check_text(d.site, "A distance's site", f"place.distances[{i}].site")
        _check_text(d.area, "A distance's area", f"place.distances[{i}].area")
        if (d.site, d.area) in seen:
            raise _fail(
                f"The distance from {d.site!r} to {d.area!r} is given twice.", f"place.distances[{i}]"
            )
        seen.add((d.site, d.area))
        if not isinstance(d.distance, int | float) or not math.isfinite(d.distance) or d.distance < 0:
            raise _fail(
                f"The distance from {d.site!r} to {d.area!r} must be 0 or more (got {d.distance!r}).",
                f"place.distances[{i}].distance",
            )
    if place.max_distance is not None and (
        not isinstance(place.max_distance, int | float)
        or not math.isfinite(place.max_distance)
        or place.max_distance < 0
    ):
        raise _fail(
            f"The maximum distance must be 0 or more (got {place.max_distance!r}).", "place.max_distance"
        )


def _validate_fairness(fairness: FairnessRule) -> None:
    bands = fairness.bands
    if not bands:
        raise _fail("The fairness rule needs at least one band.", "fairness.bands")
    previous_up_to, previous_factor = 0.0, 1.0
    for i, band in enumerate(bands):
        where = f"fairness.bands[{i}]"
        if not (previous_up_to < band.up_to <= 1.0):
            raise _fail(
                f"Band {i + 1} must end after the previous one and at most at 1.0 (got {band.up_to!r}).",
                f"{where}.up_to",
            )
        if not (0.0 < band.factor <= previous_factor):
            raise _fail(
                f"Band {i + 1}'s factor must be greater than 0 and no more than the previous band's "
                f"({previous_factor}); got {band.factor!r}. Marginal value may only go down.",
                f"{where}.factor",
            )
        previous_up_to, previous_factor = band.up_to, band.factor
    if bands[-1].up_to != 1.0:
        raise _fail("The last band must end at 1.0 (the whole request).", "fairness.bands")
    share = fairness.max_organisation_share
    if share is not None and not (isinstance(share, int | float) and 0.0 < share <= 1.0):
        raise _fail(
            f"The maximum organisation share must be above 0 and at most 1 (got {share!r}).",
            "fairness.max_organisation_share",
        )


def validate(problem: Problem) -> None:
    """Check every input; raise `AllocationInputError` naming the first problem found."""
    if not isinstance(problem, Problem):
        raise _fail("The allocation engine needs a Problem.", "problem")
    _validate_stock(problem.stock)
    _validate_requests(problem.requests)
    if problem.quotas is not None:
        _validate_quotas(problem.quotas)
    _validate_place(problem.place)
    _validate_fairness(problem.fairness)
