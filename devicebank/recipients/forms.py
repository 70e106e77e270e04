from __future__ import annotations

from django import forms

from devicebank.recipients.models import SchoolImport


class SchoolSearchForm(forms.Form):
    q = forms.CharField(label="Search by name, URN or postcode", required=False, max_length=100)


class GiasUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the GIAS establishment file",
        help_text="The CSV from Get Information About Schools (Download, establishment fields).",
    )


class ImportModeForm(forms.Form):
    mode = forms.ChoiceField(
        label="How should it be imported?", widget=forms.RadioSelect, choices=SchoolImport.Mode.choices
    )
