"""Bad input: a clear AllocationInputError (a DomainError and a ValueError) naming the problem and the field."""

from __future__ import annotations

import math

import pytest

from devicebank.allocation.engine import (
    AllocationInputError,
    Band,
    Distance,
    FairnessRule,
    Line,
    PlaceRule,
    Problem,
    Quota,
    allocate,
    assign_devices,
    check_allocation,
)
from devicebank.allocation.tests.engine.builders import klass, request
from devicebank.core.errors import DomainError

OK_STOCK = (klass(),)
OK_REQUESTS = (request(),)

CASES = [
    (
        "negative class count",
        Problem((klass(count=-3),), OK_REQUESTS),
        "count cannot be negative",
        "stock[C1].count",
    ),
    (
        "zero request count",
        Problem(OK_STOCK, (request(count=0),)),
        "count must be at least 1",
        "requests[R1].count",
    ),
    (
        "negative request count",
        Problem(OK_STOCK, (request(count=-1),)),
        "must be at least 1",
        "requests[R1].count",
    ),
    ("empty stock", Problem((), OK_REQUESTS), "no stock to allocate", "stock"),
    ("zero weight", Problem(OK_STOCK, (request(weight=0.0),)), "greater than 0", "requests[R1].weight"),
    ("nan weight", Problem(OK_STOCK, (request(weight=math.nan),)), "greater than 0", "requests[R1].weight"),
    ("text count", Problem((klass(count="5"),), OK_REQUESTS), "whole number", "stock[C1].count"),
    ("duplicate class", Problem((klass("A"), klass("A")), OK_REQUESTS), "'A' appears twice", "stock[A].id"),
    (
        "duplicate request",
        Problem(OK_STOCK, (request("R"), request("R"))),
        "'R' appears twice",
        "requests[R].id",
    ),
    (
        "blank organisation",
        Problem(OK_STOCK, (request(organisation=" "),)),
        "organisation",
        "requests[R1].organisation",
    ),
    (
        "ids not matching count",
        Problem((klass(count=3, device_ids=(1, 2)),), OK_REQUESTS),
        "counts 3 devices but lists 2 ids",
        "stock[C1].device_ids",
    ),
    (
        "device in two classes",
        Problem((klass("A", count=1, device_ids=(7,)), klass("B", count=1, device_ids=(7,))), OK_REQUESTS),
        "Device 7 is listed in two classes",
        "stock[B].device_ids",
    ),
    (
        "site in two areas",
        Problem((klass("A", site="s", area="x"), klass("B", site="s", area="y")), OK_REQUESTS),
        "Site 's' is given in two areas",
        "stock[B].area",
    ),
    (
        "negative quota",
        Problem(OK_STOCK, OK_REQUESTS, quotas=(Quota("school-a", "laptop", -1),)),
        "cannot be negative",
        "quotas[0].remaining",
    ),
    (
        "two quotas",
        Problem(OK_STOCK, OK_REQUESTS, quotas=(Quota("o", "laptop", 1), Quota("o", "laptop", 2))),
        "two quotas",
        "quotas[1]",
    ),
    (
        "negative distance",
        Problem(OK_STOCK, OK_REQUESTS, place=PlaceRule(distances=(Distance("s", "a", -1.0),))),
        "0 or more",
        "place.distances[0].distance",
    ),
    (
        "bands going backwards",
        Problem(OK_STOCK, OK_REQUESTS, fairness=FairnessRule(bands=(Band(0.5, 1.0), Band(0.4, 0.5)))),
        "must end after the previous one",
        "fairness.bands[1].up_to",
    ),
    (
        "rising factor",
        Problem(OK_STOCK, OK_REQUESTS, fairness=FairnessRule(bands=(Band(0.5, 0.5), Band(1.0, 0.9)))),
        "Marginal value may only go down",
        "fairness.bands[1].factor",
    ),
    (
        "bands not covering the request",
        Problem(OK_STOCK, OK_REQUESTS, fairness=FairnessRule(bands=(Band(0.5, 1.0),))),
        "must end at 1.0",
        "fairness.bands",
    ),
    (
        "share above one",
        Problem(OK_STOCK, OK_REQUESTS, fairness=FairnessRule(max_organisation_share=1.5)),
        "at most 1",
        "fairness.max_organisation_share",
    ),
]


@pytest.mark.parametrize(("case", "problem", "message", "field"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_a_message_naming_it(case, problem, message, field):
    with pytest.raises(AllocationInputError) as caught:
        allocate(problem)
    assert message in caught.value.message
    assert caught.value.field == field


def test_the_error_is_a_domain_error_and_a_value_error():
    with pytest.raises(DomainError):
        allocate(Problem((), OK_REQUESTS))
    with pytest.raises(ValueError, match="no stock"):
        allocate(Problem((), OK_REQUESTS))


def test_no_requests_is_not_an_error_and_allocates_nothing():
    a = allocate(Problem(OK_STOCK, ()))
    assert a.matches == ()
    assert a.devices_allocated == 0


def test_checking_an_allocation_that_names_an_unknown_class_is_refused():
    problem = Problem(OK_STOCK, OK_REQUESTS)
    with pytest.raises(AllocationInputError, match="Unknown device class 'C9'"):
        check_allocation(problem, [Line("R1", "C9", 1)])


def test_checking_an_allocation_that_names_an_unknown_request_is_refused():
    problem = Problem(OK_STOCK, OK_REQUESTS)
    with pytest.raises(AllocationInputError, match="Unknown request 'R9'"):
        check_allocation(problem, [Line("R9", "C1", 1)])


def test_assigning_devices_of_an_unknown_class_is_refused():
    with pytest.raises(AllocationInputError, match="Unknown device class 'C9'"):
        assign_devices([Line("R1", "C9", 1)], (klass(count=1, device_ids=(1,)),))


def test_assigning_devices_of_a_class_that_lists_none_is_refused():
    with pytest.raises(AllocationInputError, match="lists no device ids"):
        assign_devices([Line("R1", "C1", 1)], (klass(count=1),))


def test_assigning_more_devices_than_a_class_has_is_refused():
    with pytest.raises(AllocationInputError, match="has 1 devices"):
        assign_devices([Line("R1", "C1", 1), Line("R2", "C1", 1)], (klass(count=1, device_ids=(1,)),))
