"""Property tests on small random problems: the engine keeps every rule, its objective is the LP optimum (HiGHS)
and the brute-force optimum, its reasons for shortfalls are true, and input order does not matter."""

from __future__ import annotations

import itertools
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devicebank.allocation.engine import (
    Band,
    DeviceClass,
    Distance,
    FairnessRule,
    Line,
    PlaceRule,
    Problem,
    Quota,
    Request,
    ShortfallReason,
    allocate,
    check_allocation,
    score,
)
from devicebank.allocation.engine.model import VALUE_SCALE, Places, spec_failures
from devicebank.allocation.engine.reference import lp_optimum

SITES = {"s1": "north", "s2": "north", "s3": "south", "s4": "east"}
AREAS = ["north", "south", "east", "west"]
TYPES = ["laptop", "tablet"]
FEATURES = ["webcam", "screen_reader"]
SYSTEMS = ["windows", "linux"]


@st.composite
def classes(draw, n):
    out = []
    for i in range(n):
        site = draw(st.sampled_from(sorted(SITES)))
        out.append(
            DeviceClass(
                id=f"C{i}",
                device_type=draw(st.sampled_from(TYPES)),
                site=site,
                area=SITES[site],
                count=draw(st.integers(0, 5)),
                memory_gb=draw(st.sampled_from([4, 8, 16])),
                storage_gb=draw(st.sampled_from([64, 128])),
                features=frozenset(draw(st.sets(st.sampled_from(FEATURES)))),
                os=draw(st.sampled_from(SYSTEMS)),
            )
        )
    return tuple(out)


@st.composite
def requests(draw, n, max_count):
    out = []
    for i in range(n):
        out.append(
            Request(
                id=f"R{i}",
                organisation=draw(st.sampled_from(["o1", "o2", "o3"])),
                area=draw(st.sampled_from(AREAS)),
                device_type=draw(st.sampled_from(TYPES)),
                count=draw(st.integers(1, max_count)),
                weight=draw(st.sampled_from([1.0, 2.5, 10.0, 40.0, 99.9])),
                pickup_site=draw(st.none() | st.sampled_from(sorted(SITES))),
                min_memory_gb=draw(st.sampled_from([0, 0, 8, 16])),
                min_storage_gb=draw(st.sampled_from([0, 0, 128])),
                needs=frozenset(draw(st.sets(st.sampled_from(FEATURES), max_size=1))),
                os=frozenset(draw(st.sets(st.sampled_from(SYSTEMS), max_size=1))),
                waiting_days=draw(st.integers(0, 30)),
            )
        )
    return tuple(out)


FAIRNESS = st.sampled_from(
    [
        FairnessRule(),
        FairnessRule(bands=(Band(1.0, 1.0),)),
        FairnessRule(bands=(Band(0.5, 1.0), Band(1.0, 0.5))),
        FairnessRule(max_organisation_share=0.4),
    ]
)
PLACES = st.sampled_from(
    [
        PlaceRule(),
        PlaceRule(pickup_site=False),
        PlaceRule(allowed=frozenset({("s3", "north"), ("s1", "west")})),
        PlaceRule(
            distances=tuple(
                Distance(s, a, float(d))
                for (s, a), d in zip(itertools.product(SITES, AREAS), range(16), strict=True)
            ),
            max_distance=9.0,
        ),
    ]
)


@st.composite
def problems(draw, max_classes=6, max_requests=8, max_count=5):
    requests_ = draw(requests(draw(st.integers(1, max_requests)), max_count))
    quotas = None
    if draw(st.booleans()):
        keys = sorted({(r.organisation, r.device_type) for r in requests_})
        quotas = tuple(Quota(o, t, draw(st.integers(0, 6))) for o, t in keys if draw(st.integers(0, 5)))
    return Problem(
        stock=draw(classes(draw(st.integers(1, max_classes)))),
        requests=requests_,
        quotas=quotas,
        place=draw(PLACES),
        fairness=draw(FAIRNESS),
    )


