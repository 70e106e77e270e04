"""The allocation engine, rule by rule: type, minimum specification, needs, operating system, quota, place,
fairness, over-specification and tie-breaking."""

from __future__ import annotations

import random

import pytest

from devicebank.allocation.engine import (
    Band,
    Distance,
    FairnessRule,
    PlaceReason,
    PlaceRule,
    Problem,
    Quota,
    ShortfallReason,
    allocate,
    check_allocation,
)
from devicebank.allocation.tests.engine.builders import given, klass, pairs, request

PURE_PRIORITY = FairnessRule(bands=(Band(1.0, 1.0),))


def reason(allocation, request_id):
    shortfall = allocation.outcome(request_id).shortfall
    return shortfall.reason if shortfall else None


class TestDeviceType:
    def test_a_request_gets_only_its_device_type(self):
        stock = (klass("T", device_type="tablet", count=5), klass("L", count=5))
        a = allocate(Problem(stock, (request(count=3),)))
        assert pairs(a) == {("R1", "L"): 3}

    def test_a_type_with_no_stock_is_reported_as_no_eligible_stock(self):
        a = allocate(Problem((klass(device_type="tablet"),), (request(device_type="desktop"),)))
        assert given(a) == {"R1": 0}
        assert reason(a, "R1") is ShortfallReason.NO_ELIGIBLE_STOCK
        assert a.outcome("R1").shortfall.facts["in_stock"] == 0


class TestMinimumSpecification:
    def test_memory_below_the_minimum_is_not_eligible(self):
        a = allocate(Problem((klass(memory_gb=4),), (request(min_memory_gb=8),)))
        assert given(a) == {"R1": 0}
        assert reason(a, "R1") is ShortfallReason.NO_ELIGIBLE_STOCK
        assert a.outcome("R1").shortfall.facts["meeting_memory"] == 0

    def test_memory_exactly_at_the_minimum_is_eligible(self):
        a = allocate(Problem((klass(memory_gb=8),), (request(min_memory_gb=8),)))
        assert given(a) == {"R1": 1}

    def test_storage_below_the_minimum_is_not_eligible(self):
        stock = (klass("small", storage_gb=64), klass("big", storage_gb=256, count=1))
        a = allocate(Problem(stock, (request(min_storage_gb=128, count=3),)))
        assert pairs(a) == {("R1", "big"): 1}


class TestNeeds:
    def test_a_device_without_a_needed_feature_is_not_eligible(self):
        stock = (klass("plain", features=()), klass("cam", features={"webcam"}, count=1))
        a = allocate(Problem(stock, (request(needs={"webcam"}, count=2),)))
        assert pairs(a) == {("R1", "cam"): 1}

    def test_every_need_must_be_met(self):
        stock = (
            klass("cam", features={"webcam"}),
            klass("both", features={"webcam", "screen_reader"}, count=1),
        )
        a = allocate(Problem(stock, (request(needs={"webcam", "screen_reader"}, count=3),)))
        assert pairs(a) == {("R1", "both"): 1}

    def test_only_an_accepted_operating_system_is_eligible(self):
        stock = (klass("win", os="windows"), klass("lin", os="linux"))
        a = allocate(Problem(stock, (request(os={"linux"}, count=2),)))
        assert pairs(a) == {("R1", "lin"): 2}

    def test_no_operating_system_listed_accepts_any(self):
        a = allocate(Problem((klass("lin", os="linux"),), (request(count=2),)))
        assert given(a) == {"R1": 2}


class TestQuota:
    def test_without_quotas_a_request_gets_what_stock_allows(self):
        a = allocate(Problem((klass(count=10),), (request(count=7),)))
        assert given(a) == {"R1": 7}

    def test_a_request_gets_no_more_than_its_organisations_remaining_quota(self):
        a = allocate(
            Problem((klass(count=10),), (request(count=7),), quotas=(Quota("school-a", "laptop", 2),))
        )
        assert given(a) == {"R1": 2}
        assert reason(a, "R1") is ShortfallReason.QUOTA_REACHED

    def test_an_organisations_requests_share_its_quota(self):
        requests = (request("R1", count=3), request("R2", count=3, area="barnet"))
        a = allocate(Problem((klass(count=10),), requests, quotas=(Quota("school-a", "laptop", 4),)))
        assert sum(given(a).values()) == 4

    def test_an_organisation_without_a_quota_row_gets_nothing_when_quotas_are_used(self):
        a = allocate(
            Problem((klass(count=10),), (request(count=2),), quotas=(Quota("school-b", "laptop", 9),))
        )
        assert given(a) == {"R1": 0}
        assert reason(a, "R1") is ShortfallReason.NO_QUOTA

    def test_a_quota_is_for_one_device_type(self):
        a = allocate(
            Problem((klass(count=10),), (request(count=2),), quotas=(Quota("school-a", "tablet", 9),))
        )
        assert given(a) == {"R1": 0}

    def test_a_quota_of_zero_is_reported_as_no_quota(self):
        a = allocate(
            Problem((klass(count=10),), (request(count=2),), quotas=(Quota("school-a", "laptop", 0),))
        )
        assert reason(a, "R1") is ShortfallReason.NO_QUOTA


