from __future__ import annotations

from typing import Any

from django import forms

from devicebank.people.models import Location
from devicebank.programmes.models import Programme


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class HardwareUploadForm(forms.Form):
    reports = MultipleFileField(
        label="Hardware reports",
        help_text="One or more files from lshw -json, dmidecode, smartctl --json or eReuse Workbench.",
    )
    device = forms.CharField(
        label="Asset tag (optional)",
        required=False,
        max_length=16,
        help_text="If you know which device the reports describe. Otherwise they are matched by serial number.",
    )
    programme = forms.ModelChoiceField(
        label="Programme for devices not yet registered",
        queryset=Programme.objects.none(),
        required=False,
        empty_label="Do not register new devices",
    )
    location = forms.ModelChoiceField(
        label="Where new devices were received",
        queryset=Location.objects.none(),
        required=False,
        empty_label="Choose a site",
    )
    dry_run = forms.BooleanField(label="Only check the files: save nothing", required=False)

    def __init__(self, *args: Any, programmes: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("programme") and not data.get("location"):
            self.add_error("location", "Choose where new devices were received")
        return data


class ReportDecisionForm(forms.Form):
    """A person's decision on a held report (hardware.services.hardware_report_decide)."""

    decision = forms.ChoiceField(
        label="What should happen to this report?",
        widget=forms.RadioSelect,
        choices=[],
        error_messages={"required": "Choose what to do with the report"},
    )
    reason = forms.CharField(
        label="Why (needed to attach it anyway)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the motherboard was replaced. Kept with the report; not shown outside the programme.",
    )
    location = forms.ModelChoiceField(
        label="Where the other device is (to register it)",
        queryset=Location.objects.none(),
        required=False,
        empty_label="Choose a site",
    )

    def __init__(self, *args: Any, locations: Any, can_attach: bool, **kwargs: Any) -> None:
        from devicebank.hardware.models import HardwareReport

        super().__init__(*args, **kwargs)
        D = HardwareReport.Decision
        self.fields["decision"].choices = [(c.value, c.label) for c in D if can_attach or c != D.ATTACH]  # type: ignore[attr-defined]
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]
