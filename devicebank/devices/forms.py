"""Device forms: parse and validate what people type; services decide."""

from __future__ import annotations

from decimal import Decimal
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


class DeviceCorrectionForm(forms.Form):
    """A hand correction of what is recorded about a device. Only the fields a person changes are sent on."""

    device_type = forms.ChoiceField(label="Type", choices=DeviceType.choices)
    manufacturer = forms.CharField(label="Manufacturer", max_length=100)
    model = forms.CharField(label="Model", max_length=200, required=False)
    serial_number = forms.CharField(
        label="Serial number", max_length=100, required=False, help_text="Leave blank if the device has none."
    )
    cpu_model = forms.CharField(label="Processor", max_length=200, required=False)
    ram_gb = forms.DecimalField(
        label="Memory (GB)", required=False, min_value=Decimal("0.1"), max_value=4096, decimal_places=1
    )
    storage_gb = forms.DecimalField(
        label="Storage (GB)", required=False, min_value=Decimal("0.1"), max_value=100000, decimal_places=1
    )
    storage_kind = forms.ChoiceField(label="Storage type", choices=StorageKind.choices, required=False)
    reason = forms.CharField(
        label="Why are you correcting it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example: read from the label on the base.",
    )

    @classmethod
    def initial_for(cls, device: Any) -> dict[str, Any]:
        def gb(value: int | None) -> Decimal | None:
            return None if value is None else round(Decimal(value) / GB, 1)

        return {
            "device_type": device.device_type,
            "manufacturer": device.manufacturer,
            "model": device.model,
            "serial_number": device.serial_number or "",
            "cpu_model": device.cpu_model,
            "ram_gb": gb(device.ram_bytes),
            "storage_gb": gb(device.storage_bytes),
            "storage_kind": device.storage_kind,
        }

    def changes(self) -> dict[str, Any]:
        """The details the person changed, as the service takes them (sizes in bytes)."""
        data = self.cleaned_data
        found: dict[str, Any] = {}
        for name in self.changed_data:
            if name == "reason":
                continue
            if name in ("ram_gb", "storage_gb"):
                value = data[name]
                found[name.replace("_gb", "_bytes")] = None if value is None else int(value * GB)
            else:
                found[name] = data[name]
        return found
