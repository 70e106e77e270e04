"""Fingerprints of an allocation's inputs, so a preview made from one snapshot is never applied to another.

The stock fingerprint covers every device class (and the device ids it lists); the problem fingerprint covers
the stock, requests, quotas, rules and the engine's version. Both are independent of input order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from devicebank.allocation.engine.errors import StalePreview
from devicebank.allocation.engine.inputs import DeviceClass, Problem

if TYPE_CHECKING:
    from devicebank.allocation.engine.results import Allocation

#: Bump when the model changes what it would allocate from the same inputs: old previews become stale.
ENGINE_VERSION = "1"


def _line(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def stock_fingerprint(stock: Iterable[DeviceClass]) -> str:
    """SHA-256 of the stock snapshot: every class's key, specification, place, count and device ids."""
    digest = hashlib.sha256(b"devicebank.allocation.stock\n")
    for cls in sorted(stock, key=lambda c: c.id):
        digest.update(
            _line(
                [
                    cls.id,
                    cls.device_type,
                    cls.site,
                    cls.area,
                    cls.count,
                    cls.memory_gb,
                    cls.storage_gb,
                    sorted(cls.features),
                    cls.os,
                ]
            )
        )
        if cls.device_ids is not None:
            digest.update(_line(list(cls.device_ids)))
    return digest.hexdigest()


def problem_fingerprint(problem: Problem, *, stock_digest: str | None = None) -> str:
    """SHA-256 of everything the engine reads: stock, requests, quotas, place and fairness rules, version."""
    digest = hashlib.sha256(b"devicebank.allocation.problem\n" + ENGINE_VERSION.encode() + b"\n")
    digest.update((stock_digest or stock_fingerprint(problem.stock)).encode() + b"\n")
    for r in sorted(problem.requests, key=lambda r: r.id):
        digest.update(
            _line(
                [
                    r.id,
                    r.organisation,
                    r.area,
                    r.device_type,
                    r.count,
                    repr(float(r.weight)),
                    r.pickup_site,
                    r.min_memory_gb,
                    r.min_storage_gb,
                    sorted(r.needs),
                    sorted(r.os),
                    r.waiting_days,
                ]
            )
        )
    if problem.quotas is None:
        digest.update(b"quotas:none\n")
    else:
        for q in sorted(problem.quotas, key=lambda q: (q.organisation, q.device_type)):
            digest.update(_line(["quota", q.organisation, q.device_type, q.remaining]))
    place = problem.place
    digest.update(
        _line(
            [
                "place",
                place.same_area,
                place.pickup_site,
                sorted(place.allowed),
                sorted((d.site, d.area, repr(float(d.distance))) for d in place.distances),
                None if place.max_distance is None else repr(float(place.max_distance)),
            ]
        )
    )
    fairness = problem.fairness
    digest.update(
        _line(
            [
                "fairness",
                [(repr(float(b.up_to)), repr(float(b.factor))) for b in fairness.bands],
                None
                if fairness.max_organisation_share is None
                else repr(float(fairness.max_organisation_share)),
            ]
        )
    )
    return digest.hexdigest()


def ensure_current(allocation: Allocation, problem: Problem) -> None:
    """Refuse a preview made from other inputs than `problem` (the inputs as they are now).

    Raises:
        StalePreview: naming whether the stock or the requests and rules changed.
    """
    stock = stock_fingerprint(problem.stock)
    if stock != allocation.stock_fingerprint:
        raise StalePreview(
            "The stock has changed since this allocation was previewed (devices were added, taken or moved): "
            "make a new preview."
        )
    if problem_fingerprint(problem, stock_digest=stock) != allocation.fingerprint:
        raise StalePreview(
            "The requests, quotas or allocation rules have changed since this allocation was previewed: "
            "make a new preview."
        )
