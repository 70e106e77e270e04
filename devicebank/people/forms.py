from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from devicebank.people.roles import Role


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "This account is disabled.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="Say what will use it, for example “warehouse scanner script”.",
    )


class CodeForm(forms.Form):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="Security code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now. Lost your phone? Enter one of your "
        "recovery codes instead.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = "Enter the 6-digit code from your authenticator app"


class SetUpCodeForm(forms.Form):
    """Confirms a new authenticator: proves the app holds the key before it is relied on."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=16,
        help_text="The 6-digit code the app shows for devicebank.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = "Enter the 6-digit code from your authenticator app"


class GrantRoleForm(forms.Form):
    """Give a person who has an account a role at one of the organisations the reader manages."""

    email = forms.EmailField(
        label="Email address of the person",
        max_length=254,
        help_text="They must already have a devicebank account.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    organisation = forms.TypedChoiceField(label="Organisation", coerce=int)
    role = forms.ChoiceField(label="Role")

    def __init__(
        self, *args: Any, grantable: dict[int, frozenset[str]], organisations: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.grantable = grantable
        self.fields["email"].error_messages["required"] = "Enter the person's email address"
        self.fields["email"].error_messages["invalid"] = "Enter an email address like name@example.org"
        organisation_field = cast(forms.TypedChoiceField, self.fields["organisation"])
        organisation_field.choices = [("", "Choose an organisation")] + [
            (org.pk, org.name) for org in organisations
        ]
        self.fields["organisation"].error_messages["required"] = "Choose an organisation"
        self.fields["organisation"].error_messages["invalid_choice"] = "Choose an organisation from the list"
        roles = set().union(*grantable.values()) if grantable else set()
        cast(forms.ChoiceField, self.fields["role"]).choices = [("", "Choose a role")] + [
            (value, label) for value, label in Role.choices if value in roles
        ]
        self.fields["role"].error_messages["required"] = "Choose a role"
        self.fields["role"].error_messages["invalid_choice"] = "Choose a role from the list"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        org, role = data.get("organisation"), data.get("role")
        if org is not None and role and role not in self.grantable.get(org, frozenset()):
            allowed = ", ".join(str(Role(r).label).lower() for r in sorted(self.grantable.get(org, ())))
            self.add_error("role", f"At that organisation you can give only these roles: {allowed}")
        return data
