"""Refurbishment: programme specifications, tests, grades, repairs and parts, operating systems and licences,
repair-or-recycle decisions and WEEE recycling records.

"This pass": a device goes through sanitisation and refurbishment once per stay in the scheme (again after it is
returned). Records that count towards `ready` (test runs, grades, OS installs, decisions) carry the
sanitisation outcome that opened their pass (`sanitisation`); only those whose outcome is the device's current
`Device.sanitisation` count. A returned device loses its outcome, so its old tests stop counting at once.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from devicebank.core.models import TimeStampedModel
from devicebank.devices.models import DeviceType


class Recorded(models.Model):
    """Who recorded a workbench fact, and when (every record here has both)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        abstract = True


class OsTarget(models.TextChoices):
    """Operating systems a programme accepts; a device must be able to run at least one of them."""

    WINDOWS_11 = "windows_11", "Windows 11"
    WINDOWS_10 = "windows_10", "Windows 10 (out of support since 14 October 2025)"
    CHROMEOS_FLEX = "chromeos_flex", "ChromeOS Flex"
    CHROMEOS = "chromeos", "ChromeOS (Chromebooks)"
    LINUX = "linux", "Linux"


class Specification(TimeStampedModel):
    """A programme's minimum for one device type, its test checklist and what a working device is worth.

    Every minimum is optional: an empty one is not checked. Sizes are bytes; a minimum of N GB is entered as
    N x 1,000,000,000 and a device within 5 % below it still meets it (a "64 GB" eMMC reports 62.5 GB).
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="specifications"
    )
    device_type = models.CharField(max_length=16, choices=DeviceType.choices)
    min_ram_bytes = models.BigIntegerField(null=True, blank=True)
    min_storage_bytes = models.BigIntegerField(null=True, blank=True)
    require_ssd = models.BooleanField(default=False, help_text="Solid-state storage (SSD, NVMe or eMMC).")
    min_intel_generation = models.PositiveSmallIntegerField(null=True, blank=True)
    min_ryzen_series = models.PositiveSmallIntegerField(null=True, blank=True)
    cpu_families = models.JSONField(
        default=list, blank=True, help_text="Accepted processor families, matched within the CPU name."
    )
    min_battery_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    min_screen_inches = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    require_webcam = models.BooleanField(default=False)
    os_targets = models.JSONField(default=list, blank=True)
    require_os_install = models.BooleanField(default=True)
    checklist = models.JSONField(
        default=list, blank=True, help_text="Test items [{key, label, required}]; empty = the default list."
    )
    working_value = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, help_text="What a working device is worth (£)."
    )
    labour_rate = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal("25.00"), help_text="Cost of an hour's work (£)."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["programme_id", "device_type"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "device_type"], name="specification_unique_type"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.get_device_type_display()} specification"


class ItemOutcome(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    NOT_APPLICABLE = "n/a", "Not applicable"


class TpmVersion(models.TextChoices):
    UNKNOWN = "", "Not checked"
    TPM_2 = "2.0", "TPM 2.0"
    TPM_1_2 = "1.2", "TPM 1.2"
    NONE = "none", "No TPM"


class TestRun(Recorded):
    """One sitting at the bench: results for some or all checklist items, plus what was measured.

    `results` is [{key, label, outcome, note}]. The latest result for each item in the pass counts, so a
    repaired keyboard is retested alone. TPM and screen size are facts our hardware reports do not carry.
    """

    __test__ = False  # not a pytest test class, whatever its name

    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="test_runs")
    sanitisation = models.ForeignKey(
        "sanitisation.SanitisationOutcome", on_delete=models.PROTECT, related_name="+"
    )
    results = models.JSONField(default=list)
    battery_health_percent = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    tpm_version = models.CharField(max_length=4, choices=TpmVersion.choices, blank=True, default="")
    screen_inches = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["device", "sanitisation", "recorded_at"], name="testrun_pass_idx")]

    def __str__(self) -> str:
        return f"Tests of {self.device_id} at {self.recorded_at:%Y-%m-%d %H:%M}"


class CosmeticGrade(models.TextChoices):
    A = "A", "A: like new"
    B = "B", "B: light scratches or shiny keys"
    C = "C", "C: heavy wear or screen marks"


class FinalGrade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    F = "F", "F: functional fail (repair, harvest or recycle)"


class PerformanceBand(models.TextChoices):
    HIGH = "high", "High"
    STANDARD = "standard", "Standard"
    BASIC = "basic", "Basic"


class Grade(Recorded):
    """A device's grade for this pass: functional pass (from its tests), cosmetic grade, performance band (from
    its specs) and the final grade: the worse of the cosmetic grade and the band (high = A, standard = B,
    basic = C), or F when a test failed. Grading needs a result for every checklist item."""

    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="grades")
    sanitisation = models.ForeignKey(
        "sanitisation.SanitisationOutcome", on_delete=models.PROTECT, related_name="+"
    )
    test_run = models.ForeignKey(TestRun, on_delete=models.PROTECT, related_name="+")
    functional_pass = models.BooleanField()
    cosmetic = models.CharField(max_length=1, choices=CosmeticGrade.choices)
    performance = models.CharField(max_length=8, choices=PerformanceBand.choices)
    final = models.CharField(max_length=1, choices=FinalGrade.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["device", "sanitisation", "recorded_at"], name="grade_pass_idx")]

    def __str__(self) -> str:
        return f"Grade {self.final} for {self.device_id}"


class PartKind(models.TextChoices):
    BATTERY = "battery", "Battery"
    CHARGER = "charger", "Charger"
    SCREEN = "screen", "Screen"
    KEYBOARD = "keyboard", "Keyboard"
    MEMORY = "memory", "Memory module"
    STORAGE = "storage", "Storage drive"
    WEBCAM = "webcam", "Webcam"
    OTHER = "other", "Other"


class Part(TimeStampedModel):
    """A kind of spare part a programme's workshop keeps, and how many are on the shelf (never below zero)."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="parts")
    kind = models.CharField(max_length=16, choices=PartKind.choices)
    description = models.CharField(max_length=200)
    compatible_models = models.CharField(max_length=500, blank=True, help_text="Comma-separated models.")
    quantity = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "description"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "description"], name="part_unique_description"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="part_quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class RepairJob(Recorded):
    """A repair: the fault, what was done, the parts used (taken from stock), the time and the cost."""

    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="repairs")
    sanitisation = models.ForeignKey(
        "sanitisation.SanitisationOutcome", null=True, on_delete=models.PROTECT, related_name="+"
    )
    fault = models.CharField(max_length=500)
    action = models.CharField(max_length=500)
    minutes = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"Repair of {self.device_id}: {self.fault}"