def tolerance(problem, devices):
    # The solver sees every value and cost rounded to a whole cost unit: at most half a unit per device each.
    unit = max(r.weight for r in problem.requests) / VALUE_SCALE
    return 1e-9 + (devices + 1) * unit


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(problems())
def test_the_engine_keeps_every_rule_and_reaches_the_lp_optimum(problem):
    a = allocate(problem)
    assert check_allocation(problem, a.matches) == ()
    for o in a.outcomes:
        # A request's matches number its devices 1..allocated without gaps, and their bands add up.
        expected = 1
        for m in sorted(a.matches_for(o.request_id), key=lambda m: m.first_device):
            assert m.first_device == expected
            assert sum(b.devices for b in m.bands) == m.count
            expected += m.count
        assert expected - 1 == o.allocated
    checked = score(problem, a.matches)
    assert abs(checked.objective - a.objective) <= 1e-6 * max(1.0, abs(a.objective))
    reference = lp_optimum(problem)
    assert abs(a.objective - reference.objective) <= tolerance(problem, a.devices_in_stock)


@PROPERTY
@given(problems())
def test_every_shortfall_reason_is_true(problem):
    a = allocate(problem)
    places = Places(problem)
    requests = {r.id: r for r in problem.requests}
    used = defaultdict(int)
    for m in a.matches:
        used[m.class_id] += m.count
    per_org = defaultdict(int)
    for o in a.outcomes:
        r = requests[o.request_id]
        per_org[(r.organisation, r.device_type)] += o.allocated
    for o in a.outcomes:
        r = requests[o.request_id]
        assert (o.shortfall is None) == (o.allocated == o.wanted)
        if o.shortfall is None:
            continue
        eligible = [c for c in problem.stock if c.count and not spec_failures(c, r)]
        reachable = [c for c in eligible if places.reach(c.site, r)]
        reason = o.shortfall.reason
        if reason is ShortfallReason.NO_ELIGIBLE_STOCK:
            assert eligible == []
        elif reason is ShortfallReason.OUTSIDE_AREA:
            assert eligible
            assert reachable == []
        elif reason is ShortfallReason.NO_QUOTA:
            assert problem.quotas is not None
            assert o.allocated == 0
        elif reason in (ShortfallReason.QUOTA_REACHED, ShortfallReason.SHARE_CAP):
            assert per_org[(r.organisation, r.device_type)] == o.shortfall.facts["allocated_to_organisation"]
        else:
            assert reachable
            assert all(used[c.id] == c.count for c in reachable)
            if reason is ShortfallReason.LOST_TO_HIGHER_VALUE:
                assert o.shortfall.facts["to_others"] > 0


@PROPERTY
@given(problems(), st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_allocation(problem, rng):
    stock, requests_ = list(problem.stock), list(problem.requests)
    rng.shuffle(stock)
    rng.shuffle(requests_)
    a = allocate(problem)
    b = allocate(Problem(tuple(stock), tuple(requests_), problem.quotas, problem.place, problem.fairness))
    assert a.matches == b.matches
    assert a.outcomes == b.outcomes


def brute_force_best(problem: Problem) -> float:
    """The best objective over every integer allocation that keeps the rules (tiny problems only)."""
    pairs = [(r.id, c.id) for r in problem.requests for c in problem.stock if c.count]
    caps = {c.id: c.count for c in problem.stock}
    wanted = {r.id: r.count for r in problem.requests}
    best = 0.0
    lines: list[Line] = []

    def walk(i: int) -> None:
        nonlocal best
        if i == len(pairs):
            if not check_allocation(problem, lines):
                best = max(best, score(problem, lines).objective)
            return
        rid, cid = pairs[i]
        for n in range(min(caps[cid], wanted[rid]) + 1):
            caps[cid] -= n
            wanted[rid] -= n
            lines.append(Line(rid, cid, n))
            walk(i + 1)
            lines.pop()
            caps[cid] += n
            wanted[rid] += n

    walk(0)
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_classes=3, max_requests=3, max_count=2))
def test_the_engine_matches_the_brute_force_optimum_on_tiny_problems(problem):
    a = allocate(problem)
    assert abs(a.objective - brute_force_best(problem)) <= tolerance(problem, a.devices_in_stock)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_grouped_lp_has_the_same_optimum_as_the_lp_per_request(problem):
    natural, grouped = lp_optimum(problem), lp_optimum(problem, grouped=True)
    assert grouped.columns <= natural.columns
    assert abs(grouped.objective - natural.objective) <= 1e-6 * max(1.0, abs(natural.objective))
