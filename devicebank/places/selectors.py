"""Reading places. Everything here is public reference data, so nothing is scoped to the reader.

`place_for_postcode` is what the domains above use: the LSOA, district, local authority and deprivation of a
postcode, or the reason one of them is not known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, QuerySet

from devicebank.places.models import DatasetLoad, District, LocalAuthority, Lsoa, Postcode
from devicebank.places.postcodes import format_postcode, normalise_postcode, postcode_district, postcode_key


@dataclass(frozen=True)
class Place:
    """Where a postcode is, as far as the loaded data can say.

    `reason` is None when the postcode was found with its LSOA and deprivation; otherwise it says, for a person,
    what is missing and why. `postcode_district` (the outward code) is set for every valid postcode, so an area
    can still be matched by postcode district without the directory.
    """

    postcode: str
    postcode_district: str | None = None
    found: bool = False
    terminated_on: date | None = None
    lsoa_code: str | None = None
    lsoa_name: str | None = None
    district_code: str | None = None
    district_name: str | None = None
    local_authority: LocalAuthority | None = None
    imd_rank: int | None = None
    imd_decile: int | None = None
    reason: str | None = None


def postcode_directory_loaded() -> bool:
    return Postcode.objects.exists()


def place_for_postcode(postcode: str) -> Place:
    """The LSOA, district, local authority and IMD 2019 decile of a postcode, or why not (see `Place.reason`)."""
    key = postcode_key(postcode)
    if key is None:
        return Place(postcode=postcode.strip(), reason="This is not a UK postcode.")
    shown, outward = format_postcode(key), postcode_district(key)
    # The live row if there is one, else the most recently terminated (a postcode may be ended and reused).
    row = Postcode.objects.filter(key=key).order_by(F("terminated_on").desc(nulls_first=True)).first()
    if row is None:
        reason = (
            f"The postcode directory is not loaded, so areas are matched by postcode district ({outward})."
            if not postcode_directory_loaded()
            else f"{shown} is not in the postcode directory: it may be new, or mistyped."
        )
        return Place(postcode=shown, postcode_district=outward, reason=reason)
    lsoa_code = row.lsoa11 or row.lsoa21 or None
    lsoa = Lsoa.objects.filter(code=lsoa_code).first() if lsoa_code else None
    district = (
        District.objects.select_related("local_authority").filter(code=row.district_code).first()
        if row.district_code
        else None
    )
    authority = district.local_authority if district is not None else None
    if authority is None and row.district_code:
        authority = LocalAuthority.objects.filter(ons_code=row.district_code).first()
    return Place(
        postcode=shown,
        postcode_district=outward,
        found=True,
        terminated_on=row.terminated_on,
        lsoa_code=lsoa_code,
        lsoa_name=lsoa.name if lsoa else None,
        district_code=row.district_code or None,
        district_name=(district.name or None) if district else None,
        local_authority=authority,
        imd_rank=lsoa.imd_rank if lsoa else None,
        imd_decile=lsoa.imd_decile if lsoa else None,
        reason=None if lsoa else _why_no_deprivation(lsoa_code, row.lsoa11),
    )


def _why_no_deprivation(lsoa_code: str | None, lsoa11: str) -> str:
    if not lsoa_code:
        return "The postcode directory gives no LSOA for this postcode."
    if not lsoa_code.startswith("E01"):
        return "The Index of Multiple Deprivation 2019 covers England only."
    if not Lsoa.objects.exists():
        return "The Index of Multiple Deprivation is not loaded."
    if not lsoa11:
        return f"{lsoa_code} is a 2021 LSOA that changed since 2011; IMD 2019 uses 2011 LSOAs."
    return f"The Index of Multiple Deprivation has no figure for {lsoa_code}."


def lsoa_get(code: str) -> Lsoa | None:
    return Lsoa.objects.filter(code=code.strip().upper()).first() if code else None


def lsoa_deciles(codes: Iterable[str]) -> dict[str, int]:
    """LSOA code -> IMD decile for the codes known (one query, for lists)."""
    wanted = {code for code in codes if code}
    return dict(Lsoa.objects.filter(code__in=wanted).values_list("code", "imd_decile")) if wanted else {}


def local_authority_list() -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.all()


def local_authority_get(gias_code: str) -> LocalAuthority | None:
    return LocalAuthority.objects.filter(gias_code=gias_code).first()


def postcode_in_districts(postcode: str, districts: Iterable[str]) -> bool:
    """True when the postcode's district (outward code) is one of `districts` ("N11", "EN4"): the area test
    that needs no postcode directory."""
    key = postcode_key(postcode)
    if key is None:
        return False
    wanted = {normalise_postcode(d) for d in districts}
    return postcode_district(key) in wanted


def latest_load(dataset: str) -> DatasetLoad | None:
    return DatasetLoad.objects.filter(dataset=dataset).order_by("-created_at", "-id").first()
