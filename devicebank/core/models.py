"""Shared base models and the append-only event log."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class EventKind(models.TextChoices):
    """Every kind of change devicebank records, named ENTITY_PAST_TENSE."""

    DEVICE_REGISTERED = "device_registered", "Device registered"
    DEVICE_STATE_CHANGED = "device_state_changed", "Device state changed"
    DEVICE_DETAILS_CHANGED = "device_details_changed", "Device details changed"
    DEVICE_MOVED = "device_moved", "Device moved"
    DEVICE_CUSTODY_RECORDED = "device_custody_recorded", "Device custody recorded"
    SANITISATION_RECORDED = "sanitisation_recorded", "Sanitisation recorded"
    DONATION_CREATED = "donation_created", "Donation created"
    DONATION_STATE_CHANGED = "donation_state_changed", "Donation state changed"
    REGISTER_IMPORTED = "register_imported", "Asset register imported"
    HARDWARE_REPORT_INGESTED = "hardware_report_ingested", "Hardware report ingested"
    HARDWARE_REPORT_HELD = "hardware_report_held", "Hardware report held for a decision"
    HARDWARE_REPORT_DECIDED = "hardware_report_decided", "Decision on a held hardware report"
    # Sanitisation (issue 4)
    ERASURE_REPORT_IMPORTED = "erasure_report_imported", "Erasure report imported"
    DRIVE_ERASURE_RECORDED = "drive_erasure_recorded", "Drive erasure recorded"
    DRIVE_DESTRUCTION_RECORDED = "drive_destruction_recorded", "Drive destruction recorded"
    NO_STORAGE_ATTESTED = "no_storage_attested", "No storage attested"
    CERTIFICATE_ISSUED = "certificate_issued", "Certificate issued"
    CERTIFICATE_SUPERSEDED = "certificate_superseded", "Certificate superseded"
    # Refurbishment (issue 5)
    DEVICE_TESTED = "device_tested", "Device tested"
    DEVICE_GRADED = "device_graded", "Device graded"
    REPAIR_RECORDED = "repair_recorded", "Repair recorded"
    PART_STOCK_CHANGED = "part_stock_changed", "Part stock changed"
    OS_INSTALLED = "os_installed", "Operating system installed"
    SECRET_VIEWED = "secret_viewed", "Secret viewed"
    SECRET_RECORDED = "secret_recorded", "Secret recorded"
    REFURBISHMENT_DECISION_RECORDED = "refurbishment_decision_recorded", "Repair-or-recycle decision recorded"
    DEVICE_RECYCLED = "device_recycled", "Device recycled (WEEE)"
    SPECIFICATION_CHANGED = "specification_changed", "Programme specification changed"
    MEMBERSHIP_GRANTED = "membership_granted", "Membership granted"
    MEMBERSHIP_REVOKED = "membership_revoked", "Membership revoked"
    PROGRAMME_PARTNER_ADDED = "programme_partner_added", "Programme partner added"
    PROGRAMME_PARTNER_REMOVED = "programme_partner_removed", "Programme partner removed"
    PROGRAMME_FUNDER_ADDED = "programme_funder_added", "Programme funder added"
    PROGRAMME_FUNDER_REMOVED = "programme_funder_removed", "Programme funder removed"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", "Two-factor sign-in set up"
    TWO_FACTOR_RECOVERY_CODES_REGENERATED = "two_factor_recovery_codes_regenerated", "Recovery codes replaced"
    TWO_FACTOR_RECOVERY_CODE_USED = "two_factor_recovery_code_used", "Recovery code used"
    TWO_FACTOR_RESET = "two_factor_reset", "Two-factor sign-in reset"
    API_TOKEN_CREATED = "api_token_created", "API token created"
    API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"
    DATA_EXPORTED = "data_exported", "Data exported"
    NOTE_ERASED = "note_erased", "Note erased"
    # Places and recipients (issue 11)
    REFERENCE_DATA_LOADED = "reference_data_loaded", "Reference data loaded"
    SCHOOLS_IMPORTED = "schools_imported", "Schools imported from GIAS"
    SCHOOL_REGISTERED = "school_registered", "School registered"
    SCHOOL_DETAILS_CHANGED = "school_details_changed", "School details changed"
    SCHOOL_CLOSED = "school_closed", "School closed"


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> int:
        # Only the outbox marker may change after an event is written.
        if set(kwargs) - {"processed_at"}:
            raise EventImmutable("Events are append-only: only processed_at may be set.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise EventImmutable("Events are append-only and cannot be deleted.")

    def for_subject(self, subject_type: str, subject_id: int) -> EventQuerySet:
        return self.filter(subject_type=subject_type, subject_id=subject_id)


class EventImmutable(Exception):
    pass


class Event(models.Model):
    """One immutable fact about a change: who did what to which record, when, and why.

    The log is append-only: `save()` refuses updates, the queryset refuses deletes, and database triggers
    (migration 0002) refuse UPDATEs of anything but `processed_at` on both SQLite and PostgreSQL, and DELETEs
    on PostgreSQL. `processed_at` lets the log double as an outbox for background side effects.

    `subject_type` is "app_label.model" and `subject_id` the primary key; `programme_id` is copied onto each
    event so scoping (and reports) can filter events without joining the subject.
    """

    # Read by subject or by programme (Meta.indexes); no index of its own on time or actor, which would slow
    # every bulk import.
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Not a DB-level choices field: each domain adds kinds to EventKind without a core migration.
    kind = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=64)
    subject_id = models.BigIntegerField()
    programme_id = models.BigIntegerField(null=True, blank=True)
    # Always empty since issue 8: words go to a Note (below), which can be erased. Kept so rows stay readable.
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[EventQuerySet] = EventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "occurred_at"], name="event_subject_idx"),
            models.Index(fields=["programme_id", "kind", "occurred_at"], name="event_programme_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}#{self.subject_id} at {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise EventImmutable("Events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise EventImmutable("Events are append-only and cannot be deleted.")

    @property
    def kind_label(self) -> str:
        try:
            return str(EventKind(self.kind).label)
        except ValueError:
            return self.kind.replace("_", " ").capitalize()


class Note(models.Model):
    """The words written with an event (a reason, a note, a fault): kept here, not in the event, because they
    may name a person and must then be erasable. `core.notes.note_erase` blanks the text and records
    `NOTE_ERASED`, which carries no text.
    """

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="note")
    text = models.TextField()
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Note on event {self.event_id}" + (" (erased)" if self.erased_at else "")

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class RecordView(models.Model):
    """Someone looked at a sensitive record: who, which record, which part (`what`, a code), when.

    "Who viewed this record" for the records that need it (a device's secrets now; residents' and recipients'
    details as they arrive): written by `core.viewlog.record_view`, read by `core.viewlog.record_views_for`.
    A table of its own, not events: views are many, concern the viewer as much as the record, and may be
    pruned after a retention period, which the event log never is.
    """

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=64)
    subject_id = models.BigIntegerField()
    programme_id = models.BigIntegerField(null=True, blank=True)
    what = models.CharField(max_length=64)
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-viewed_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "viewed_at"], name="recordview_subject_idx")
        ]

    def __str__(self) -> str:
        return (
            f"{self.what} of {self.subject_type}#{self.subject_id} viewed at {self.viewed_at:%Y-%m-%d %H:%M}"
        )
