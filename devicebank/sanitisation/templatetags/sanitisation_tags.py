"""Template tags of sanitisation: what the device page's sanitisation panel offers."""

from __future__ import annotations

from typing import Any

from django import template

from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.people.access import scope_for
from devicebank.sanitisation.permissions import can_sanitise

register = template.Library()


@register.simple_tag
def may_record_sanitisation(device: Device, user: Any) -> bool:
    """Whether to offer "Record sanitisation": the device awaits it and the person may record it there."""
    awaiting = device.state in (DeviceState.RECEIVED, DeviceState.RETURNED)
    return awaiting and can_sanitise(scope_for(user), device.programme_id)