class RepairPart(models.Model):
    repair = models.ForeignKey(RepairJob, on_delete=models.PROTECT, related_name="parts_used")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="repairpart_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of part {self.part_id}"


class OperatingSystem(models.TextChoices):
    WINDOWS_11_PRO = "windows_11_pro", "Windows 11 Pro"
    WINDOWS_11_PRO_EDUCATION = "windows_11_pro_education", "Windows 11 Pro Education"
    WINDOWS_11_HOME = "windows_11_home", "Windows 11 Home"
    WINDOWS_10_PRO = "windows_10_pro", "Windows 10 Pro"
    WINDOWS_10_HOME = "windows_10_home", "Windows 10 Home"
    CHROMEOS_FLEX = "chromeos_flex", "ChromeOS Flex"
    CHROMEOS = "chromeos", "ChromeOS (Chromebook, powerwashed)"
    LINUX = "linux", "Linux"
    ANDROID = "android", "Android (factory reset)"
    IPADOS_IOS = "ipados_ios", "iPadOS or iOS (erased)"


# Which programme target each operating system satisfies (None: none of the targets).
OS_TARGET_OF: dict[str, str | None] = {
    OperatingSystem.WINDOWS_11_PRO: OsTarget.WINDOWS_11,
    OperatingSystem.WINDOWS_11_PRO_EDUCATION: OsTarget.WINDOWS_11,
    OperatingSystem.WINDOWS_11_HOME: OsTarget.WINDOWS_11,
    OperatingSystem.WINDOWS_10_PRO: OsTarget.WINDOWS_10,
    OperatingSystem.WINDOWS_10_HOME: OsTarget.WINDOWS_10,
    OperatingSystem.CHROMEOS_FLEX: OsTarget.CHROMEOS_FLEX,
    OperatingSystem.CHROMEOS: OsTarget.CHROMEOS,
    OperatingSystem.LINUX: OsTarget.LINUX,
    OperatingSystem.ANDROID: None,
    OperatingSystem.IPADOS_IOS: None,
}
WINDOWS = frozenset(
    os for os, target in OS_TARGET_OF.items() if target in (OsTarget.WINDOWS_11, OsTarget.WINDOWS_10)
)


class LicenceChannel(models.TextChoices):
    """How a Windows install is licensed (DOMAIN.md section 3: Microsoft's refurbisher programmes)."""

    MAR_CITIZENSHIP = "mar_citizenship", "Refurbisher licence: citizenship (charities, schools, TAPs)"
    MAR_COMMERCIAL = "mar_commercial", "Refurbisher licence: commercial (original COA, PC over 6 months old)"
    ORIGINAL_COA = "original_coa", "Original COA and recovery image"
    DIGITAL = "digital", "Existing digital licence (key in firmware)"
    NONE = "none", "No licence needed (free operating system)"