class TestPlace:
    def test_stock_in_another_area_is_out_of_reach_by_default(self):
        a = allocate(Problem((klass(site="sale", area="trafford"),), (request(area="barnet"),)))
        assert given(a) == {"R1": 0}
        assert reason(a, "R1") is ShortfallReason.OUTSIDE_AREA
        assert a.outcome("R1").shortfall.facts["sites"] == ("sale",)

    def test_the_requests_pickup_site_is_within_reach(self):
        a = allocate(
            Problem((klass(site="sale", area="trafford"),), (request(area="barnet", pickup_site="sale"),))
        )
        assert given(a) == {"R1": 1}
        assert a.matches[0].place is PlaceReason.PICKUP_SITE

    def test_pickup_sites_can_be_switched_off(self):
        problem = Problem(
            (klass(site="sale", area="trafford"),),
            (request(area="barnet", pickup_site="sale"),),
            place=PlaceRule(pickup_site=False),
        )
        assert given(allocate(problem)) == {"R1": 0}

    def test_same_area_can_be_switched_off(self):
        problem = Problem((klass(),), (request(),), place=PlaceRule(same_area=False))
        assert given(allocate(problem)) == {"R1": 0}

    def test_an_allowed_site_and_area_pair_is_within_reach(self):
        problem = Problem(
            (klass(site="sale", area="trafford"),),
            (request(area="barnet"),),
            place=PlaceRule(allowed=frozenset({("sale", "barnet")})),
        )
        a = allocate(problem)
        assert given(a) == {"R1": 1}
        assert a.matches[0].place is PlaceReason.ALLOWED

    def test_a_site_within_the_distance_limit_is_within_reach_and_one_beyond_is_not(self):
        stock = (klass("near", site="near", area="x"), klass("far", site="far", area="y"))
        place = PlaceRule(
            distances=(Distance("near", "barnet", 8.0), Distance("far", "barnet", 30.0)), max_distance=10.0
        )
        a = allocate(Problem(stock, (request(count=10),), place=place))
        assert pairs(a) == {("R1", "near"): 5}
        assert a.matches[0].place is PlaceReason.WITHIN_DISTANCE
        assert a.matches[0].distance == 8.0

    def test_nearer_stock_is_preferred_when_otherwise_equal(self):
        stock = (klass("a-near", site="near", area="barnet"), klass("b-far", site="far", area="barnet"))
        place = PlaceRule(distances=(Distance("near", "barnet", 1.0), Distance("far", "barnet", 9.0)))
        a = allocate(Problem(stock, (request(count=3),), place=place))
        assert pairs(a) == {("R1", "a-near"): 3}


class TestFairness:
    def test_equal_requests_share_scarce_stock(self):
        requests = (request("R1", count=4), request("R2", count=4, organisation="school-b"))
        a = allocate(Problem((klass(count=4),), requests))
        assert given(a) == {"R1": 2, "R2": 2}

    def test_without_fairness_bands_the_higher_priority_takes_all(self):
        requests = (
            request("R1", count=4, weight=11.0),
            request("R2", count=4, weight=10.0, organisation="b"),
        )
        a = allocate(Problem((klass(count=4),), requests, fairness=PURE_PRIORITY))
        assert given(a) == {"R1": 4, "R2": 0}

    def test_with_bands_a_higher_priority_still_gets_more(self):
        # Values per device: R1 20, 16, 12, 8; R2 14, 11.2, 8.4, 5.6. The best four: 20, 16, 14, 12.
        requests = (
            request("R1", count=4, weight=20.0),
            request("R2", count=4, weight=14.0, organisation="b"),
        )
        a = allocate(Problem((klass(count=4),), requests))
        assert given(a) == {"R1": 3, "R2": 1}

    def test_a_much_higher_priority_is_met_in_full_before_a_low_one_starts(self):
        requests = (
            request("R1", count=4, weight=40.0),
            request("R2", count=4, weight=10.0, organisation="b"),
        )
        a = allocate(Problem((klass(count=4),), requests))
        assert given(a) == {"R1": 4, "R2": 0}
        assert reason(a, "R2") is ShortfallReason.LOST_TO_HIGHER_VALUE

    def test_the_organisation_share_cap_limits_any_one_organisation(self):
        requests = (request("R1", count=4, weight=90.0), request("R2", count=4, weight=1.0, organisation="b"))
        fairness = FairnessRule(max_organisation_share=0.5)
        a = allocate(Problem((klass(count=4),), requests, fairness=fairness))
        assert given(a) == {"R1": 2, "R2": 2}
        assert reason(a, "R1") is ShortfallReason.SHARE_CAP

    def test_a_small_requests_devices_skip_bands_too_narrow_to_hold_one(self):
        # Two devices: the first in band 1 (up to ceil(0.5) = 1), the second in band 3 (up to ceil(1.5) = 2).
        a = allocate(Problem((klass(count=2),), (request(count=2, weight=10.0),)))
        assert [(b.band, b.devices) for b in a.outcome("R1").bands] == [(1, 1), (3, 1)]
        assert [(b.band, b.devices) for b in a.matches[0].bands] == [(1, 1), (3, 1)]

    def test_bands_record_which_devices_fell_where(self):
        a = allocate(Problem((klass(count=3),), (request(count=4, weight=10.0),)))
        bands = a.outcome("R1").bands
        assert [(b.band, b.devices, b.value_each) for b in bands] == [(1, 1, 10.0), (2, 1, 8.0), (3, 1, 6.0)]
        assert a.outcome("R1").next_value == pytest.approx(4.0)


