"""Donation forms."""

from __future__ import annotations

from typing import Any

from django import forms

from devicebank.devices.models import DeviceType
from devicebank.donations.models import RegisterImport
from devicebank.donations.register import REGISTER_FIELDS
from devicebank.people.models import Location, Organisation
from devicebank.programmes.models import Programme


class DonationForm(forms.Form):
    programme = forms.ModelChoiceField(label="Programme", queryset=Programme.objects.none(), empty_label=None)
    donor = forms.ModelChoiceField(
        label="Donor", queryset=Organisation.objects.none(), empty_label="Choose the donor"
    )
    description = forms.CharField(
        label="Description (optional)",
        max_length=200,
        required=False,
        help_text="For example “260 retired corporate laptops”.",
    )
    expected_count = forms.IntegerField(
        label="How many devices are expected (optional)",
        required=False,
        min_value=0,
        max_value=10_000_000,
        help_text="Leave blank if the donor will send an asset register.",
    )
    drop_point = forms.ModelChoiceField(
        label="Drop point (optional)",
        queryset=Location.objects.none(),
        required=False,
        empty_label="None: we will collect",
        help_text="For small donors who drop devices off.",
    )

    def __init__(self, *args: Any, programmes: Any, donors: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["donor"].queryset = donors  # type: ignore[attr-defined]
        self.fields["drop_point"].queryset = locations  # type: ignore[attr-defined]


class CollectionForm(forms.Form):
    collection_date = forms.DateField(
        label="Collection date",
        help_text="For example 27/03/2027.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %m %Y"],
    )
    collection_address = forms.CharField(
        label="Collection address", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    collector = forms.CharField(
        label="Who will collect", max_length=200, help_text="A person or a courier firm."
    )


class CollectedForm(forms.Form):
    collected_by = forms.CharField(
        label="Collected by (optional)",
        max_length=200,
        required=False,
        help_text="The driver's name, if it is not the collector already recorded.",
    )


class ReceivedForm(forms.Form):
    location = forms.ModelChoiceField(
        label="Where did the devices arrive?", queryset=Location.objects.none(), empty_label="Choose a site"
    )

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the donation cancelled?", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class RegisterUploadForm(forms.Form):
    file = forms.FileField(label="Upload the asset register", help_text="A CSV or Excel (.xlsx) file.")


class MappingForm(forms.Form):
    """One select per column of the file: which register field it holds, or none."""

    govuk_mark_optional = False

    def __init__(
        self, *args: Any, headers: list[str], initial_choice: dict[str, str | None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Ignore this column"), *((name, label) for name, label in REGISTER_FIELDS.items())]
        self.columns: list[tuple[str, str]] = []
        for index, header in enumerate(headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header or f"Column {index + 1}",
                choices=choices,
                required=False,
                initial=initial_choice.get(header) or "",
            )
            self.columns.append((name, header))

    def choice(self) -> dict[str, str | None]:
        return {header: self.cleaned_data.get(name) or None for name, header in self.columns}


class ImportModeForm(forms.Form):
    mode = forms.ChoiceField(
        label="How should it be imported?", widget=forms.RadioSelect, choices=RegisterImport.Mode.choices
    )


class ScanForm(forms.Form):
    location = forms.ModelChoiceField(
        label="Receiving at", queryset=Location.objects.none(), empty_label=None
    )
    code = forms.CharField(
        label="Scan or type an asset tag or serial number",
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autofocus": True,
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
    )

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]


class UnexpectedDeviceForm(forms.Form):
    serial_number = forms.CharField(label="Serial number", max_length=100, required=False)
    device_type = forms.ChoiceField(label="Type", choices=DeviceType.choices)
    manufacturer = forms.CharField(label="Manufacturer", max_length=100)
    model = forms.CharField(label="Model", max_length=200, required=False)
    location = forms.ModelChoiceField(label="Received at", queryset=Location.objects.none(), empty_label=None)

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]
