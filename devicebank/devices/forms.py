"""Device forms: parse and validate what people type; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from devicebank.devices.models import DeviceType, StorageKind
from devicebank.devices.selectors import DeviceFilters
from devicebank.devices.services import HandoverKind
from devicebank.devices.states import DeviceState
from devicebank.people.models import Location, Organisation
from devicebank.programmes.models import Programme

GB = 1_000_000_000
GIB = 1024**3


class DeviceFilterForm(forms.Form):
    govuk_mark_optional = False  # every filter is optional; saying so on each label is noise
    q = forms.CharField(label="Asset tag or serial number", required=False, max_length=100)
    state = forms.MultipleChoiceField(
        label="State", required=False, choices=DeviceState.choices, widget=forms.CheckboxSelectMultiple
    )
    device_type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any type"), *DeviceType.choices]
    )
    programme = forms.ModelChoiceField(
        label="Programme", queryset=Programme.objects.none(), required=False, empty_label="All programmes"
    )
    location = forms.ModelChoiceField(
        label="Location", queryset=Location.objects.none(), required=False, empty_label="All locations"
    )
    custodian = forms.ModelChoiceField(
        label="Held by", queryset=Organisation.objects.none(), required=False, empty_label="Anyone"
    )

    def __init__(
        self, *args: Any, programmes: Any, locations: Any, organisations: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]
        self.fields["custodian"].queryset = organisations  # type: ignore[attr-defined]

    def to_filters(self) -> DeviceFilters:
        data = self.cleaned_data
        return DeviceFilters(
            q=data.get("q") or "",
            state=tuple(data.get("state") or ()),
            device_type=(data["device_type"],) if data.get("device_type") else (),
            programme=data["programme"].pk if data.get("programme") else None,
            location=data["location"].pk if data.get("location") else None,
            custodian=data["custodian"].pk if data.get("custodian") else None,
        )


class DeviceTransitionForm(forms.Form):
    to = forms.ChoiceField(label="Change the state to", widget=forms.RadioSelect)
    location = forms.ModelChoiceField(
        label="Where is it now?",
        queryset=Location.objects.none(),
        required=False,
        empty_label="No change",
        help_text="Needed when a device is received or returned.",
    )
    handover_kind = forms.ChoiceField(
        label="How was it handed over?",
        required=False,
        widget=forms.RadioSelect,
        choices=HandoverKind.choices,
        help_text="Only when it reaches its recipient.",
    )
    reason = forms.CharField(
        label="Why (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    expected_state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, targets: list[DeviceState], locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(t.value, t.label) for t in targets]  # type: ignore[attr-defined]
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]


class DeviceRegisterForm(forms.Form):
    programme = forms.ModelChoiceField(label="Programme", queryset=Programme.objects.none(), empty_label=None)
    device_type = forms.ChoiceField(label="Type", choices=DeviceType.choices)
    manufacturer = forms.CharField(label="Manufacturer", max_length=100)
    model = forms.CharField(label="Model", max_length=200, required=False)
    serial_number = forms.CharField(
        label="Serial number",
        max_length=100,
        required=False,
        help_text="Leave blank if the device has none. Placeholders such as “To Be Filled By O.E.M.” count as none.",
    )
    cpu_model = forms.CharField(label="Processor", max_length=200, required=False)
    ram_gb = forms.DecimalField(
        label="Memory (GB)", required=False, min_value=0, max_value=4096, decimal_places=1
    )
    storage_gb = forms.DecimalField(
        label="Storage (GB)", required=False, min_value=0, max_value=100000, decimal_places=1
    )
    storage_kind = forms.ChoiceField(label="Storage type", choices=StorageKind.choices, required=False)
    location = forms.ModelChoiceField(label="Received at", queryset=Location.objects.none(), empty_label=None)

    def __init__(self, *args: Any, programmes: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]
