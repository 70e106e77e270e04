"""Why each match, and why a request gets less than it asked for: the facts (computed once, after the solve)
and the plain-English sentences a programme manager reads."""

from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from devicebank.allocation.engine.inputs import DeviceClass, Problem, Request
from devicebank.allocation.engine.model import Ladders, PlaceReason, organisation_share_caps
from devicebank.allocation.engine.results import (
    Allocation,
    BandUse,
    Fact,
    Match,
    RequestOutcome,
    Shortfall,
    ShortfallReason,
)

if TYPE_CHECKING:
    from devicebank.allocation.engine.solve import Group, _Encoded


def shortfalls(
    *,
    problem: Problem,
    stock: Sequence[DeviceClass],
    requests: Sequence[Request],
    groups: Sequence[Group],
    class_flows: Sequence[Any],
    outcomes: list[RequestOutcome],
    matches: Sequence[Match],
    caps: Mapping[tuple[str, str], int],
    quota_used: Mapping[tuple[str, str], int],
    enc: _Encoded,
) -> list[RequestOutcome]:
    """Attach the reason to every request that gets less than it asked for (ShortfallReason's order)."""
    diagnosis = _Diagnosis(problem, stock, groups, class_flows, outcomes, matches, caps, quota_used, enc)
    group_of = {ri: g for g in groups for ri in g.requests}
    out = []
    for ri, (r, o) in enumerate(zip(requests, outcomes, strict=True)):
        if o.allocated >= o.wanted:
            out.append(o)
            continue
        g = group_of[ri]
        reason, facts = (
            diagnosis.quota_before(r)
            or diagnosis.place(r, g)
            or diagnosis.cap(r)
            or diagnosis.competition(r, g, o)
        )
        out.append(
            replace(o, shortfall=Shortfall(reason=reason, missing=o.wanted - o.allocated, facts=facts))
        )
    return out


Diagnosis = tuple[ShortfallReason, dict[str, Fact]]


class _Diagnosis:
    """What the solve left behind, to say why a request is short. Each check returns None when it does not
    apply, so they run in ShortfallReason's order."""

    def __init__(
        self,
        problem: Problem,
        stock: Sequence[DeviceClass],
        groups: Sequence[Group],
        class_flows: Sequence[Any],
        outcomes: Sequence[RequestOutcome],
        matches: Sequence[Match],
        caps: Mapping[tuple[str, str], int],
        quota_used: Mapping[tuple[str, str], int],
        enc: _Encoded,
    ) -> None:
        self.problem, self.stock, self.caps, self.quota_used, self.enc = problem, stock, caps, quota_used, enc
        self.remaining = (
            None
            if problem.quotas is None
            else {(q.organisation, q.device_type): q.remaining for q in problem.quotas}
        )
        self.share_caps = organisation_share_caps(problem)
        self.class_used = np.zeros(len(stock), dtype=np.int64)
        for g, f in zip(groups, class_flows, strict=True):
            np.add.at(self.class_used, g.classes, f)
        self.recipients: dict[str, dict[str, int]] = defaultdict(dict)
        for m in matches:
            self.recipients[m.class_id][m.request_id] = (
                self.recipients[m.class_id].get(m.request_id, 0) + m.count
            )
        self.marginal = {o.request_id: o.marginal_value for o in outcomes}
        self.by_type: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(stock):
            if c.count > 0:
                self.by_type[c.device_type].append(i)
        self.elsewhere_cache: dict[int, dict[str, Fact]] = {}
        self.takers_cache: dict[int, tuple[int, dict[str, int], list[tuple[float, str]]]] = {}

    def quota_before(self, r: Request) -> Diagnosis | None:
        if self.remaining is not None and self.remaining.get((r.organisation, r.device_type), 0) == 0:
            return ShortfallReason.NO_QUOTA, {"organisation": r.organisation, "device_type": r.device_type}
        return None

    def place(self, r: Request, g: Group) -> Diagnosis | None:
        if len(g.classes):
            return None
        if id(g) not in self.elsewhere_cache:
            self.elsewhere_cache[id(g)] = _elsewhere(
                r, self.stock, self.by_type.get(r.device_type, []), self.enc
            )
        facts = dict(self.elsewhere_cache[id(g)])
        if facts["eligible_elsewhere"]:
            return ShortfallReason.OUTSIDE_AREA, facts
        return ShortfallReason.NO_ELIGIBLE_STOCK, facts

    def cap(self, r: Request) -> Diagnosis | None:
        key = (r.organisation, r.device_type)
        if self.quota_used[key] < self.caps[key]:
            return None
        facts: dict[str, Fact] = {
            "organisation": r.organisation,
            "device_type": r.device_type,
            "allocated_to_organisation": self.quota_used[key],
        }
        if self.remaining is not None and self.remaining.get(key, 0) == self.caps[key]:
            return ShortfallReason.QUOTA_REACHED, facts | {"quota": self.remaining[key]}
        share = self.problem.fairness.max_organisation_share
        return ShortfallReason.SHARE_CAP, facts | {"cap": self.share_caps.get(r.device_type), "share": share}

    def competition(self, r: Request, g: Group, o: RequestOutcome) -> Diagnosis:
        left = self.enc.count[g.classes] - self.class_used[g.classes]
        if left.any():
            raise RuntimeError(
                f"Allocation engine invariant broken: request {r.id!r} is short while eligible stock is left."
            )
        if id(g) not in self.takers_cache:
            self.takers_cache[id(g)] = _takers(g, self.stock, self.recipients, self.marginal)
        within, takers, ranked = self.takers_cache[id(g)]
        lowest = next((v for v, rid in ranked if rid != r.id), None)
        if lowest is None:
            return ShortfallReason.NOT_ENOUGH_STOCK, {"eligible_within_reach": within}
        return ShortfallReason.LOST_TO_HIGHER_VALUE, {
            "eligible_within_reach": within,
            "to_this_request": o.allocated,
            "to_others": sum(takers.values()) - takers.get(r.id, 0),
            "other_requests": len(takers) - (r.id in takers),
            "lowest_other_value": lowest,
            "next_value": o.next_value,
        }


