"""Organisations, the people who work for them, and the roles they hold."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from devicebank.core.models import TimeStampedModel
from devicebank.people.roles import OrganisationKind, Role


def normalise_email(value: str) -> str:
    """The form every email address is stored and compared in: trimmed, lower case."""
    return value.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        """Sign-in looks people up by email whatever its case, also for rows stored before emails were
        lower-cased; the case-insensitive unique constraint means there is at most one."""
        return self.alias(email_lower=Lower("email")).get(email_lower=normalise_email(username or ""))

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the username. What they may see comes from their memberships."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="May sign in to the Django admin (platform admins)."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            # Two accounts whose addresses differ only in case would be one inbox with two passwords.
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message="An account with this email address already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organisation(TimeStampedModel):
    """Any body that takes part in a scheme: council, refurbisher, donor, school, trust, charity, funder.

    Schools hang under their responsible body (a local authority or trust) through `parent`; staff of the
    responsible body see what its schools hold.
    """

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    urn = models.CharField("URN", max_length=16, blank=True, help_text="School URN from GIAS, when a school.")
    postcode = models.CharField(max_length=10, blank=True)
    is_active = models.BooleanField(default=True)
    name_on_public_certificates = models.BooleanField(
        "Name shown on public certificate pages",
        default=False,
        db_default=False,  # rows the previous version writes during a deploy get it too
        help_text=(
            "As a donor: show this name on the public verification page of its devices' certificates. "
            "Off unless the donor asked for it."
        ),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # Schools are told apart by URN, not name: England has dozens of "St Mary's Catholic Primary School".
            models.UniqueConstraint(
                fields=["name", "kind"], condition=models.Q(urn=""), name="organisation_unique_name_kind"
            ),
            models.UniqueConstraint(
                fields=["urn"], condition=~models.Q(urn=""), name="organisation_unique_urn"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Location(TimeStampedModel):
    """A physical place devices can be: a warehouse, a drop point, a school office, a bench."""

    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", "Warehouse"
        WORKSHOP = "workshop", "Workshop"
        DROP_POINT = "drop_point", "Drop point"
        SITE = "site", "Site"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SITE)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="location_unique_name_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"


class Membership(TimeStampedModel):
    """A user's role in an organisation. A person may hold several (e.g. technician at two refurbishers)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class ApiToken(TimeStampedModel):
    """A personal API token. Only a SHA-256 of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