class TestOverSpecification:
    def test_the_least_over_specified_eligible_class_is_chosen(self):
        stock = (klass("big", memory_gb=16, features=()), klass("small", memory_gb=8, features=()))
        a = allocate(Problem(stock, (request(min_memory_gb=4, count=2),)))
        assert pairs(a) == {("R1", "small"): 2}
        assert a.matches[0].steps == 0

    def test_high_specification_stays_for_the_request_that_needs_it(self):
        stock = (klass("big", memory_gb=16, count=1), klass("small", memory_gb=8, count=1))
        requests = (request("R1", min_memory_gb=16), request("R2", weight=50.0, organisation="b"))
        a = allocate(Problem(stock, requests))
        assert pairs(a) == {("R1", "big"): 1, ("R2", "small"): 1}

    def test_features_a_request_does_not_need_count_as_over_specification(self):
        stock = (klass("cam", features={"webcam"}), klass("plain", features=()))
        a = allocate(Problem(stock, (request(count=2),)))
        assert pairs(a) == {("R1", "plain"): 2}

    def test_an_empty_class_changes_nothing(self):
        stock = (klass("big", memory_gb=16, features=()), klass("small", memory_gb=8, features=()))
        requests = (request(min_memory_gb=4, count=2),)
        with_empty = (*stock, klass("empty", memory_gb=12, features=(), count=0))
        a, b = allocate(Problem(stock, requests)), allocate(Problem(with_empty, requests))
        assert a.matches == b.matches
        assert a.objective == b.objective


class TestDeterminism:
    def problem(self, seed: int) -> Problem:
        rng = random.Random(seed)
        stock = [klass(f"C{i}", count=rng.randint(0, 4), memory_gb=rng.choice([4, 8])) for i in range(6)]
        requests = [
            request(
                f"R{i}", organisation=f"o{i % 3}", count=rng.randint(1, 4), weight=rng.choice([5.0, 10.0])
            )
            for i in range(8)
        ]
        return Problem(tuple(stock), tuple(requests))

    def test_the_same_inputs_in_any_order_give_the_same_allocation(self):
        problem = self.problem(1)
        shuffled = list(problem.stock), list(problem.requests)
        random.Random(2).shuffle(shuffled[0])
        random.Random(3).shuffle(shuffled[1])
        a, b = allocate(problem), allocate(Problem(tuple(shuffled[0]), tuple(shuffled[1])))
        assert a.matches == b.matches
        assert a.outcomes == b.outcomes
        assert a.fingerprint == b.fingerprint

    def test_running_twice_gives_the_same_allocation(self):
        problem = self.problem(4)
        assert allocate(problem).matches == allocate(problem).matches

    def test_between_equal_priorities_the_longer_waiting_request_wins(self):
        requests = (
            request("R1", waiting_days=3),
            request("R2", waiting_days=40, organisation="b"),
            request("R3", waiting_days=10, organisation="c"),
        )
        a = allocate(Problem((klass(count=1),), requests))
        assert given(a) == {"R1": 0, "R2": 1, "R3": 0}

    def test_matches_come_highest_priority_first(self):
        requests = (request("R1", weight=1.0), request("R2", weight=9.0, organisation="b"))
        a = allocate(Problem((klass(count=2),), requests))
        assert [m.request_id for m in a.matches] == ["R2", "R1"]


def test_stock_never_stays_on_the_shelf_while_an_eligible_request_waits():
    requests = (
        request("R1", weight=100_000.0, count=1),
        request("R2", weight=0.001, organisation="b", count=3),
    )
    a = allocate(Problem((klass(count=4),), requests))
    assert given(a) == {"R1": 1, "R2": 3}


def test_the_engines_allocation_keeps_every_rule():
    stock = (klass("A", count=3), klass("B", site="sale", area="trafford", memory_gb=16, count=4))
    requests = (
        request("R1", count=4, min_memory_gb=8),
        request("R2", count=2, area="trafford", organisation="b"),
        request("R3", count=3, area="trafford", organisation="b", pickup_site="hendon"),
    )
    problem = Problem(stock, requests, quotas=(Quota("school-a", "laptop", 3), Quota("b", "laptop", 4)))
    a = allocate(problem)
    assert check_allocation(problem, a.matches) == ()
    assert a.devices_allocated == 7
