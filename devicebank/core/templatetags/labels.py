"""People-facing labels: names instead of codes, sizes as they are sold, lists without stray punctuation.

The one place pages (and the readiness rules' sentences) turn stored values into words::

    {% load labels %}
    {{ device.ram_bytes|memory_as_sold }}                      8 GB
    {{ device.storage_bytes|storage_as_sold }}                 256 GB
    {% as_sold device.storage_bytes "storage" kind=device.storage_kind %}    256 GB SSD, exact bytes on a hint line
    {{ target|label:"OsTarget" }}                              windows_11 -> Windows 11
    {{ values|listing }}                                       "a, b" (empty values dropped: never ", ,")

How sizes are shown (docs/refurbishment.md, "How pages show sizes and codes", says the same for people):

- Memory is sold in binary gigabytes (an "8 GB" module holds 8 x 2^30 bytes) and operating systems report a little
  less than that (7.7 GiB usable). We show the nearest whole binary gigabyte, written "GB" as the box says; under
  1 GiB, the nearest whole MiB written "MB".
- Storage is sold in decimal gigabytes (1 GB = 10^9 bytes), and a drive holds a little more or less than its label
  ("256 GB" SSD: 256,060,514,304 bytes; "64 GB" eMMC: about 62.5 GB usable). Below 1 TB we show the smallest
  size drives are sold in (``MARKETED_STORAGE_GB``) whose label is at most 7.5% above or 2% below the exact size;
  otherwise the decimal size, whole from 10 up and to one decimal place below. Past 979 GB: terabytes the same way
  ("1 TB", "1.5 TB"). Under 1 MB, the exact bytes.
- The exact number of bytes is always shown beside it (``exact_bytes``, ``as_sold``).

Codes become names through the TextChoices enums the apps register (``register_labels`` in their AppConfig.ready;
core may not import the apps above it). An unregistered code is turned into words ("chromeos_flex" ->
"Chromeos flex") rather than shown raw.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.db.models import TextChoices
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

NOT_KNOWN = "Not known"
GIB = 2**30
MIB = 2**20
GB = 10**9
TB = 10**12
# Capacities drives are sold in, below 1 TB, in decimal GB.
MARKETED_STORAGE_GB: tuple[int, ...] = (
    1, 2, 4, 8, 16, 32, 40, 60, 64, 80, 100, 120, 128, 160, 180, 200, 240, 250, 256, 275, 320, 360, 400, 480, 500,
    512, 525, 640, 750, 800, 960,
)  # fmt: skip
# How far a drive's exact size may sit from the size on its label: a little under (formatted, reserved blocks),
# barely over.
BELOW_LABEL = Decimal("0.93")
ABOVE_LABEL = Decimal("1.02")

_LABELS: dict[str, type[TextChoices]] = {}


def register_labels(*enums: type[TextChoices]) -> None:
    """Make `{{ code|label:"EnumName" }}` know these enums (called from the owning app's AppConfig.ready)."""
    for enum in enums:
        _LABELS[enum.__name__] = enum


def _as_int(value: Any) -> int | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number < 0:
        return None
    return int(number)


def _whole(number: Decimal) -> str:
    return f"{number:,.0f}"


def _short(number: Decimal) -> str:
    """Whole from 10 up, one decimal place (dropping ".0") below: 73.4 -> "73", 1.54 -> "1.5", 2.02 -> "2"."""
    return _whole(number) if number >= 10 else f"{number:.1f}".removesuffix(".0")


@register.filter
def memory_as_sold(value: Any) -> str:
    """Memory as the box says: 8589934592 -> "8 GB"; 8268000000 (7.7 GiB usable) -> "8 GB"; None -> "Not known"."""
    size = _as_int(value)
    if size is None:
        return NOT_KNOWN
    if size == 0:
        return "0 GB"
    if size < GIB:
        return f"{_whole(Decimal(size) / MIB)} MB"
    return f"{_whole(Decimal(size) / GIB)} GB"


@register.filter
def storage_as_sold(value: Any) -> str:
    """Storage as the label says: 256060514304 -> "256 GB"; 62537072640 (a 64 GB eMMC) -> "64 GB"; 2e12 -> "2 TB"."""
    size = _as_int(value)
    if size is None:
        return NOT_KNOWN
    if size < 10**6:
        return exact_bytes(size)
    exact = Decimal(size) / GB
    for marketed in MARKETED_STORAGE_GB:
        if marketed * BELOW_LABEL <= exact <= marketed * ABOVE_LABEL:
            return f"{marketed} GB"
    if exact > MARKETED_STORAGE_GB[-1] * ABOVE_LABEL:
        return f"{_short(Decimal(size) / TB)} TB"
    if size < GB:
        return f"{_short(Decimal(size) / 10**6)} MB"
    return f"{_short(exact)} GB"


@register.filter
def exact_bytes(value: Any) -> str:
    """The exact size: 8589934592 -> "8,589,934,592 bytes"; None -> ""."""
    size = _as_int(value)
    if size is None:
        return ""
    return f"{size:,} byte{'' if size == 1 else 's'}"


@register.simple_tag
def as_sold(value: Any, what: str = "storage", kind: str = "") -> SafeString:
    """`{% as_sold device.storage_bytes "storage" kind=device.storage_kind %}` -> "256 GB SSD", with the exact bytes
    on a hint line under it; `{% as_sold device.ram_bytes "memory" %}` -> "8 GB". A kind without a size reads
    "SSD, size not known"; neither reads "Not known"."""
    size = _as_int(value)
    kind_name = label_for(kind, "StorageKind") if kind else ""
    if size is None:
        return format_html("{}", f"{kind_name}, size not known" if kind_name else NOT_KNOWN)
    shown = memory_as_sold(size) if what == "memory" else storage_as_sold(size)
    return format_html(
        '{}<br><span class="govuk-hint govuk-!-margin-0 app-exact">{}</span>',
        listing([shown, kind_name], " "),
        exact_bytes(size),
    )


def label_for(value: Any, enum_name: str = "") -> str:
    """A code's name: `label_for("windows_11", "OsTarget")` -> "Windows 11"; "" for an empty value."""
    if value is None or value == "":
        return ""
    code = str(value)
    enums = [_LABELS[enum_name]] if enum_name in _LABELS else list(_LABELS.values())
    for enum in enums:
        if code in enum.values:
            return str(enum(code).label)
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


@register.filter
def label(value: Any, enum_name: str = "") -> str:
    """`{{ code|label:"OsTarget" }}`: the name people read instead of the stored code."""
    return label_for(value, enum_name)


def listing(values: Iterable[Any], separator: str = ", ") -> str:
    """Non-empty values joined: ["a", "", None, "b"] -> "a, b" (never ", ," or a trailing comma)."""
    return separator.join(text for text in (str(v).strip() for v in values if v is not None) if text)


@register.filter(name="listing")
def listing_filter(values: Iterable[Any] | None, separator: str = ", ") -> str:
    return listing(values or [], separator)
