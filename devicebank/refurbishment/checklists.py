"""Test checklists: the default list for each device type, and a programme's own list (Specification.checklist).

An item is {key, label, required}. A required item must pass; an optional one may pass or be "not
applicable" (a laptop without a webcam). A failed item always blocks `ready` until it is retested and passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from devicebank.devices.models import DeviceType


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    required: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "required": self.required}


# Every item devicebank knows, in bench order. Labels say what "pass" means.
KNOWN_ITEMS: dict[str, str] = {
    "power_on": "Powers on and starts",
    "screen": "Screen: no dead pixels or cracks, even backlight",
    "keyboard": "Keyboard: every key works",
    "touchpad": "Touchpad and its buttons",
    "ports": "USB and other ports",
    "wifi": "Wi-Fi connects",
    "webcam": "Webcam",
    "microphone": "Microphone",
    "speakers": "Speakers or headphone socket",
    "battery": "Battery holds a charge",
    "charger": "Charger or power cable present and working",
    "asset_label": "Asset label fitted and scans",
}

_REQUIRED_BY_TYPE: dict[str, tuple[list[str], set[str]]] = {
    # device type: (items, required items)
    DeviceType.LAPTOP: (
        list(KNOWN_ITEMS),
        {"power_on", "screen", "keyboard", "touchpad", "wifi", "battery", "charger", "asset_label"},
    ),
    DeviceType.CHROMEBOOK: (
        list(KNOWN_ITEMS),
        {"power_on", "screen", "keyboard", "touchpad", "wifi", "battery", "charger", "asset_label"},
    ),
    DeviceType.DESKTOP: (
        ["power_on", "ports", "wifi", "speakers", "charger", "asset_label"],
        {"power_on", "ports", "charger", "asset_label"},
    ),
    DeviceType.ALL_IN_ONE: (
        ["power_on", "screen", "ports", "wifi", "webcam", "microphone", "speakers", "charger", "asset_label"],
        {"power_on", "screen", "ports", "charger", "asset_label"},
    ),
    DeviceType.TABLET: (
        [
            "power_on",
            "screen",
            "wifi",
            "webcam",
            "microphone",
            "speakers",
            "battery",
            "charger",
            "asset_label",
        ],
        {"power_on", "screen", "wifi", "battery", "charger", "asset_label"},
    ),
    DeviceType.PHONE: (
        [
            "power_on",
            "screen",
            "wifi",
            "webcam",
            "microphone",
            "speakers",
            "battery",
            "charger",
            "asset_label",
        ],
        {"power_on", "screen", "wifi", "microphone", "speakers", "battery", "charger", "asset_label"},
    ),
    DeviceType.OTHER: (["power_on", "asset_label"], {"power_on", "asset_label"}),
}


def default_checklist(device_type: str) -> list[ChecklistItem]:
    items, required = _REQUIRED_BY_TYPE.get(device_type, _REQUIRED_BY_TYPE[DeviceType.OTHER])
    return [ChecklistItem(key, KNOWN_ITEMS[key], key in required) for key in items]


def checklist_from_json(raw: Any, device_type: str) -> list[ChecklistItem]:
    """A specification's stored checklist, or the default for the type when it has none."""
    if not raw:
        return default_checklist(device_type)
    return [ChecklistItem(str(item["key"]), str(item["label"]), bool(item.get("required"))) for item in raw]


def item_key(label: str) -> str:
    """A stable key for a programme's own item: 'Stylus pen present' -> 'stylus_pen_present'."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40]
