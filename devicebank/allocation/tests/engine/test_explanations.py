"""Every match explains itself, and every request that gets less than it asked for says why."""

from __future__ import annotations

from devicebank.allocation.engine import (
    Distance,
    FairnessRule,
    PlaceRule,
    Problem,
    Quota,
    ShortfallReason,
    allocate,
)
from devicebank.allocation.tests.engine.builders import klass, request


def only_match(allocation):
    (match,) = allocation.matches
    return match, allocation.explain(match)


def test_a_match_says_why_the_class_is_eligible_where_it_is_and_what_it_counted_for():
    stock = (klass("L8", memory_gb=8, storage_gb=256, features={"webcam"}, os="windows"),)
    r = request(count=4, weight=40.0, min_memory_gb=8, min_storage_gb=128, needs={"webcam"}, os={"windows"})
    _, text = only_match(allocate(Problem(stock, (r,))))
    assert "4 laptops from class L8 at hendon for request R1 (school-a)." in text
    assert "8 GB memory (at least 8 GB asked)" in text
    assert "256 GB storage (at least 128 GB asked)" in text
    assert "has webcam as needed" in text
    assert "runs windows (accepted: windows)" in text
    assert "Place: hendon is in the request's area (barnet)." in text
    assert "Priority weight 40; device 1 of 4 is in fairness band 1 (full value, 40 each)" in text
    assert "device 4 of 4 is in fairness band 4 (0.4 × priority, 16 each)" in text
    assert "Fit: the closest match to the request's minimum that the stock has." in text


def test_a_match_at_the_pickup_site_with_a_distance_says_so():
    stock = (klass(site="sale", area="trafford"),)
    place = PlaceRule(distances=(Distance("sale", "barnet", 14.5),))
    _, text = only_match(allocate(Problem(stock, (request(pickup_site="sale"),), place=place)))
    assert "Place: sale is the request's pick-up site, 14.5 away." in text


def test_an_over_specified_match_says_by_how_much_and_that_closer_fits_were_taken():
    stock = (
        klass("small", memory_gb=8, features=(), count=1),
        klass("big", memory_gb=16, features={"webcam", "touchscreen"}, count=1),
    )
    requests = (request("R1", weight=50.0), request("R2", weight=10.0, organisation="b"))
    a = allocate(Problem(stock, requests))
    (match,) = a.matches_for("R2")
    assert match.class_id == "big"
    assert match.closer_classes == ("small",)
    text = a.explain(match)
    assert (
        "Fit: 3 steps above the minimum (16 GB memory where 8 GB would do; also has touchscreen, webcam)"
        in text
    )
    assert "the 1 closer-fitting class within reach was all allocated" in text


def test_a_request_served_from_two_classes_numbers_its_devices_across_them():
    stock = (klass("A", count=2, features=()), klass("B", count=2))
    a = allocate(Problem(stock, (request(count=4, weight=10.0),)))
    first, second = a.matches
    assert (first.class_id, first.first_device, second.class_id, second.first_device) == ("A", 1, "B", 3)
    assert "devices 3–3" not in a.explain(second)
    assert "device 3 of 4 is in fairness band 3 (0.6 × priority, 6 each)" in a.explain(second)


def test_a_fully_met_request_has_no_shortfall():
    a = allocate(Problem((klass(count=3),), (request(count=3),)))
    assert a.outcome("R1").shortfall is None
    assert a.explain_outcome("R1") == "Request R1 (school-a) asked for 3 laptops and gets 3."


def test_no_quota_is_explained():
    a = allocate(Problem((klass(),), (request(count=2),), quotas=(Quota("school-a", "laptop", 0),)))
    assert a.explain_outcome("R1") == (
        "Request R1 (school-a) asked for 2 laptops and gets 0. 2 short: school-a has no quota left for laptops."
    )


def test_no_eligible_stock_names_the_criteria_nothing_meets():
    stock = (klass(memory_gb=4, features=()),)
    a = allocate(Problem(stock, (request(min_memory_gb=8, needs={"screen_reader"}),)))
    assert a.explain_outcome("R1").endswith(
        "no device in stock meets the request: of 5 laptops in stock, none has at least 8 GB memory nor screen reader."
    )


def test_no_eligible_stock_when_each_criterion_is_met_by_some_device_but_none_meets_all():
    stock = (klass("A", memory_gb=4), klass("B", memory_gb=16, features=()))
    a = allocate(Problem(stock, (request(min_memory_gb=8, needs={"webcam"}),)))
    shortfall = a.outcome("R1").shortfall
    assert shortfall.reason is ShortfallReason.NO_ELIGIBLE_STOCK
    assert "5 have at least 8 GB memory; 5 have webcam, but none has all of these" in a.explain_outcome("R1")


def test_outside_area_names_where_the_eligible_stock_is():
    stock = (
        klass("A", site="sale", area="trafford", count=2),
        klass("B", site="leigh", area="wigan", count=3),
    )
    a = allocate(Problem(stock, (request(area="barnet", pickup_site="hendon"),)))
    assert a.explain_outcome("R1").endswith(
        "5 laptops meet the request, but only at sites that may not serve barnet or its pick-up site hendon "
        "(leigh, sale)."
    )


def test_a_quota_used_up_by_this_run_is_explained():
    requests = (request("R1", count=3), request("R2", count=3, weight=5.0))
    a = allocate(Problem((klass(count=10),), requests, quotas=(Quota("school-a", "laptop", 4),)))
    text = a.explain_outcome("R2")
    assert (
        "school-a's remaining quota of 4 for laptops is used up by this allocation (4 across its requests)"
        in text
    )


def test_the_share_cap_is_explained():
    requests = (request("R1", count=4, weight=90.0), request("R2", count=4, weight=1.0, organisation="b"))
    a = allocate(Problem((klass(count=4),), requests, fairness=FairnessRule(max_organisation_share=0.5)))
    assert (
        "no organisation may take more than 50% of the laptops in one run (2); school-a has reached that."
        in (a.explain_outcome("R1"))
    )


def test_not_enough_stock_is_explained():
    a = allocate(Problem((klass(count=2),), (request(count=5),)))
    assert a.outcome("R1").shortfall.reason is ShortfallReason.NOT_ENOUGH_STOCK
    assert a.explain_outcome("R1").endswith(
        "3 short: every eligible device within reach (2) goes to this request; there are no more."
    )


def test_losing_to_higher_priority_gives_the_values_compared():
    requests = (request("R1", count=4, weight=40.0), request("R2", count=4, weight=10.0, organisation="b"))
    a = allocate(Problem((klass(count=4),), requests))
    shortfall = a.outcome("R2").shortfall
    assert shortfall.reason is ShortfallReason.LOST_TO_HIGHER_VALUE
    assert shortfall.facts["lowest_other_value"] == 16.0
    assert shortfall.facts["next_value"] == 10.0
    assert (
        "all 4 eligible devices within reach are allocated: 0 to this request and 4 to 1 other request whose last "
        "device counted for at least 16, more than the 10 this request's next device would count for"
    ) in a.explain_outcome("R2")


def test_a_tie_is_explained_as_a_tie():
    requests = (request("R1", weight=10.0, waiting_days=9), request("R2", weight=10.0, organisation="b"))
    a = allocate(Problem((klass(count=1),), requests))
    assert "a tie, settled by waiting time" in a.explain_outcome("R2")
