from django import template

from devicebank.devices.states import DeviceState

register = template.Library()


@register.filter
def state_label(value: str | None) -> str:
    """'in_refurbishment' -> 'In refurbishment'; unknown values are shown as they are."""
    if not value:
        return ""
    try:
        return DeviceState(value).label
    except ValueError:
        return str(value)
