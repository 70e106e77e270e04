from __future__ import annotations

from typing import Any

from django import forms

from devicebank.hardware.models import DeviceDrive
from devicebank.sanitisation.models import DestructionMethod


class ErasureUploadForm(forms.Form):
    report = forms.FileField(
        label="Erasure report", help_text="An nwipe or ShredOS log, or an eReuse Workbench snapshot."
    )


class DestructionForm(forms.Form):
    drive = forms.ModelChoiceField(
        label="Which drive",
        queryset=DeviceDrive.objects.none(),
        required=False,
        empty_label="A drive not recorded in devicebank",
    )
    drive_model = forms.CharField(label="Drive model (if not recorded)", max_length=200, required=False)
    drive_serial = forms.CharField(label="Drive serial (if not recorded)", max_length=100, required=False)
    method = forms.ChoiceField(
        label="How was it destroyed?", choices=DestructionMethod.choices, widget=forms.RadioSelect
    )
    destroyed_on = forms.DateField(
        label="Date destroyed",
        help_text="For example 27/03/2027.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"],
    )
    destroyed_by = forms.CharField(
        label="Destroyed by", max_length=200, help_text="A member of staff, or the destruction company."
    )
    certificate_number = forms.CharField(
        label="Destruction certificate number (optional)", max_length=100, required=False
    )

    def __init__(self, *args: Any, drives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drive"].queryset = drives  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("drive") and not (data.get("drive_model") or data.get("drive_serial")):
            self.add_error("drive", "Choose the drive, or give its model or serial")
        return data


class NoStorageForm(forms.Form):
    reason = forms.CharField(
        label="How do you know there is no storage?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example: drive bay empty, donor removed the drives.",
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label="Why can this record be trusted?", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    serial = forms.CharField(
        label="Drive serial number, if the log has none (optional)",
        help_text="As printed on the drive's label. The certificate shows it as supplied by a person.",
        required=False,
        max_length=100,
    )


class SanitisationOutcomeForm(forms.Form):
    """Asks the rule to decide: the evidence recorded for this pass says whether the device is sanitised."""

    mobile_reset = forms.BooleanField(
        label="This phone or tablet was factory reset with encryption",
        required=False,
        help_text="Only for phones and tablets. Computers need erasure or destruction records for every drive.",
    )
    summary = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Left blank, the note lists the evidence.",
    )


class VerifyFindForm(forms.Form):
    """The public form at /verify/: a verification code, or an older certificate's number and SHA-256."""

    code = forms.CharField(
        label="Verification code",
        help_text="24 letters and numbers, printed under the QR code on the certificate.",
        max_length=60,
        required=False,
    )
    number = forms.CharField(
        label="Certificate number", help_text="For example SC-2026-000123.", max_length=30, required=False
    )
    sha256 = forms.CharField(
        label="SHA-256 of its facts",
        help_text="The 64 letters and numbers printed on the certificate.",
        max_length=80,
        required=False,
    )
