"""Workbench forms: parse what people type or scan; the services decide. Each step is one short form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from devicebank.devices.models import DeviceType
from devicebank.programmes.models import Programme
from devicebank.refurbishment.checklists import KNOWN_ITEMS, ChecklistItem, item_key
from devicebank.refurbishment.models import (
    CosmeticGrade,
    ItemOutcome,
    LicenceChannel,
    OperatingSystem,
    OsTarget,
    PartKind,
    Recommendation,
    SecretKind,
    Specification,
    TpmVersion,
)
from devicebank.refurbishment.selectors import ItemResult
from devicebank.refurbishment.services import BulkAction, SpecificationValues

GB = 1_000_000_000
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %m %Y"]
INLINE = "govuk-radios--inline govuk-radios--small"


def _scan_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "autocomplete": "off",
            "autofocus": True,
            "spellcheck": "false",
            "autocapitalize": "characters",
        }
    )


class ScanForm(forms.Form):
    govuk_mark_optional = False
    code = forms.CharField(
        label="Scan or type an asset tag or serial number", max_length=100, widget=_scan_widget()
    )


class NextScanForm(forms.Form):
    """The scan box at the foot of a device's page (not focused: the page's next step is)."""

    govuk_mark_optional = False
    code = forms.CharField(
        label="Scan or type the next asset tag or serial number",
        max_length=100,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )


class TestRunForm(forms.Form):
    """One radio group per checklist item (pass, fail, and not applicable where allowed) with a note each.

    Items left unanswered are not recorded, so a repaired part is retested on its own. "All passed" records
    a pass for every item left unanswered.
    """

    __test__ = False  # not a pytest test class

    battery_health_percent = forms.DecimalField(
        label="Battery health (%)",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(110),
        decimal_places=1,
        help_text="Full-charge capacity as a percentage of design capacity, if you measured it.",
    )
    screen_inches = forms.DecimalField(
        label="Screen size (inches, diagonal)",
        required=False,
        min_value=Decimal(5),
        max_value=Decimal(40),
        decimal_places=1,
    )
    tpm_version = forms.ChoiceField(
        label="Trusted Platform Module (TPM)",
        required=False,
        choices=TpmVersion.choices,
        widget=forms.RadioSelect,
        help_text="From the firmware settings or tpm.msc. Windows 11 needs TPM 2.0.",
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, items: list[ItemResult], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checklist: list[ChecklistItem] = [result.item for result in items]
        self.item_fields: list[tuple[str, str]] = []
        for result in items:
            item = result.item
            choices = [(ItemOutcome.PASS.value, "Pass"), (ItemOutcome.FAIL.value, "Fail")]
            if not item.required:
                choices.append((ItemOutcome.NOT_APPLICABLE.value, "Not applicable"))
            name, note = f"result_{item.key}", f"note_{item.key}"
            self.fields[name] = forms.ChoiceField(
                label=item.label, required=False, choices=choices, widget=forms.RadioSelect
            )
            self.fields[note] = forms.CharField(
                label=f"Note on {item.label.lower()}", required=False, max_length=500
            )
            if result.outcome:
                self.initial.setdefault(name, result.outcome)
            self.item_fields.append((name, note))

    def results(self, *, all_pass: bool) -> list[tuple[str, str, str]]:
        out = []
        for item in self.checklist:
            outcome = self.cleaned_data.get(f"result_{item.key}") or ""
            if not outcome and all_pass:
                outcome = ItemOutcome.PASS
            if outcome:
                out.append((item.key, outcome, self.cleaned_data.get(f"note_{item.key}") or ""))
        return out


class GradeForm(forms.Form):
    cosmetic = forms.ChoiceField(
        label="Cosmetic grade", choices=CosmeticGrade.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OsInstallForm(forms.Form):
    os = forms.ChoiceField(
        label="Operating system installed", choices=OperatingSystem.choices, widget=forms.RadioSelect
    )
    image_name = forms.CharField(
        label="Image name", required=False, max_length=200, help_text="For example Ubuntu 24.04 LTS."
    )
    image_version = forms.CharField(label="Image version", required=False, max_length=100)
    licence_channel = forms.ChoiceField(
        label="How is it licensed?", choices=LicenceChannel.choices, widget=forms.RadioSelect
    )
    licence_key = forms.CharField(
        label="Windows product key",
        required=False,
        max_length=40,
        help_text="XXXXX-XXXXX-XXXXX-XXXXX-XXXXX. Kept encrypted; shown later only to technicians and managers.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    coa_number = forms.CharField(
        label="Certificate of authenticity (COA) number",
        required=False,
        max_length=40,
        help_text="The original COA, for a commercial refurbisher licence. Kept encrypted.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    mdm_note = forms.CharField(
        label="MDM or Autopilot enrolment",
        required=False,
        max_length=500,
        help_text="For example the tenant or profile. No passwords here.",
    )


class PasswordForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which password?",
        choices=[
            (SecretKind.BIOS_PASSWORD.value, SecretKind.BIOS_PASSWORD.label),
            (SecretKind.ADMIN_PASSWORD.value, SecretKind.ADMIN_PASSWORD.label),
        ],
        widget=forms.RadioSelect,
    )
    value = forms.CharField(
        label="Password",
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Kept encrypted. Each time someone reveals it, devicebank records who and when.",
    )


class _PartsField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()}: {obj.description} ({obj.quantity} in stock)"


class RepairForm(forms.Form):
    fault = forms.CharField(label="Fault", max_length=500)
    action = forms.CharField(label="What was done", max_length=500)
    minutes = forms.IntegerField(label="Minutes spent", min_value=0, max_value=100_000, initial=0)
    cost = forms.DecimalField(
        label="Cost (£)", min_value=Decimal(0), max_value=Decimal("99999.99"), decimal_places=2, initial=0
    )
    part = _PartsField(label="Part used", queryset=None, required=False, empty_label="No part")
    quantity = forms.IntegerField(label="How many", min_value=1, max_value=10_000, initial=1)

    def __init__(self, *args: Any, parts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = parts  # type: ignore[attr-defined]


class HarvestForm(forms.Form):
    part = _PartsField(label="Part taken out", queryset=None, empty_label=None)
    quantity = forms.IntegerField(label="How many", min_value=1, max_value=10_000, initial=1)

    def __init__(self, *args: Any, parts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = parts  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    estimated_parts_cost = forms.DecimalField(
        label="Estimated cost of parts (£)",
        min_value=Decimal(0),
        max_value=Decimal("99999.99"),
        decimal_places=2,
    )
    estimated_minutes = forms.IntegerField(label="Estimated minutes of work", min_value=0, max_value=100_000)
    decision = forms.ChoiceField(label="Decision", choices=Recommendation.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Why", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RecycleForm(forms.Form):
    recycler = forms.CharField(label="Licensed recycler", max_length=200)
    consignment_note = forms.CharField(label="WEEE consignment or waste transfer note number", max_length=100)
    weight_kg = forms.DecimalField(
        label="Weight (kg)", min_value=Decimal("0.01"), max_value=Decimal(1000), decimal_places=2
    )
    handed_over_on = forms.DateField(
        label="Handed over on", input_formats=DATE_FORMATS, help_text="For example 24/11/2026."
    )
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)


class FinishForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)


class RevealForm(forms.Form):
    """Revealing is a POST (never a link a browser could prefetch), and each one is logged."""


class PartForm(forms.Form):
    programme = forms.ModelChoiceField(label="Programme", queryset=Programme.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label="Kind of part", choices=PartKind.choices)
    description = forms.CharField(label="Description", max_length=200)
    compatible_models = forms.CharField(label="Compatible models", required=False, max_length=500)
    quantity = forms.IntegerField(label="How many in stock", min_value=0, max_value=100_000, initial=0)

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class PartAdjustForm(forms.Form):
    delta = forms.IntegerField(
        label="Change in stock",
        min_value=-100_000,
        max_value=100_000,
        help_text="For example 5 for a delivery, -2 for a stocktake.",
    )
    reason = forms.CharField(label="Why", max_length=500)


class BulkForm(forms.Form):
    """A pallet of identical models: scan each asset tag (one per line), then choose one step for all."""

    codes = forms.CharField(
        label="Asset tags",
        widget=forms.Textarea(
            attrs={"rows": 6, "autofocus": True, "spellcheck": "false", "autocomplete": "off"}
        ),
        help_text="Scan or type one per line.",
    )
    action = forms.ChoiceField(label="What to record", choices=BulkAction.CHOICES, widget=forms.RadioSelect)
    not_applicable = forms.MultipleChoiceField(
        label="Not applicable on this model (tests)",
        required=False,
        choices=list(KNOWN_ITEMS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    cosmetic = forms.ChoiceField(
        label="Cosmetic grade (grading)",
        required=False,
        choices=CosmeticGrade.choices,
        widget=forms.RadioSelect,
    )
    os = forms.ChoiceField(
        label="Operating system (installs)",
        required=False,
        choices=[("", "Choose"), *OperatingSystem.choices],
    )
    licence_channel = forms.ChoiceField(
        label="Licence (installs)", required=False, choices=[("", "Choose"), *LicenceChannel.choices]
    )
    image_name = forms.CharField(label="Image name (installs)", required=False, max_length=200)
    image_version = forms.CharField(label="Image version (installs)", required=False, max_length=100)

    def tags(self) -> list[str]:
        seen: dict[str, None] = {}
        for line in self.cleaned_data["codes"].replace(",", "\n").splitlines():
            if line.strip():
                seen[line.strip().upper()] = None
        return list(seen)

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "not_applicable": data.get("not_applicable") or [],
            "cosmetic": data.get("cosmetic") or "",
            "os": data.get("os") or "",
            "licence_channel": data.get("licence_channel") or "",
            "image_name": data.get("image_name") or "",
            "image_version": data.get("image_version") or "",
        }


class SpecificationForm(forms.Form):
    """A programme's minimum for one device type, its checklist and the value of a working device."""

    govuk_mark_optional = False
    min_ram_gb = forms.DecimalField(
        label="Minimum memory (GB)",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(4096),
        decimal_places=1,
    )
    min_storage_gb = forms.DecimalField(
        label="Minimum storage (GB)",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100_000),
        decimal_places=1,
    )
    require_ssd = forms.BooleanField(label="Needs solid-state storage (SSD, NVMe or eMMC)", required=False)
    min_intel_generation = forms.IntegerField(
        label="Oldest Intel Core generation accepted",
        required=False,
        min_value=1,
        max_value=30,
        help_text="For example 8 for 8th generation (i5-8350U).",
    )
    min_ryzen_series = forms.IntegerField(
        label="Oldest AMD Ryzen series accepted",
        required=False,
        min_value=1000,
        max_value=20000,
        help_text="For example 3000 (Ryzen 5 3500U).",
    )
    cpu_families = forms.CharField(
        label="Other accepted processor families",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line, matched within the processor name, for example Celeron N4 or Pentium Silver.",
    )
    min_battery_percent = forms.IntegerField(
        label="Minimum battery health (%)", required=False, min_value=0, max_value=100
    )
    min_screen_inches = forms.DecimalField(
        label="Minimum screen size (inches)",
        required=False,
        min_value=Decimal(5),
        max_value=Decimal(40),
        decimal_places=1,
    )
    require_webcam = forms.BooleanField(label="Needs a working webcam", required=False)
    os_targets = forms.MultipleChoiceField(
        label="Operating systems the programme accepts",
        required=False,
        choices=OsTarget.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    require_os_install = forms.BooleanField(
        label="An operating system install must be recorded", required=False
    )
    items = forms.MultipleChoiceField(
        label="Checklist items",
        required=False,
        choices=list(KNOWN_ITEMS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    required_items = forms.MultipleChoiceField(
        label="Items that must pass (not applicable is refused)",
        required=False,
        choices=list(KNOWN_ITEMS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    extra_items = forms.CharField(
        label="The programme's own checklist items",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line; each must pass. For example Stylus present.",
    )
    working_value = forms.DecimalField(
        label="Value of a working device (£)",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal("99999.99"),
        decimal_places=2,
    )
    labour_rate = forms.DecimalField(
        label="Cost of an hour's work (£)",
        min_value=Decimal(0),
        max_value=Decimal("99999.99"),
        decimal_places=2,
        initial=Decimal("25.00"),
    )

    @classmethod
    def initial_for(cls, spec: Specification | None, device_type: str) -> dict[str, Any]:
        from devicebank.refurbishment.checklists import checklist_from_json

        checklist = checklist_from_json(spec.checklist if spec else None, device_type)
        known = [item for item in checklist if item.key in KNOWN_ITEMS]
        extra = [item for item in checklist if item.key not in KNOWN_ITEMS]
        if spec is None:
            return {
                "items": [i.key for i in known],
                "required_items": [i.key for i in known if i.required],
                "require_os_install": device_type not in (DeviceType.TABLET, DeviceType.PHONE),
                "labour_rate": Decimal("25.00"),
            }
        return {
            "min_ram_gb": None if spec.min_ram_bytes is None else Decimal(spec.min_ram_bytes) / GB,
            "min_storage_gb": None
            if spec.min_storage_bytes is None
            else Decimal(spec.min_storage_bytes) / GB,
            "require_ssd": spec.require_ssd,
            "min_intel_generation": spec.min_intel_generation,
            "min_ryzen_series": spec.min_ryzen_series,
            "cpu_families": "\n".join(spec.cpu_families or []),
            "min_battery_percent": spec.min_battery_percent,
            "min_screen_inches": spec.min_screen_inches,
            "require_webcam": spec.require_webcam,
            "os_targets": spec.os_targets,
            "require_os_install": spec.require_os_install,
            "items": [i.key for i in known],
            "required_items": [i.key for i in known if i.required],
            "extra_items": "\n".join(i.label for i in extra),
            "working_value": spec.working_value,
            "labour_rate": spec.labour_rate,
        }

    def to_values(self) -> SpecificationValues:
        data = self.cleaned_data
        required = set(data.get("required_items") or [])
        checklist: list[dict[str, Any]] = [
            {"key": key, "label": KNOWN_ITEMS[key], "required": key in required}
            for key in KNOWN_ITEMS
            if key in set(data.get("items") or [])
        ]
        for line in (data.get("extra_items") or "").splitlines():
            if line.strip():
                checklist.append({"key": item_key(line) or "item", "label": line.strip(), "required": True})

        def size(value: Decimal | None) -> int | None:
            return None if value is None else int(value * GB)

        return SpecificationValues(
            min_ram_bytes=size(data.get("min_ram_gb")),
            min_storage_bytes=size(data.get("min_storage_gb")),
            require_ssd=bool(data.get("require_ssd")),
            min_intel_generation=data.get("min_intel_generation"),
            min_ryzen_series=data.get("min_ryzen_series"),
            cpu_families=[
                line.strip() for line in (data.get("cpu_families") or "").splitlines() if line.strip()
            ],
            min_battery_percent=data.get("min_battery_percent"),
            min_screen_inches=data.get("min_screen_inches"),
            require_webcam=bool(data.get("require_webcam")),
            os_targets=list(data.get("os_targets") or []),
            require_os_install=bool(data.get("require_os_install")),
            checklist=checklist,
            working_value=data.get("working_value"),
            labour_rate=data.get("labour_rate") or Decimal("25.00"),
        )
