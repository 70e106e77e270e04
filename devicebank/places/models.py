"""Geography: local authorities, districts, LSOAs with their deprivation, and the postcode directory.

All of it is public reference data loaded from official files (docs/places.md): nothing here is personal, and
nothing here knows about devices or recipients. Domains above read it through `places.selectors`.

Two codes for a local authority, easily confused:
- the DfE's 3-digit LA number ("207"), which GIAS uses for schools (`LocalAuthority.gias_code`);
- the ONS district code ("E09000020"), which postcodes and the Indices of Deprivation use (`District.code`).
A unitary authority, metropolitan borough or London borough is both at once (`LocalAuthority.ons_code`); a
county (Kent, 886) spans several lower-tier districts (E07...), each linked to it through
`District.local_authority`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from devicebank.core.models import TimeStampedModel

gias_code_validator = RegexValidator(r"^\d{3}$", "A GIAS local authority code is three digits, like 207.")


class LocalAuthority(TimeStampedModel):
    """An English local authority with education duties, as GIAS numbers them (151 when the file was made).

    `ons_code` is the authority's own ONS code when known: from the loaded file, from an exact name match with a
    unitary, metropolitan or London district, or from the districts its schools sit in (GIAS import). Counties
    have none here; their districts point at them instead.
    """

    gias_code = models.CharField("GIAS LA code", max_length=3, unique=True, validators=[gias_code_validator])
    name = models.CharField(max_length=100)
    short_code = models.CharField(max_length=3, blank=True, help_text="The three-letter code (CMD).")
    ons_code = models.CharField("ONS code", max_length=9, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.gias_code})"


class District(models.Model):
    """A local authority district (ONS `laua`: E06, E07, E08, E09; W06, S12, N09 outside England).

    Districts arrive with the Indices of Deprivation (code and name) and the postcode directory (code only).
    `local_authority` is the GIAS authority the district belongs to, when known.
    """

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100, blank=True)
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.SET_NULL, related_name="districts"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name or self.code} ({self.code})"


class Lsoa(models.Model):
    """A 2011 Lower-layer Super Output Area (about 1,500 people) with its Index of Multiple Deprivation 2019.

    Rank 1 is the most deprived of England's 32,844 LSOAs; decile 1 is the most deprived tenth.
    """

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)
    district_code = models.CharField(max_length=9, db_index=True)
    imd_rank = models.PositiveIntegerField("IMD rank", validators=[MinValueValidator(1)])
    imd_decile = models.PositiveSmallIntegerField(
        "IMD decile", validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "LSOA"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(imd_decile__gte=1, imd_decile__lte=10), name="lsoa_imd_decile_1_to_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Postcode(models.Model):
    """One row of the ONS postcode directory (NSPL or ONSPD): a postcode and the areas it lies in.

    `key` is the normalised postcode (upper case, no spaces). A terminated postcode is kept with the month it
    ended, because addresses on old records still use it; and a postcode can be terminated and later reused, so
    `key` is not unique: lookups prefer the live row. The whole table is replaced by each load.
    """

    key = models.CharField(max_length=7, db_index=True)
    terminated_on = models.DateField(null=True, blank=True, help_text="First day of the month it ended.")
    district_code = models.CharField(max_length=9, blank=True)
    lsoa11 = models.CharField("LSOA (2011)", max_length=9, blank=True)
    lsoa21 = models.CharField("LSOA (2021)", max_length=9, blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key[:-3]} {self.key[-3:]}"


class DatasetLoad(TimeStampedModel):
    """One load of a reference file: which, when, by whom, and what came of it. The subject of its event."""

    class Dataset(models.TextChoices):
        LOCAL_AUTHORITIES = "local_authorities", "English local authorities"
        IMD = "imd", "Index of Multiple Deprivation 2019"
        POSTCODES = "postcodes", "ONS postcode directory"

    dataset = models.CharField(max_length=32, choices=Dataset.choices)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} from {self.file_name}"
