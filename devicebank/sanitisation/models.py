"""Sanitisation: the evidence that a device holds none of its donor's data."""

from __future__ import annotations

import base64
import re
import secrets

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
    level = models.CharField(
        max_length=8,
        choices=SanitisationLevel.choices,
        blank=True,
        help_text="Blank when no storage was present.",
    )
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} ({self.get_level_display()}) at {self.recorded_at:%Y-%m-%d}"


class Technique(models.TextChoices):
    OVERWRITE = "overwrite", "Overwrite"
    ATA_SECURE_ERASE = "ata_secure_erase", "ATA secure erase"
    ATA_SANITIZE = "ata_sanitize", "ATA sanitize"
    SCSI_SANITIZE = "scsi_sanitize", "SCSI sanitize"
    NVME_FORMAT = "nvme_format", "NVMe format"
    NVME_SANITIZE = "nvme_sanitize", "NVMe sanitize"
    CRYPTO_ERASE = "crypto_erase", "Cryptographic erase"
    DEGAUSS = "degauss", "Degauss"
    VERIFY_ONLY = "verify_only", "Verification only"
    PHYSICAL_DESTRUCTION = "physical_destruction", "Physical destruction"


class Verification(models.TextChoices):
    NONE = "none", "None"
    LAST = "last", "Last pass"
    ALL = "all", "Every pass"


class ErasureResult(models.TextChoices):
    ERASED = "erased", "Erased and verified"
    ERASED_UNVERIFIED = "erased_unverified", "Erased, not verified"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    INCOMPLETE = "incomplete", "Incomplete"


class ErasureEvidence(TimeStampedModel):
    """A raw erasure report (an nwipe log, an eReuse snapshot) kept as evidence: the file in evidence storage
    (gzip'd, core/evidence.py) and the SHA-256 of the original, checked on every read."""

    device = models.ForeignKey("devices.Device", null=True, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    raw_size = models.PositiveIntegerField()
    raw_file = models.CharField(
        default="", db_default="", max_length=255, blank=True, help_text="Its name in evidence storage."
    )
    raw_gzip = models.BinaryField(
        null=True, editable=False
    )  # legacy: read by nothing; dropped next release (docs/operations.md)
    tool = models.CharField(max_length=60)
    tool_version = models.CharField(max_length=40, blank=True)
    warnings = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.tool} report {self.file_name}"


