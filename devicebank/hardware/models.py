"""Hardware reports (what a machine says about itself) and the drives a device is known to have."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from devicebank.core.models import TimeStampedModel


class HardwareReport(TimeStampedModel):
    """A raw report (lshw, dmidecode, smartctl, eReuse Workbench) kept as evidence: the file in evidence storage
    (gzip'd, core/evidence.py) with the SHA-256 of the original, checked on every read, plus what devicebank read
    from it.

    Statuses: `applied` (filed against `device`, which took its facts); `held` (its serial, make or model
    disagrees with `held_for`, the device it was filed against, or it describes a virtual machine: nothing was
    taken from it until a person decides, `differences` saying what disagrees); `rejected` (a person decided it
    is not this device's; kept as evidence, never applied). A held report that a person attaches or registers
    as another device becomes `applied`. The reason a person gives for a decision is kept in the erasable
    `core.Note` of its `hardware_report_decided` event, never in the event's data.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        HELD = "held", "Waiting for a decision"
        REJECTED = "rejected", "Rejected"

    class Decision(models.TextChoices):
        ATTACH = "attach", "Attach it to this device anyway"
        REGISTER = "register", "Register it as another device"
        REJECT = "reject", "Reject it: keep it as evidence only"

    device = models.ForeignKey(
        "devices.Device", null=True, blank=True, on_delete=models.PROTECT, related_name="hardware_reports"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.APPLIED)
    held_for = models.ForeignKey(
        "devices.Device", null=True, blank=True, on_delete=models.PROTECT, related_name="held_reports"
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a held report: the programme it was filed in (who may decide).",
    )
    differences = models.JSONField(
        default=list, help_text="[{field, label, device, report}]: what disagrees with held_for."
    )
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    format = models.CharField(max_length=24)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    raw_size = models.PositiveIntegerField()
    raw_file = models.CharField(
        default="", db_default="", max_length=255, blank=True, help_text="Its name in evidence storage."
    )
    raw_gzip = models.BinaryField(
        null=True, editable=False
    )  # legacy: read by nothing; dropped next release (docs/operations.md)
    parsed = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.format} report {self.file_name}"


class DriveKind(models.TextChoices):
    HDD = "hdd", "HDD"
    SSD = "ssd", "SSD"
    NVME = "nvme", "NVMe"
    EMMC = "emmc", "eMMC"
    UNKNOWN = "", "Unknown"


class DeviceDrive(TimeStampedModel):
    """An internal storage drive known to be in a device (from a hardware report or typed in).

    Sanitisation evidence is matched to these by serial: a device is sanitised only when every drive here has
    a successful erasure or destruction record.
    """

    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="drives")
    model = models.CharField(max_length=200, blank=True)
    serial = models.CharField(max_length=100, blank=True)
    serial_key = models.CharField(max_length=100, blank=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=8, choices=DriveKind.choices, blank=True, default="")
    source_report = models.ForeignKey(
        HardwareReport, null=True, blank=True, on_delete=models.PROTECT, related_name="drives"
    )
    removed_at = models.DateTimeField(
        null=True, blank=True, help_text="Taken out of the device (e.g. to shred)."
    )

    class Meta:
        ordering = ["device_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "serial_key"],
                condition=~Q(serial_key=""),
                name="drive_unique_serial_per_device",
            )
        ]

    def __str__(self) -> str:
        return f"{self.model or 'Drive'} {self.serial or '(no serial)'}"
