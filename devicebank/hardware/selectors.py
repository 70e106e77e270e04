"""Reading hardware reports within a user's scope: a report is visible to whoever can see its device."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from devicebank.devices.selectors import device_list
from devicebank.hardware.models import HardwareReport


def hardware_report_get(*, user: Any, pk: int) -> HardwareReport:
    """The report, if its device is in the user's scope; 404 otherwise (its existence is not revealed)."""
    report = HardwareReport.objects.filter(pk=pk, device__in=device_list(user=user)).first()
    if report is None:
        raise Http404("No such report.")
    return report