class OsInstall(Recorded):
    """An operating system put on a device in this pass: what, which image, how it is licensed.

    The licence key and COA number are `DeviceSecret`s (encrypted); this record holds nothing secret.
    """

    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="os_installs")
    sanitisation = models.ForeignKey(
        "sanitisation.SanitisationOutcome", on_delete=models.PROTECT, related_name="+"
    )
    os = models.CharField(max_length=32, choices=OperatingSystem.choices)
    image_name = models.CharField(
        max_length=200, blank=True, help_text="E.g. 'Ubuntu 24.04 LTS', 'Win11-Edu'."
    )
    image_version = models.CharField(max_length=100, blank=True)
    licence_channel = models.CharField(max_length=20, choices=LicenceChannel.choices)
    mdm_note = models.CharField(
        "MDM or Autopilot enrolment", max_length=500, blank=True, help_text="Not a secret: no passwords here."
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["device", "sanitisation", "recorded_at"], name="osinstall_pass_idx")]

    def __str__(self) -> str:
        return f"{self.get_os_display()} on {self.device_id}"


class SecretKind(models.TextChoices):
    LICENCE_KEY = "licence_key", "Windows product key"
    COA_NUMBER = "coa_number", "Certificate of authenticity (COA) number"
    BIOS_PASSWORD = "bios_password", "BIOS or firmware password"
    ADMIN_PASSWORD = "admin_password", "Administrator password"


class DeviceSecret(Recorded):
    """A secret about a device, encrypted at rest (core.crypto). Only `hint` (licence keys and COA numbers:
    the last 5 characters) is ever shown without a logged reveal; passwords have no hint."""

    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="secrets")
    os_install = models.ForeignKey(
        OsInstall, null=True, blank=True, on_delete=models.PROTECT, related_name="secrets"
    )
    kind = models.CharField(max_length=16, choices=SecretKind.choices)
    ciphertext = models.TextField(editable=False)
    hint = models.CharField(max_length=8, blank=True, editable=False)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        # Never the ciphertext, never the value: this is what admin pages and logs show.
        return f"{self.get_kind_display()} for device {self.device_id}"

    @property
    def masked(self) -> str:
        return f"•••••-{self.hint}" if self.hint else "••••••••"


class Recommendation(models.TextChoices):
    REPAIR = "repair", "Repair"
    HARVEST = "harvest", "Harvest parts, then recycle"
    RECYCLE = "recycle", "Recycle"


class RefurbishmentDecision(Recorded):
    """Repair or recycle: the estimate, the programme's value of a working device, what devicebank
    recommended and what the technician decided, and why."""

    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="decisions")
    sanitisation = models.ForeignKey(
        "sanitisation.SanitisationOutcome", null=True, on_delete=models.PROTECT, related_name="+"
    )
    estimated_parts_cost = models.DecimalField(max_digits=8, decimal_places=2)
    estimated_minutes = models.PositiveIntegerField()
    estimated_cost = models.DecimalField(max_digits=9, decimal_places=2)
    working_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    recommendation = models.CharField(max_length=8, choices=Recommendation.choices, blank=True)
    decision = models.CharField(max_length=8, choices=Recommendation.choices)
    reason = models.TextField()

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} for {self.device_id}"


class RecyclingRecord(Recorded):
    """The evidence that a device went to a licensed recycler (WEEE): one per device, which ends `recycled`."""

    device = models.OneToOneField("devices.Device", on_delete=models.PROTECT, related_name="recycling")
    recycler = models.CharField(max_length=200)
    consignment_note = models.CharField("WEEE consignment or waste transfer note number", max_length=100)
    weight_kg = models.DecimalField(max_digits=7, decimal_places=2)
    handed_over_on = models.DateField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(weight_kg__gt=0), name="recycling_weight_positive")]

    def __str__(self) -> str:
        return f"Recycled {self.device_id} ({self.consignment_note})"


class FlexModelStatus(models.TextChoices):
    CERTIFIED = "certified", "Certified"
    MINOR_ISSUES = "minor_issues", "Minor issues expected"
    DECERTIFIED = "decertified", "Decertified"


class ChromeOSFlexModel(models.Model):
    """A model on Google's ChromeOS Flex certified-models list (loaded with `devicebank load-flex-models`)."""

    key = models.CharField(
        max_length=200, unique=True, help_text="Maker and model, lower case, single spaces."
    )
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=FlexModelStatus.choices)
    end_of_support_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