def _takers(
    g: Group,
    stock: Sequence[DeviceClass],
    recipients: Mapping[str, Mapping[str, int]],
    marginal: Mapping[str, float | None],
) -> tuple[int, dict[str, int], list[tuple[float, str]]]:
    """Who took the devices a group could have had: devices within reach, devices per request, and the
    requests ranked by what their last device counted for (lowest first)."""
    within = 0
    takers: dict[str, int] = defaultdict(int)
    for c in g.classes.tolist():
        cls = stock[c]
        within += cls.count
        for rid, n in recipients.get(cls.id, {}).items():
            takers[rid] += n
    # The two lowest are enough: the lowest other than the request asking is one of them.
    ranked = heapq.nsmallest(2, ((v, rid) for rid in takers if (v := marginal[rid]) is not None))
    return within, dict(takers), ranked


def _elsewhere(
    r: Request, stock: Sequence[DeviceClass], of_type: list[int], enc: _Encoded
) -> dict[str, Fact]:
    """Stock of the request's type anywhere: how much meets each criterion, and where the eligible stock is."""
    idx = np.array(of_type, dtype=np.int64)
    counts = enc.count[idx] if len(idx) else np.zeros(0, dtype=np.int64)
    memory_ok = enc.memory[idx] >= r.min_memory_gb
    storage_ok = enc.storage[idx] >= r.min_storage_gb
    needs = np.uint64(enc.mask(r.needs, enc.feature_bit))
    needs_ok = (enc.features[idx] & needs) == needs
    systems = enc.mask(r.os, enc.os_bit)
    os_ok = (enc.os[idx] & np.uint64(systems)) != 0 if systems else np.ones(len(idx), dtype=bool)
    ok = memory_ok & storage_ok & needs_ok & os_ok
    sites = sorted({stock[i].site for i in idx[ok]})
    return {
        "device_type": r.device_type,
        "area": r.area,
        "pickup_site": r.pickup_site,
        "in_stock": int(counts.sum()),
        "meeting_memory": int(counts[memory_ok].sum()),
        "meeting_storage": int(counts[storage_ok].sum()),
        "meeting_needs": int(counts[needs_ok].sum()),
        "meeting_os": int(counts[os_ok].sum()),
        "eligible_elsewhere": int(counts[ok].sum()),
        "sites": tuple(sites[:5]),
        "more_sites": max(0, len(sites) - 5),
    }


# Plain English ---------------------------------------------------------------------------------------------


