"""Donations: batches of devices a donor gives a programme, and the asset registers that describe them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from devicebank.core.models import TimeStampedModel
from devicebank.donations.states import DonationState
from devicebank.people.models import Location, Organisation
from devicebank.programmes.models import Programme


class Donation(TimeStampedModel):
    """One batch from one donor to one programme.

    States (donations.states): pledged (expected: from a register or a count) -> collection arranged (date,
    address, collector) -> collected -> received at a site; a small donor's drop-off goes pledged -> received;
    cancelled before collection. Each device is then received one by one (scan-to-receive), which moves it
    from pledged to received. Every hand-off is an event on the donation and on each of its devices.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="donations")
    donor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="donations")
    state = models.CharField(max_length=24, choices=DonationState.choices, default=DonationState.PLEDGED)
    description = models.CharField(max_length=200, blank=True)
    expected_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many devices the donor said, when there is no register."
    )
    collection_date = models.DateField(null=True, blank=True)
    collection_address = models.TextField(blank=True)
    collector = models.CharField(max_length=200, blank=True, help_text="Who collects: a person or a courier.")
    drop_point = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where a small donor drops devices off instead of a collection.",
    )
    received_at = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["programme", "state"], name="donation_programme_state_idx")]

    def __str__(self) -> str:
        return f"{self.reference} from {self.donor.name}"

    @property
    def reference(self) -> str:
        return f"DON-{self.pk:05d}" if self.pk else "DON-new"

    @property
    def state_label(self) -> str:
        return DonationState(self.state).label


class RegisterImport(TimeStampedModel):
    """One upload of a donor's asset register against a donation, from upload to result.

    The file's bytes are kept (it is the donor's evidence, and the background job reads them); re-importing a file
    with the same SHA-256 into the same donation changes nothing.

    Statuses: a large file starts `uploaded` and a background job checks it (`checking`); a small one is checked
    in the request. Then `needs_mapping` (a column could not be placed) or `validated` (rows checked, waiting for
    the person to confirm), `queued` and `importing` (the background job writes the devices), and `completed` or
    `failed` (with `error`: a file over the limits fails its check, its kept bytes dropped, nothing else written).
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Waiting to be checked"
        CHECKING = "checking", "Checking the file"
        NEEDS_MAPPING = "needs_mapping", "Needs its columns confirmed"
        VALIDATED = "validated", "Checked, waiting to import"
        QUEUED = "queued", "Queued"
        IMPORTING = "importing", "Importing"
        COMPLETED = "completed", "Imported"
        FAILED = "failed", "Failed"
        DUPLICATE_FILE = "duplicate_file", "Already imported"

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", "Import the whole file, or nothing if any row is wrong"
        VALID_ROWS = "valid_rows", "Import the valid rows and report the rest"

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="register_imports")
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    stored_file = models.CharField(
        default="",
        db_default="",
        max_length=255,
        blank=True,
        help_text="The uploaded file's name in evidence storage (SHA-256 above).",
    )
    file_bytes = models.BinaryField(
        null=True, editable=False
    )  # legacy: read by nothing; dropped next release (docs/operations.md)
    file_format = models.CharField(max_length=8, blank=True)
    encoding = models.CharField(max_length=32, blank=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, help_text="field -> column index")
    status = models.CharField(max_length=16, choices=Status.choices)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.ALL_OR_NOTHING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_already_imported = models.PositiveIntegerField(default=0)
    devices_created = models.PositiveIntegerField(default=0)
    report_file = models.CharField(
        default="",
        db_default="",
        max_length=255,
        blank=True,
        help_text="The rejected rows CSV's name in evidence storage.",
    )
    report_sha256 = models.CharField(default="", db_default="", max_length=64, blank=True)
    report_csv = models.BinaryField(
        null=True, blank=True, editable=False
    )  # legacy: read by nothing; dropped next release (docs/operations.md)
    rejected_preview = models.JSONField(
        default=list, help_text="The first rejected rows with their reasons, to show on the page."
    )
    warnings = models.JSONField(default=list)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} -> {self.donation.reference}"

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.COMPLETED:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
