"""A programme is one device-reuse scheme: the thing devices, requests and reports belong to."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from devicebank.core.models import TimeStampedModel
from devicebank.people.models import Organisation

asset_prefix_validator = RegexValidator(
    r"^[A-Z]{2,5}$", "The asset-tag prefix must be 2 to 5 capital letters, for example BNT."
)


class Programme(TimeStampedModel):
    """A scheme run by an owner (usually a council) with delivery partners and funders.

    `partners` are the organisations that work in the programme (refurbishers, community organisations,
    responsible bodies); their operational staff see its devices. `funders` see its aggregate figures only.
    Asset tags are the prefix plus a number drawn from `next_asset_number` under a row lock.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="owned_programmes")
    partners = models.ManyToManyField(Organisation, blank=True, related_name="partner_programmes")
    funders = models.ManyToManyField(Organisation, blank=True, related_name="funded_programmes")
    area = models.CharField(max_length=200, blank=True, help_text="Where the scheme runs, e.g. a borough.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    asset_tag_prefix = models.CharField(max_length=5, unique=True, validators=[asset_prefix_validator])
    next_asset_number = models.PositiveIntegerField(default=1, editable=False)
    require_verified_erasure = models.BooleanField(
        default=False, help_text="Only verified erasures count as sanitised (erased-unverified does not)."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name
