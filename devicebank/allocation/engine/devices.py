"""From class counts to devices: which device ids go to which request, deterministically."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from devicebank.allocation.engine.check import Planned
from devicebank.allocation.engine.errors import AllocationInputError, StalePreview
from devicebank.allocation.engine.fingerprint import stock_fingerprint
from devicebank.allocation.engine.inputs import DeviceClass, DeviceId


@dataclass(frozen=True, slots=True)
class DeviceAssignment:
    request_id: str
    class_id: str
    device_ids: tuple[DeviceId, ...]


def assign_devices(
    lines: Iterable[Planned],
    stock: Iterable[DeviceClass],
    *,
    expected_stock_fingerprint: str | None = None,
    order: Callable[[DeviceId], Any] | None = None,
) -> tuple[DeviceAssignment, ...]:
    """Give each line its devices: within a class, devices go out in the class's order (the caller lists them
    oldest ready first) or sorted by `order`, to the lines in the order given (an Allocation's matches come
    highest priority first).

    Args:
        lines: an Allocation's matches, or adjusted lines.
        stock: the device classes with their `device_ids`.
        expected_stock_fingerprint: the preview's `stock_fingerprint`; when given, a different stock is refused.
        order: optional sort key for device ids within a class.

    Raises:
        StalePreview: the stock is not the one the preview was made from.
        AllocationInputError: a line names an unknown class, a class lists no devices, or a class is
            over-allocated.
    """
    stock = tuple(stock)
    if expected_stock_fingerprint is not None and stock_fingerprint(stock) != expected_stock_fingerprint:
        raise StalePreview("The stock has changed since this allocation was previewed: make a new preview.")
    classes = {c.id: c for c in stock}
    queues: dict[str, list[DeviceId]] = {}
    taken: dict[str, int] = {}
    out = []
    for line in lines:
        cls = classes.get(line.class_id)
        if cls is None:
            raise AllocationInputError(
                f"Unknown device class {line.class_id!r} in the allocation.", field="class_id"
            )
        if cls.device_ids is None:
            raise AllocationInputError(
                f"Device class {cls.id!r} lists no device ids, so its devices cannot be assigned.",
                field="device_ids",
            )
        if cls.id not in queues:
            ids = list(cls.device_ids)
            queues[cls.id] = sorted(ids, key=order) if order is not None else ids
            taken[cls.id] = 0
        start = taken[cls.id]
        if line.count < 0 or start + line.count > len(queues[cls.id]):
            raise AllocationInputError(
                f"Device class {cls.id!r} has {len(queues[cls.id])} devices; the allocation asks for more.",
                field="count",
            )
        taken[cls.id] = start + line.count
        out.append(
            DeviceAssignment(line.request_id, cls.id, tuple(queues[cls.id][start : start + line.count]))
        )
    return tuple(out)
