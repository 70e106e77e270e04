"""Template tags of the workbench: the device page's refurbishment panel, and focusing a form's first field."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.forms.boundfield import BoundField
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from devicebank.core.templatetags.govuk import govuk_field
from devicebank.core.templatetags.labels import label_for, listing, memory_as_sold, storage_as_sold
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.people.access import scope_for
from devicebank.refurbishment.models import Specification
from devicebank.refurbishment.permissions import can_refurbish, can_see_refurbishment

register = template.Library()

_FIRST_CONTROL = re.compile(r"<(input|select|textarea)\b(?![^>]*type=\"hidden\")")


@register.simple_tag
def workbench_field(bound_field: BoundField, *, autofocus: bool = False, **options: Any) -> SafeString:
    """`govuk_field`, optionally with `autofocus` on its first control only (the first radio of a group), so
    each workbench step starts where the keyboard is."""
    html = str(govuk_field(bound_field, **options))
    if autofocus:
        html = _FIRST_CONTROL.sub(lambda m: f"<{m.group(1)} autofocus", html, count=1)
    return mark_safe(html)  # noqa: S308 - govuk_field's own escaped output, with one attribute added


@register.inclusion_tag("refurbishment/_panel_body.html")
def refurbishment_panel(device: Device, user: Any) -> dict[str, Any]:
    """What the device still needs before `ready` (for those who work in its programme), with workbench links."""
    from devicebank.refurbishment.selectors import readiness, recycling_for

    scope = scope_for(user)
    if not can_see_refurbishment(scope, device.programme_id):
        return {"visible": False}
    active = device.state in (DeviceState.SANITISED, DeviceState.IN_REFURBISHMENT)
    state = readiness(device) if active else None
    grade = state.grade if state else None
    if grade is None and not active:
        from devicebank.refurbishment.models import Grade

        grade = (
            Grade.objects.filter(device=device, sanitisation_id=device.sanitisation_id)
            .order_by("-recorded_at")
            .first()
            if device.sanitisation_id
            else None
        )
    return {
        "visible": True,
        "device": device,
        "active": active,
        "readiness": state,
        "grade": grade,
        "recycling": recycling_for(device=device) if device.state == DeviceState.RECYCLED else None,
        "can_work": can_refurbish(scope, device.programme_id),
        "workbench_url": reverse("refurbishment:device", args=[device.asset_tag]),
    }


@register.filter
def getfield(form: Any, name: str) -> BoundField:
    """`form|getfield:"result_keyboard"`: a form's bound field by a name built at run time."""
    bound: BoundField = form[name]
    return bound


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@register.filter
def specification_minimums(spec: Specification) -> str:
    """A specification's minimums in one line for people: "4 GB memory; 64 GB SSD storage; OS: Windows 11, Linux"."""
    storage = ""
    if spec.min_storage_bytes:
        storage = listing(
            [storage_as_sold(spec.min_storage_bytes), "SSD" if spec.require_ssd else "", "storage"], " "
        )
    elif spec.require_ssd:
        storage = "SSD storage"
    targets = listing(label_for(target, "OsTarget") for target in spec.os_targets or [])
    families = listing(str(family) for family in spec.cpu_families or [])
    return (
        listing(
            [
                f"{memory_as_sold(spec.min_ram_bytes)} memory" if spec.min_ram_bytes else "",
                storage,
                f"Intel Core {_ordinal(spec.min_intel_generation)} generation or later"
                if spec.min_intel_generation
                else "",
                f"Ryzen {spec.min_ryzen_series} series or later" if spec.min_ryzen_series else "",
                f"processor: {families}" if families else "",
                f"battery {spec.min_battery_percent}%" if spec.min_battery_percent is not None else "",
                f'screen {spec.min_screen_inches}"' if spec.min_screen_inches is not None else "",
                "webcam" if spec.require_webcam else "",
                f"OS: {targets}" if targets else "",
            ],
            "; ",
        )
        or "None"
    )
