"""Sanitisation: the evidence that a device holds none of its donor's data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from devicebank.core.models import TimeStampedModel


class SanitisationLevel(models.TextChoices):
    """NIST SP 800-88 outcome levels."""

    CLEAR = "clear", "Clear"
    PURGE = "purge", "Purge"
    DESTROY = "destroy", "Destroy"


class SanitisationBasis(models.TextChoices):
    ERASURE = "erasure", "Every drive erased"
    DESTRUCTION = "destruction", "Drives removed and destroyed"
    NO_STORAGE = "no_storage", "No storage present (attested)"
    FACTORY_RESET = "factory_reset", "Factory reset with encryption (phones, tablets)"


class SanitisationOutcome(TimeStampedModel):
    """A recorded conclusion that one device, in one pass through the scheme, was sanitised.

    A device enters `sanitised` only by pointing at one of these; a returned device needs a new one.
    Per-drive erasure records and certificates hang off this record (the sanitisation issue).
    """

    device = models.ForeignKey(
        "devices.Device", on_delete=models.PROTECT, related_name="sanitisation_outcomes"
    )
    basis = models.CharField(max_length=16, choices=SanitisationBasis.choices)
    level = models.CharField(max_length=8, choices=SanitisationLevel.choices)
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} ({self.get_level_display()}) at {self.recorded_at:%Y-%m-%d}"
