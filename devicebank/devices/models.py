"""Devices: every laptop, tablet or phone a scheme handles, from pledge to recipient or recycler."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q

from devicebank.core.models import TimeStampedModel
from devicebank.devices.states import DISTRIBUTED_STATES, IN_STOCK_STATES, DeviceState
from devicebank.people.models import Location, Organisation
from devicebank.programmes.models import Programme


class DeviceType(models.TextChoices):
    LAPTOP = "laptop", "Laptop"
    DESKTOP = "desktop", "Desktop"
    ALL_IN_ONE = "all_in_one", "All-in-one"
    TABLET = "tablet", "Tablet"
    PHONE = "phone", "Phone"
    CHROMEBOOK = "chromebook", "Chromebook"
    OTHER = "other", "Other"


class StorageKind(models.TextChoices):
    UNKNOWN = "", "Unknown"
    HDD = "hdd", "HDD"
    SSD = "ssd", "SSD"
    NVME = "nvme", "NVMe SSD"
    EMMC = "emmc", "eMMC"


class DeviceQuerySet(models.QuerySet["Device"]):
    def in_stock(self) -> DeviceQuerySet:
        return self.filter(state__in=IN_STOCK_STATES)

    def distributed(self) -> DeviceQuerySet:
        return self.filter(state__in=DISTRIBUTED_STATES)

    def with_list_relations(self) -> DeviceQuerySet:
        return self.select_related("programme", "location", "custodian")


class Device(TimeStampedModel):
    """A device handled by a programme.

    States (devices.states.DeviceState; docs/state-diagram.md draws the moves):
    - pledged: promised by a donor, not yet here.
    - received: at a scheme site, data not yet wiped.
    - sanitised: every drive has sanitisation evidence (`sanitisation` points at it).
    - in_refurbishment: being tested, repaired or imaged.
    - ready: sanitised and tested; free to allocate.
    - reserved: promised to a recipient, not dispatched.
    - in_transit: on its way.
    - with_recipient: handed over (gift, sale, loan or ownership transfer).
    - returned: back (or found); must be sanitised again before it can be ready.
    - recycled / destroyed / lost / withdrawn: the end of the road (a lost device can be found: returned).

    Only `devices.services.device_transition` changes `state`; each change writes an Event.
    The serial is matched through `serial_key` (normalised; None for placeholders such as "Default string"),
    unique per manufacturer where present.
    """

    asset_tag = models.CharField(max_length=16, unique=True)
    # FKs led by a composite index (Meta.indexes) get no index of their own: every index costs each bulk insert.
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="devices", db_index=False)
    device_type = models.CharField(max_length=16, choices=DeviceType.choices, default=DeviceType.LAPTOP)
    manufacturer = models.CharField(max_length=100, blank=True)
    manufacturer_key = models.CharField(max_length=100, blank=True, editable=False)
    model = models.CharField(max_length=200, blank=True)
    # NULL, not "", for "no serial": the uniqueness rule must not see missing serials as equal.
    serial_number = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    serial_key = models.CharField(max_length=100, null=True, blank=True, editable=False)  # noqa: DJ001
    cpu_model = models.CharField("CPU", max_length=200, blank=True)
    ram_bytes = models.BigIntegerField("RAM (bytes)", null=True, blank=True)
    storage_bytes = models.BigIntegerField("Storage (bytes)", null=True, blank=True)
    storage_kind = models.CharField(max_length=8, choices=StorageKind.choices, blank=True, default="")

    state = models.CharField(max_length=20, choices=DeviceState.choices, default=DeviceState.PLEDGED)
    state_changed_at = models.DateTimeField()
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="devices", db_index=False
    )
    custodian = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_devices",
        help_text="The organisation that holds the device now.",
        db_index=False,
    )
    donor = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donated_devices",
        db_index=False,
    )
    donation = models.ForeignKey(
        "donations.Donation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="devices",
        db_index=False,
    )
    donor_asset_tag = models.CharField(
        max_length=100, blank=True, help_text="The donor's own asset tag, from their register."
    )
    # Set when the device enters `sanitised`, cleared when it comes back (received/returned).
    sanitisation = models.ForeignKey(
        "sanitisation.SanitisationOutcome",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # followed from the device, never searched by: an index would only slow inserts
    )

    objects: ClassVar[DeviceQuerySet] = DeviceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer_key", "serial_key"],
                condition=Q(serial_key__isnull=False),
                name="device_unique_manufacturer_serial",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "id"], name="device_programme_idx"),
            models.Index(fields=["programme", "state", "id"], name="device_programme_state_idx"),
            models.Index(fields=["state", "id"], name="device_state_idx"),
            models.Index(fields=["location", "id"], name="device_location_idx"),
            models.Index(fields=["custodian", "id"], name="device_custodian_idx"),
            models.Index(fields=["donor", "id"], name="device_donor_idx"),
            models.Index(fields=["serial_key"], name="device_serial_key_idx"),
            models.Index(fields=["donation", "state"], name="device_donation_state_idx"),
        ]

    def __str__(self) -> str:
        label = " ".join(part for part in (self.manufacturer, self.model) if part)
        return f"{self.asset_tag} {label}".strip()

    @property
    def state_label(self) -> str:
        return DeviceState(self.state).label
