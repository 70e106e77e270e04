"""Reading sanitisation records within a user's scope: a record is visible when its device is."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from devicebank.devices.models import Device
from devicebank.devices.selectors import device_list
from devicebank.devices.states import DeviceState
from devicebank.sanitisation.models import (
    Certificate,
    CertificateBatch,
    DriveErasure,
    ErasureResult,
    normalise_verification_code,
)

SHA256_HEX = re.compile(r"[0-9a-f]{64}")


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


def _public() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("superseded_by", "device__donor", "donation__donor")


def certificate_public(*, code: str) -> Certificate | None:
    """The certificate a public verification code names, for anyone; None when there is none.

    Only the unguessable code opens the public page: a sequential number (SC-2026-000001) never does, so
    walking numbers finds nothing.
    """
    normalised = normalise_verification_code(code)
    if normalised is None:
        return None
    return _public().filter(verification_code=normalised).first()


def certificate_public_by_number_and_hash(*, number: str, sha256: str) -> Certificate | None:
    """A certificate found by its number and the SHA-256 printed on it, for PDFs whose QR code predates
    verification codes. The 64-hex-digit hash of its facts is as unguessable as a code, so the pair does not
    make numbers a lookup key."""
    digest = sha256.strip().lower()
    if not SHA256_HEX.fullmatch(digest):
        return None
    return (
        _public()
        .filter(number=number.strip().upper(), content_sha256=digest, verification_code__isnull=False)
        .first()
    )


def certificate_batch_get(*, user: Any, pk: int) -> CertificateBatch:
    from devicebank.donations.selectors import donation_list

    batch = CertificateBatch.objects.filter(pk=pk, donation__in=donation_list(user=user).values("pk")).first()
    if batch is None:
        raise Http404("No such batch.")
    return batch
