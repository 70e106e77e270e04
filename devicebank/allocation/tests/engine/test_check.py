"""check_allocation finds every broken rule in a hand-made (adjusted) allocation; score values any allocation."""

from __future__ import annotations

import pytest

from devicebank.allocation.engine import FairnessRule, Line, Problem, Quota, allocate, check_allocation, score
from devicebank.allocation.tests.engine.builders import klass, request


def codes(problem, lines):
    return sorted(v.code for v in check_allocation(problem, lines))


def test_an_allocation_that_keeps_the_rules_has_no_violations():
    problem = Problem((klass(count=2),), (request(count=2),))
    assert check_allocation(problem, [Line("R1", "C1", 2)]) == ()


def test_more_devices_than_a_class_holds_is_a_violation():
    problem = Problem((klass(count=1),), (request(count=2),))
    assert codes(problem, [Line("R1", "C1", 2)]) == ["over_allocated_class"]


def test_more_devices_than_a_request_asked_for_is_a_violation():
    problem = Problem((klass(count=5),), (request(count=2),))
    assert codes(problem, [Line("R1", "C1", 3)]) == ["over_filled_request"]


def test_an_ineligible_class_is_a_violation_naming_the_failed_rules():
    problem = Problem((klass(memory_gb=4, features=()),), (request(min_memory_gb=8, needs={"webcam"}),))
    (violation,) = check_allocation(problem, [Line("R1", "C1", 1)])
    assert violation.code == "ineligible"
    assert violation.message == "Class C1 does not meet request R1: memory, needs."


def test_a_class_out_of_reach_is_a_violation():
    problem = Problem((klass(site="sale", area="trafford"),), (request(),))
    assert codes(problem, [Line("R1", "C1", 1)]) == ["out_of_reach"]


def test_going_over_the_quota_or_share_cap_is_a_violation():
    problem = Problem((klass(count=5),), (request(count=3),), quotas=(Quota("school-a", "laptop", 2),))
    assert codes(problem, [Line("R1", "C1", 3)]) == ["over_quota"]
    capped = Problem(
        (klass(count=4),), (request(count=3),), fairness=FairnessRule(max_organisation_share=0.5)
    )
    assert codes(capped, [Line("R1", "C1", 3)]) == ["over_quota"]


def test_score_values_an_adjusted_allocation_below_the_engines():
    problem = Problem(
        (klass(count=2),), (request("R1", count=2, weight=10.0), request("R2", weight=1.0, organisation="b"))
    )
    best = allocate(problem)
    adjusted = [Line("R1", "C1", 1), Line("R2", "C1", 1)]
    assert check_allocation(problem, adjusted) == ()
    assert score(problem, adjusted).objective < best.objective
    assert score(problem, best.matches).objective == pytest.approx(best.objective)
