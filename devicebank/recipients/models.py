"""Recipients: who devices go to. For now, schools from GIAS and the bodies responsible for them.

A school is a `people.Organisation` (kind school: staff join it through memberships, devices are held by it) with a
`School` record of what GIAS says about it, keyed by URN. Its organisation's `parent` is its responsible body: the
local authority for a maintained school, the trust for an academy, none for an independent school. Requests,
applications, eligibility and priority (issue 11, later) hang off these organisations and schools.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from devicebank.core.models import TimeStampedModel
from devicebank.people.models import Organisation
from devicebank.places.models import LocalAuthority


class ResponsibleBody(TimeStampedModel):
    """The organisation a local authority or trust acts through, found by its GIAS key (LA code or trust code).

    Created by the GIAS import when first needed; an organisation of the same name and kind that already exists
    (set up by hand, say, with its staff) is adopted rather than duplicated.
    """

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        TRUST = "trust", "Trust"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="responsible_body"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    local_authority = models.OneToOneField(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="responsible_body"
    )
    trust_code = models.CharField(max_length=16, blank=True, help_text="GIAS 'Trusts (code)'.")

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["trust_code"],
                condition=~models.Q(trust_code=""),
                name="responsible_body_unique_trust",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="local_authority") & models.Q(local_authority__isnull=False))
                | (models.Q(kind="trust") & ~models.Q(trust_code="")),
                name="responsible_body_has_its_key",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name


class SchoolQuerySet(models.QuerySet["School"]):
    def open(self) -> SchoolQuerySet:
        return self.filter(is_open=True)

    def state_funded(self) -> SchoolQuerySet:
        """Schools state schemes usually serve: independent schools left out."""
        return self.filter(is_independent=False)


class School(TimeStampedModel):
    """A school (any GIAS establishment) as GIAS last described it. The name and postcode live on the organisation.

    Status: `is_open` is False once GIAS says "Closed"; a closed school is kept, with its devices and history, and
    its organisation is made inactive. `is_independent` marks the "Independent schools" group, which state schemes
    usually exclude (`School.objects.state_funded()`).
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="school")
    urn = models.PositiveIntegerField("URN", unique=True)
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="schools"
    )
    establishment_number = models.CharField(max_length=8, blank=True)
    type_name = models.CharField("type of establishment", max_length=100, blank=True)
    type_group = models.CharField("establishment type group", max_length=100, blank=True)
    is_independent = models.BooleanField(default=False, db_index=True)
    status = models.CharField(max_length=60, blank=True)
    is_open = models.BooleanField(default=True, db_index=True)
    phase = models.CharField("phase of education", max_length=60, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    low_age = models.PositiveSmallIntegerField("statutory low age", null=True, blank=True)
    high_age = models.PositiveSmallIntegerField("statutory high age", null=True, blank=True)
    pupils = models.PositiveIntegerField("number of pupils", null=True, blank=True)
    fsm_percent = models.DecimalField(
        "pupils eligible for free school meals (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    trust_code = models.CharField(max_length=16, blank=True)
    trust_name = models.CharField(max_length=200, blank=True)
    ukprn = models.CharField("UKPRN", max_length=8, blank=True)
    street = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    lsoa_code = models.CharField("LSOA", max_length=9, blank=True)
    msoa_code = models.CharField("MSOA", max_length=9, blank=True)
    district_code = models.CharField(max_length=9, blank=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.organisation.name} (URN {self.urn})"


class SchoolImport(TimeStampedModel):
    """One GIAS file, from upload through check and import to result (or one run of `import-schools`).

    The uploaded bytes are kept only until the import finishes (the background job reads them); GIAS data is
    public and the file can be downloaded again. Re-importing updates schools in place by URN.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", "Checked, waiting to import"
        QUEUED = "queued", "Queued"
        IMPORTING = "importing", "Importing"
        COMPLETED = "completed", "Imported"
        FAILED = "failed", "Failed"

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", "Import the whole file, or nothing if any row is wrong"
        VALID_ROWS = "valid_rows", "Import the valid rows and report the rest"

    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    stored_file = models.CharField(
        default="",
        db_default="",
        max_length=255,
        blank=True,
        help_text="The uploaded file's name in evidence storage, until the import ends.",
    )
    file_bytes = models.BinaryField(
        null=True, blank=True, editable=False
    )  # legacy: read by nothing; dropped next release (docs/operations.md)
    encoding = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKED)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.ALL_OR_NOTHING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    rejected_rows = models.JSONField(
        default=list, help_text="[{row, urn, name, error}] for every refused row."
    )
    warnings = models.JSONField(default=list)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"GIAS import {self.pk} ({self.file_name})"

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.COMPLETED:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.FAILED)
