"""A preview carries fingerprints of what it was made from; a stale one is refused. Class counts become
devices deterministically."""

from __future__ import annotations

from dataclasses import replace

import pytest

from devicebank.allocation.engine import (
    Line,
    Problem,
    Quota,
    StalePreview,
    allocate,
    assign_devices,
    ensure_current,
    problem_fingerprint,
    stock_fingerprint,
)
from devicebank.allocation.tests.engine.builders import klass, request
from devicebank.core.errors import Conflict


def problem() -> Problem:
    stock = (
        klass("A", count=3, device_ids=(30, 10, 20)),
        klass("B", count=2, memory_gb=16, device_ids=(5, 6)),
    )
    requests = (request("R1", count=2, weight=20.0), request("R2", count=3, weight=10.0, organisation="b"))
    return Problem(stock, requests)


def test_a_preview_of_unchanged_inputs_is_current():
    p = problem()
    ensure_current(allocate(p), Problem(tuple(reversed(p.stock)), tuple(reversed(p.requests))))


@pytest.mark.parametrize(
    "change",
    [
        lambda c: replace(c, count=2, device_ids=(30, 10)),
        lambda c: replace(c, device_ids=(30, 10, 21)),
        lambda c: replace(c, site="elsewhere"),
        lambda c: replace(c, memory_gb=4),
    ],
    ids=["a device taken", "a device swapped", "moved", "specification"],
)
def test_a_preview_is_stale_when_the_stock_changed(change):
    p = problem()
    preview = allocate(p)
    now = replace(p, stock=(change(p.stock[0]), p.stock[1]))
    with pytest.raises(StalePreview, match="The stock has changed") as caught:
        ensure_current(preview, now)
    assert isinstance(caught.value, Conflict)


def test_a_preview_is_stale_when_the_requests_or_rules_changed():
    p = problem()
    preview = allocate(p)
    for now in (
        replace(p, requests=p.requests[:1]),
        replace(p, requests=(replace(p.requests[0], weight=21.0), p.requests[1])),
        replace(p, quotas=(Quota("school-a", "laptop", 1), Quota("b", "laptop", 9))),
    ):
        assert stock_fingerprint(now.stock) == preview.stock_fingerprint
        with pytest.raises(StalePreview, match="requests, quotas or allocation rules have changed"):
            ensure_current(preview, now)


def test_fingerprints_do_not_depend_on_input_order():
    p = problem()
    flipped = Problem(tuple(reversed(p.stock)), tuple(reversed(p.requests)))
    assert problem_fingerprint(p) == problem_fingerprint(flipped)
    assert stock_fingerprint(p.stock) == stock_fingerprint(flipped.stock)


def test_devices_go_out_in_the_class_order_highest_priority_first():
    p = problem()
    a = allocate(p)
    assigned = assign_devices(a.matches, p.stock, expected_stock_fingerprint=a.stock_fingerprint)
    by_request = {}
    for row in assigned:
        by_request.setdefault(row.request_id, []).extend(row.device_ids)
    # R1 (weight 20) comes first and takes the first two listed in class A; R2 the last of A and B's two.
    assert by_request == {"R1": [30, 10], "R2": [20, 5, 6]}


def test_devices_can_be_ordered_by_the_callers_key():
    assigned = assign_devices(
        [Line("R1", "A", 2)],
        (klass("A", count=3, device_ids=(30, 10, 20)),),
        order=lambda device_id: device_id,
    )
    assert assigned[0].device_ids == (10, 20)


def test_assigning_devices_from_changed_stock_is_refused():
    p = problem()
    a = allocate(p)
    changed = (replace(p.stock[0], count=2, device_ids=(30, 10)), p.stock[1])
    with pytest.raises(StalePreview):
        assign_devices(a.matches, changed, expected_stock_fingerprint=a.stock_fingerprint)


def test_assigning_the_same_allocation_twice_gives_the_same_devices():
    p = problem()
    a = allocate(p)
    assert assign_devices(a.matches, p.stock) == assign_devices(allocate(p).matches, p.stock)
