"""Reading hardware reports within a user's scope: a report is visible to whoever can see its device."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from devicebank.core.events import subject_type_of
from devicebank.core.models import Event, EventKind
from devicebank.devices.models import Device
from devicebank.devices.selectors import device_list
from devicebank.hardware.models import HardwareReport
from devicebank.hardware.permissions import can_file_hardware_reports
from devicebank.people.access import scope_for


def hardware_report_get(*, user: Any, pk: int) -> HardwareReport:
    """The report, if its device (or the device it is held for) is in the user's scope, or it is a report
    without a device in a programme where the user files reports; 404 otherwise (its existence is not
    revealed)."""
    devices = device_list(user=user)
    allowed = can_file_hardware_reports.programme_ids(scope_for(user))
    deviceless = Q(device__isnull=True, held_for__isnull=True, programme__isnull=False)
    if allowed is not None:
        deviceless &= Q(programme_id__in=allowed)
    report = (
        HardwareReport.objects.filter(pk=pk)
        .filter(Q(device__in=devices) | Q(held_for__in=devices) | deviceless)
        .select_related("device", "held_for", "decided_by")
        .first()
    )
    if report is None:
        raise Http404("No such report.")
    return report


def held_reports_for(device: Device) -> list[HardwareReport]:
    """Reports filed against `device` that wait for a person's decision (the device page links them)."""
    return list(HardwareReport.objects.filter(held_for=device, status=HardwareReport.Status.HELD))


SPEC_FIELDS = ("cpu_model", "ram_bytes", "storage_bytes", "storage_kind", "drives")


def spec_sources(device: Device) -> dict[str, str]:
    """Where each recorded specification value of `device` came from, for the readiness checks to say: the
    newest change of each field names its hardware report ("hardware report t480.json") or a person ("entered by
    hand"); a value never changed since registration is "as registered"."""
    found: dict[str, int | None] = {}
    changes = (
        Event.objects.filter(
            subject_type=subject_type_of(device), subject_id=device.pk, kind=EventKind.DEVICE_DETAILS_CHANGED
        )
        .order_by("-occurred_at", "-id")
        .only("data")
    )
    for event in changes:
        for name in event.data.get("new") or {}:
            if name in SPEC_FIELDS and name not in found:
                found[name] = event.data.get("report_id")
        if len(found) == len(SPEC_FIELDS):
            break
    names = dict(
        HardwareReport.objects.filter(pk__in={pk for pk in found.values() if pk}).values_list(
            "pk", "file_name"
        )
    )
    sources = dict.fromkeys(SPEC_FIELDS, "as registered")
    for name, report_id in found.items():
        sources[name] = f"hardware report {names[report_id]}" if report_id in names else "entered by hand"
    return sources
