"""Reading sanitisation records within a user's scope: a record is visible when its device is."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from devicebank.devices.models import Device
from devicebank.devices.selectors import device_list
from devicebank.devices.states import DeviceState
from devicebank.sanitisation.models import Certificate, CertificateBatch, DriveErasure, ErasureResult


def sanitisation_queue(*, user: Any) -> QuerySet[Device]:
    """Devices awaiting sanitisation, the ones with failed or flagged records first, then the oldest."""
    failed = DriveErasure.objects.filter(
        Q(result__in=[ErasureResult.FAILED, ErasureResult.CANCELLED, ErasureResult.INCOMPLETE])
        | Q(flagged=True, reviewed_at__isnull=True),
        device=OuterRef("pk"),
        recorded_at__gte=OuterRef("state_changed_at"),
    )
    return (
        device_list(user=user)
        .filter(state__in=[DeviceState.RECEIVED, DeviceState.RETURNED])
        .annotate(needs_attention=Exists(failed), drive_count=Count("drives", distinct=True))
        .order_by("-needs_attention", "state_changed_at", "id")
    )


def certificate_get(*, user: Any, number: str) -> Certificate:
    visible = device_list(user=user).values("pk")
    from devicebank.donations.selectors import donation_list

    cert = (
        Certificate.objects.filter(
            Q(device__in=visible) | Q(donation__in=donation_list(user=user).values("pk"))
        )
        .filter(number=number)
        .first()
    )
    if cert is None:
        raise Http404("No such certificate.")
    return cert


def certificate_public(*, number: str) -> Certificate:
    cert = Certificate.objects.select_related("superseded_by").filter(number=number).first()
    if cert is None:
        raise Http404("No certificate with that number.")
    return cert


def certificate_batch_get(*, user: Any, pk: int) -> CertificateBatch:
    from devicebank.donations.selectors import donation_list

    batch = CertificateBatch.objects.filter(pk=pk, donation__in=donation_list(user=user).values("pk")).first()
    if batch is None:
        raise Http404("No such batch.")
    return batch
