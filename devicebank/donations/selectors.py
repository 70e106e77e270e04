"""Reading donations within a user's scope, and reconciling what was expected with what arrived."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from devicebank.core.models import Event, EventKind
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.donations.models import Donation, RegisterImport
from devicebank.people.access import scope_for


def donation_list(*, user: Any) -> QuerySet[Donation]:
    """Operators see their programmes' donations; donor contacts see their own organisation's."""
    scope = scope_for(user)
    qs = Donation.objects.select_related("programme", "donor")
    if scope.is_platform_admin:
        return qs
    visible = Q(pk__in=[])
    if scope.programme_roles:
        visible |= Q(programme_id__in=scope.operational_programme_ids)
    if scope.donor_org_ids:
        visible |= Q(donor_id__in=scope.donor_org_ids)
    return qs.filter(visible)


def donation_get(*, user: Any, pk: int) -> Donation:
    donation = donation_list(user=user).filter(pk=pk).first()
    if donation is None:
        raise Http404("No such donation.")
    return donation


def register_import_get(*, user: Any, pk: int) -> RegisterImport:
    imp = (
        RegisterImport.objects.select_related("donation", "donation__programme", "donation__donor")
        .filter(pk=pk, donation__in=donation_list(user=user))
        .first()
    )
    if imp is None:
        raise Http404("No such import.")
    return imp


@dataclass(frozen=True)
class Reconciliation:
    expected: int
    received: int
    missing: int
    unexpected: int
    withdrawn: int


def _unexpected_ids(donation: Donation) -> QuerySet[Any]:
    """Devices of the donation that were not on its register or pledge: registered on arrival."""
    return Event.objects.filter(
        subject_type="devices.device",
        kind=EventKind.DEVICE_REGISTERED,
        data__new=DeviceState.RECEIVED.value,
        subject_id__in=Device.objects.filter(donation=donation).values("id"),
    ).values("subject_id")


def donation_reconciliation(*, donation: Donation) -> Reconciliation:
    devices = Device.objects.filter(donation=donation)
    unexpected_ids = _unexpected_ids(donation)
    counts = devices.exclude(pk__in=unexpected_ids).aggregate(
        expected=Count("id"),
        missing=Count("id", filter=Q(state=DeviceState.PLEDGED)),
        withdrawn=Count("id", filter=Q(state=DeviceState.WITHDRAWN)),
    )
    unexpected = devices.filter(pk__in=unexpected_ids).count()
    received = counts["expected"] - counts["missing"] - counts["withdrawn"]
    return Reconciliation(
        expected=counts["expected"],
        received=received + unexpected,
        missing=counts["missing"],
        unexpected=unexpected,
        withdrawn=counts["withdrawn"],
    )


def donation_devices(*, donation: Donation, which: str = "all") -> QuerySet[Device]:
    """The donation's devices: all, missing (still pledged), received, or unexpected."""
    devices = Device.objects.filter(donation=donation).select_related("location", "custodian")
    if which == "missing":
        return devices.filter(state=DeviceState.PLEDGED).exclude(pk__in=_unexpected_ids(donation))
    if which == "received":
        return devices.exclude(state__in=[DeviceState.PLEDGED, DeviceState.WITHDRAWN])
    if which == "unexpected":
        return devices.filter(pk__in=_unexpected_ids(donation))
    return devices
