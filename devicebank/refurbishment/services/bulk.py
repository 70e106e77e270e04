"""Bulk: one workbench step applied to a pallet of identical models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from devicebank.core.errors import DomainError
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.people.models import User
from devicebank.refurbishment.models import ItemOutcome
from devicebank.refurbishment.services.finishing import device_mark_ready
from devicebank.refurbishment.services.grading import (
    ItemInput,
    _checklist_for,
    device_tests_record,
    grade_record,
)
from devicebank.refurbishment.services.installs import os_install_record


class BulkAction:
    TESTS_PASSED = "tests_passed"
    GRADE = "grade"
    OS_INSTALL = "os_install"
    READY = "ready"
    CHOICES = [
        (TESTS_PASSED, "Record every test as passed (except those marked not applicable)"),
        (GRADE, "Grade them"),
        (OS_INSTALL, "Record the same operating system image (no product keys)"),
        (READY, "Mark them ready"),
    ]


@dataclass(frozen=True)
class BulkOutcome:
    asset_tag: str
    ok: bool
    message: str


def refurbishment_bulk_apply(
    *, devices: Sequence[Device], by: User | None, action: str, params: Mapping[str, Any]
) -> list[BulkOutcome]:
    """Apply one workbench step to many devices. Each device succeeds or fails on its own (its own transaction):
    nothing half-written on a device, and one outcome per device, in the order given."""
    if action not in {choice for choice, _ in BulkAction.CHOICES}:
        raise DomainError("Choose what to do with the devices.", field="action")
    if not devices:
        raise DomainError("Scan or list at least one device.", field="devices")
    if len(devices) > 500:
        raise DomainError("Up to 500 devices at a time.", field="devices")
    outcomes: list[BulkOutcome] = []
    for device in devices:
        try:
            with transaction.atomic():
                message = _bulk_one(device, by, action, params)
        except DomainError as error:
            outcomes.append(BulkOutcome(device.asset_tag, False, error.message))
        else:
            outcomes.append(BulkOutcome(device.asset_tag, True, message))
    return outcomes


def _bulk_one(device: Device, by: User | None, action: str, params: Mapping[str, Any]) -> str:
    if action == BulkAction.TESTS_PASSED:
        not_applicable = set(params.get("not_applicable") or ())
        results = [
            ItemInput(
                item.key, ItemOutcome.NOT_APPLICABLE if item.key in not_applicable else ItemOutcome.PASS
            )
            for item in _checklist_for(device)
        ]
        device_tests_record(device=device, by=by, results=results)
        return "Tests recorded: passed."
    if action == BulkAction.GRADE:
        grade = grade_record(device=device, by=by, cosmetic=str(params.get("cosmetic", "")))
        return f"Graded {grade.final}."
    if action == BulkAction.OS_INSTALL:
        install = os_install_record(
            device=device,
            by=by,
            os=str(params.get("os", "")),
            licence_channel=str(params.get("licence_channel", "")),
            image_name=str(params.get("image_name", "")),
            image_version=str(params.get("image_version", "")),
        )
        return f"{install.get_os_display()} recorded."
    device_mark_ready(device=device, by=by, expected_state=DeviceState.IN_REFURBISHMENT)
    return "Now ready."