class DriveErasure(TimeStampedModel):
    """What one erasure run did to one drive of a device: the per-drive sanitisation record.

    Only `erased` (and, unless the programme requires verification, `erased_unverified`) counts toward the
    device being sanitised; failed, cancelled and incomplete runs are kept as evidence but never count.
    `flagged` marks records a person must look at (implausible timing, placeholder or unknown serials).
    """

    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="drive_erasures")
    drive = models.ForeignKey(
        "hardware.DeviceDrive", null=True, blank=True, on_delete=models.PROTECT, related_name="erasures"
    )
    evidence = models.ForeignKey(
        ErasureEvidence, null=True, blank=True, on_delete=models.PROTECT, related_name="erasures"
    )
    drive_model = models.CharField(max_length=200, blank=True)
    drive_serial = models.CharField(max_length=100, blank=True)
    drive_serial_key = models.CharField(max_length=100, blank=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    media_type = models.CharField(max_length=8, blank=True)
    nist_level = models.CharField(max_length=8, choices=SanitisationLevel.choices, blank=True)
    technique = models.CharField(max_length=24, choices=Technique.choices)
    method = models.CharField(max_length=100, blank=True)
    passes = models.PositiveSmallIntegerField(null=True, blank=True)
    tool = models.CharField(max_length=60)
    tool_version = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    verification = models.CharField(max_length=8, choices=Verification.choices)
    result = models.CharField(max_length=20, choices=ErasureResult.choices)
    error = models.TextField(blank=True)
    warnings = models.JSONField(default=list)
    flagged = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    serial_supplied = models.CharField(
        max_length=100,
        blank=True,
        help_text="The drive's serial as a person typed it at review, when the log had none or a placeholder. "
        "The log's own serial (drive_serial) is never changed; the certificate marks this one as supplied by a person.",
    )
    site = models.ForeignKey(
        "people.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["device_id", "recorded_at", "id"]
        indexes = [models.Index(fields=["device", "recorded_at"], name="erasure_device_time_idx")]

    def __str__(self) -> str:
        return (
            f"{self.drive_model or 'Drive'} {self.drive_serial or '(no serial)'}: {self.get_result_display()}"
        )

    def counts(self, *, require_verified: bool) -> bool:
        """Whether this record is evidence the drive is sanitised. A flagged record counts only once a person
        has reviewed it."""
        if self.flagged and self.reviewed_at is None:
            return False
        if self.result == ErasureResult.ERASED:
            return True
        return self.result == ErasureResult.ERASED_UNVERIFIED and not require_verified


class DestructionMethod(models.TextChoices):
    SHRED = "shred", "Shredded"
    DISINTEGRATE = "disintegrate", "Disintegrated"
    DEGAUSS_AND_PIERCE = "degauss_pierce", "Degaussed and pierced"
    PUNCH = "punch", "Punched or drilled"
    OTHER = "other", "Other"


class DriveDestruction(TimeStampedModel):
    """A drive taken out of a device and physically destroyed (NIST SP 800-88 Destroy)."""

    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="drive_destructions")
    drive = models.ForeignKey(
        "hardware.DeviceDrive", null=True, blank=True, on_delete=models.PROTECT, related_name="destructions"
    )
    drive_model = models.CharField(max_length=200, blank=True)
    drive_serial = models.CharField(max_length=100, blank=True)
    method = models.CharField(max_length=16, choices=DestructionMethod.choices)
    destroyed_on = models.DateField()
    destroyed_by = models.CharField(
        max_length=200, help_text="Who destroyed it: staff or a destruction company."
    )
    certificate_number = models.CharField(
        max_length=100,
        blank=True,
        help_text="The destruction company's certificate number, where there is one.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["device_id", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.drive_model or 'Drive'} {self.drive_serial}: {self.get_method_display()}"


class NoStorageAttestation(TimeStampedModel):
    """A person's statement that a device has no storage in it (e.g. the drive was taken out before donation)."""

    device = models.ForeignKey(
        "devices.Device", on_delete=models.PROTECT, related_name="no_storage_attestations"
    )
    reason = models.TextField()
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    attested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["device_id", "attested_at"]

    def __str__(self) -> str:
        return f"No storage in device {self.device_id}"


VERIFICATION_CODE = re.compile(r"[a-z2-7]{24}")


def new_verification_code() -> str:
    """A certificate's public verification code: 120 random bits as 24 lower-case base32 characters.

    Unguessable (walking codes finds nothing), and easy to read off paper: letters and the digits 2-7 only, so
    no 0/O or 1/l to confuse.
    """
    return base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()


def normalise_verification_code(raw: str) -> str | None:
    """The code as stored, from what someone typed or scanned (any case, spaces or hyphens between groups);
    None when it cannot be a code, so a lookup never reaches the database for it."""
    code = re.sub(r"[\s-]", "", raw).lower()
    return code if VERIFICATION_CODE.fullmatch(code) else None


class Certificate(TimeStampedModel):
    """A certificate of sanitisation for one device or one donation. Never edited: re-issuing supersedes.

    `facts` holds what the certificate says (NIST SP 800-88 Appendix G fields per drive); `content_sha256` is the
    SHA-256 of those facts in canonical JSON, printed on the PDF and shown on the public verification page.
    `number` (SC-2026-000123) is for people to quote; it runs in sequence, so it is never a public lookup key.
    `verification_code` is: the QR code and the public page use `/verify/<code>/`.
    """

    class Kind(models.TextChoices):
        DEVICE = "device", "Device"
        DONATION = "donation", "Donation"

    number = models.CharField(max_length=20, unique=True)
    # Nullable for one release, not blank: NULLs do not clash under UNIQUE while migration 0004 fills the codes. A
    # later release fills any the previous version issued mid-deploy, then adds NOT NULL (docs/sanitisation.md).
    verification_code = models.CharField(  # noqa: DJ001
        max_length=24, unique=True, null=True, default=new_verification_code, editable=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    device = models.ForeignKey(
        "devices.Device", null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    donation = models.ForeignKey(
        "donations.Donation", null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    outcome = models.ForeignKey(
        SanitisationOutcome, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    facts = models.JSONField()
    content_sha256 = models.CharField(max_length=64)
    pdf_file = models.CharField(
        default="", db_default="", max_length=255, blank=True, help_text="The PDF's name in evidence storage."
    )
    pdf_sha256 = models.CharField(default="", db_default="", max_length=64, blank=True)
    pdf = models.BinaryField(
        null=True, editable=False
    )  # legacy: read by nothing; dropped next release (docs/operations.md)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="device", device__isnull=False)
                    | models.Q(kind="donation", donation__isnull=False)
                ),
                name="certificate_has_its_subject",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None


class CertificateBatch(TimeStampedModel):
    """Certificates for a whole donation, built in the background: one combined PDF and a ZIP of per-device
    PDFs."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"

    donation = models.ForeignKey(
        "donations.Donation", on_delete=models.PROTECT, related_name="certificate_batches"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    devices_total = models.PositiveIntegerField(default=0)
    devices_done = models.PositiveIntegerField(default=0)
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    archive_file = models.CharField(
        default="", db_default="", max_length=255, blank=True, help_text="The ZIP's name in evidence storage."
    )
    archive_sha256 = models.CharField(default="", db_default="", max_length=64, blank=True)
    zip_file = models.BinaryField(
        null=True, blank=True, editable=False
    )  # legacy: read by nothing; dropped next release (docs/operations.md)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Certificates for donation {self.donation_id}: {self.status}"
