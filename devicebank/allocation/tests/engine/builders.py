"""Small builders for engine tests: a device class or request with sensible defaults, changed by keyword."""

from __future__ import annotations

from typing import Any

from devicebank.allocation.engine import DeviceClass, Request


def klass(id: str = "C1", **kw: Any) -> DeviceClass:
    values: dict[str, Any] = {
        "device_type": "laptop",
        "site": "hendon",
        "area": "barnet",
        "count": 5,
        "memory_gb": 8,
        "storage_gb": 256,
        "features": frozenset({"webcam"}),
        "os": "windows",
    }
    values.update(kw)
    for key in ("features",):
        values[key] = frozenset(values[key])
    return DeviceClass(id=id, **values)


def request(id: str = "R1", **kw: Any) -> Request:
    values: dict[str, Any] = {
        "organisation": "school-a",
        "area": "barnet",
        "device_type": "laptop",
        "count": 1,
        "weight": 10.0,
    }
    values.update(kw)
    for key in ("needs", "os"):
        if key in values:
            values[key] = frozenset(values[key])
    return Request(id=id, **values)


def given(allocation: Any) -> dict[str, int]:
    """Devices allocated per request id."""
    return {o.request_id: o.allocated for o in allocation.outcomes}


def pairs(allocation: Any) -> dict[tuple[str, str], int]:
    """Devices per (request id, class id)."""
    out: dict[tuple[str, str], int] = {}
    for m in allocation.matches:
        out[(m.request_id, m.class_id)] = out.get((m.request_id, m.class_id), 0) + m.count
    return out