def _number(fact: Fact) -> float:
    """A numeric fact (the facts mapping is typed loosely: its values are numbers, names or lists of names)."""
    if not isinstance(fact, int | float):
        raise TypeError(f"Expected a number, got {fact!r}.")
    return fact


def _devices(n: int, device_type: str) -> str:
    noun = device_type.replace("_", "-")
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _num(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _bands_text(bands: Sequence[BandUse], first_device: int, wanted: int, weight: float) -> str:
    parts = []
    n = first_device
    for b in bands:
        span = (
            f"device {n} of {wanted} is"
            if b.devices == 1
            else f"devices {n}–{n + b.devices - 1} of {wanted} are"
        )
        factor = "full value" if b.factor == 1 else f"{_num(b.factor)} × priority"
        parts.append(f"{span} in fairness band {b.band} ({factor}, {_num(b.value_each)} each)")
        n += b.devices
    return f"Priority weight {_num(weight)}; " + "; ".join(parts) + "."


def _place_text(m: Match, cls: DeviceClass, r: Request) -> str:
    if m.place is PlaceReason.SAME_AREA:
        text = f"{cls.site} is in the request's area ({r.area})"
    elif m.place is PlaceReason.PICKUP_SITE:
        text = f"{cls.site} is the request's pick-up site"
    elif m.place is PlaceReason.ALLOWED:
        text = f"{cls.site} may serve {r.area} (an allowed site and area pair)"
    else:
        text = f"{cls.site} is within the distance limit of {r.area}"
    if m.distance is not None:
        text += f", {_num(m.distance)} away"
    return text + "."


def _eligible_text(cls: DeviceClass, r: Request) -> str:
    parts = [f"a {cls.device_type.replace('_', '-')} as asked"]
    if r.min_memory_gb:
        parts.append(f"{cls.memory_gb} GB memory (at least {r.min_memory_gb} GB asked)")
    if r.min_storage_gb:
        parts.append(f"{cls.storage_gb} GB storage (at least {r.min_storage_gb} GB asked)")
    if r.needs:
        parts.append("has " + ", ".join(n.replace("_", " ") for n in sorted(r.needs)) + " as needed")
    if r.os:
        parts.append(f"runs {cls.os} (accepted: {', '.join(sorted(r.os))})")
    return "Eligible: " + "; ".join(parts) + "."


def _first_rung(ladder: list[int], minimum: int) -> int:
    """The smallest size in stock that meets the minimum."""
    return ladder[bisect.bisect_left(ladder, minimum)]


def _fit_text(m: Match, cls: DeviceClass, r: Request, ladders: Ladders) -> str:
    if m.steps == 0:
        return "Fit: the closest match to the request's minimum that the stock has."
    details = []
    memory = ladders.memory_steps(cls, r)
    storage = ladders.storage_steps(cls, r)
    extra = sorted(cls.features - r.needs)
    if memory:
        enough = _first_rung(ladders.memory[cls.device_type], r.min_memory_gb)
        details.append(f"{cls.memory_gb} GB memory where {enough} GB would do")
    if storage:
        enough = _first_rung(ladders.storage[cls.device_type], r.min_storage_gb)
        details.append(f"{cls.storage_gb} GB storage where {enough} GB would do")
    if extra:
        details.append("also has " + ", ".join(e.replace("_", " ") for e in extra))
    text = f"Fit: {m.steps} step{'s' if m.steps != 1 else ''} above the minimum ({'; '.join(details)})"
    if m.closer_classes:
        n = len(m.closer_classes)
        text += f"; the {n} closer-fitting class{'es' if n != 1 else ''} within reach {'were' if n != 1 else 'was'} all allocated"
    return text + "."


def explain_match(allocation: Allocation, m: Match) -> str:
    cls = allocation.classes_by_id[m.class_id]
    r = allocation.requests_by_id[m.request_id]
    return " ".join(
        [
            f"{_devices(m.count, cls.device_type)} from class {cls.id} at {cls.site} for request {r.id}"
            f" ({r.organisation}).",
            _eligible_text(cls, r),
            "Place: " + _place_text(m, cls, r),
            _bands_text(m.bands, m.first_device, r.count, r.weight),
            _fit_text(m, cls, r, allocation.ladders),
        ]
    )


def explain_outcome(allocation: Allocation, o: RequestOutcome) -> str:
    r = allocation.requests_by_id[o.request_id]
    head = f"Request {r.id} ({r.organisation}) asked for {_devices(o.wanted, r.device_type)} and gets {o.allocated:,}."
    s = o.shortfall
    if s is None:
        return head
    f = s.facts
    why = _SHORTFALL_TEXT[s.reason](r, f)
    return f"{head} {s.missing:,} short: {why}"


def _no_quota(r: Request, f: Mapping[str, Fact]) -> str:
    return f"{r.organisation} has no quota left for {r.device_type.replace('_', '-')}s."


def _no_eligible(r: Request, f: Mapping[str, Fact]) -> str:
    if not f["in_stock"]:
        return f"there are no {r.device_type.replace('_', '-')}s in stock."
    criteria = []
    if r.min_memory_gb:
        criteria.append((f["meeting_memory"], f"at least {r.min_memory_gb} GB memory"))
    if r.min_storage_gb:
        criteria.append((f["meeting_storage"], f"at least {r.min_storage_gb} GB storage"))
    if r.needs:
        criteria.append((f["meeting_needs"], ", ".join(n.replace("_", " ") for n in sorted(r.needs))))
    if r.os:
        criteria.append((f["meeting_os"], " or ".join(sorted(r.os))))
    of = f"of {_devices(int(_number(f['in_stock'])), r.device_type)} in stock"
    lacking = [what for n, what in criteria if not n]
    if lacking:
        return f"no device in stock meets the request: {of}, none has {' nor '.join(lacking)}."
    counts = "; ".join(f"{n:,} have {what}" for n, what in criteria)
    return f"no device in stock meets the request: {of}, {counts}, but none has all of these."


def _outside(r: Request, f: Mapping[str, Fact]) -> str:
    sites = ", ".join(f["sites"] or ()) if isinstance(f["sites"], tuple) else ""
    more = f" and {f['more_sites']} more" if f.get("more_sites") else ""
    pickup = f" or its pick-up site {r.pickup_site}" if r.pickup_site else ""
    return (
        f"{_devices(int(_number(f['eligible_elsewhere'])), r.device_type)} meet the request, but only at sites that may "
        f"not serve {r.area}{pickup} ({sites}{more})."
    )


def _quota(r: Request, f: Mapping[str, Fact]) -> str:
    return (
        f"{r.organisation}'s remaining quota of {f['quota']:,} for {r.device_type.replace('_', '-')}s is used up by "
        f"this allocation ({f['allocated_to_organisation']:,} across its requests)."
    )


def _share(r: Request, f: Mapping[str, Fact]) -> str:
    share = f["share"]
    percent = _num(float(share) * 100) if isinstance(share, float | int) else "?"
    return (
        f"no organisation may take more than {percent}% of the {r.device_type.replace('_', '-')}s in one run "
        f"({f['cap']:,}); {r.organisation} has reached that."
    )


def _not_enough(r: Request, f: Mapping[str, Fact]) -> str:
    return f"every eligible device within reach ({f['eligible_within_reach']:,}) goes to this request; there are no more."


def _lost(r: Request, f: Mapping[str, Fact]) -> str:
    lowest = _number(f["lowest_other_value"])
    nxt = _number(f["next_value"])
    if lowest > nxt * (1 + 1e-9):
        compare = (
            f"whose last device counted for at least {_num(lowest)}, more than the {_num(nxt)} "
            "this request's next device would count for"
        )
    else:
        compare = (
            f"whose last device counted for {_num(lowest)}, as much as this request's next device would: a tie, "
            "settled by waiting time, then by fit and distance"
        )
    return (
        f"all {f['eligible_within_reach']:,} eligible devices within reach are allocated: {f['to_this_request']:,} to "
        f"this request and {f['to_others']:,} to {f['other_requests']:,} other request"
        f"{'s' if f['other_requests'] != 1 else ''} {compare} (priority weight × fairness band)."
    )


_SHORTFALL_TEXT = {
    ShortfallReason.NO_QUOTA: _no_quota,
    ShortfallReason.NO_ELIGIBLE_STOCK: _no_eligible,
    ShortfallReason.OUTSIDE_AREA: _outside,
    ShortfallReason.QUOTA_REACHED: _quota,
    ShortfallReason.SHARE_CAP: _share,
    ShortfallReason.NOT_ENOUGH_STOCK: _not_enough,
    ShortfallReason.LOST_TO_HIGHER_VALUE: _lost,
}
