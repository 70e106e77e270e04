"""Who made the machine, which model it is, its serial and its form factor, from the firmware (DMI) strings.

Every format ends up with the same DMI strings (lshw and eReuse copy them from SMBIOS), so the rules live
here once: Lenovo's friendly model, Chromebook code names, placeholder serials, motherboard fallbacks.
"""

from __future__ import annotations

from dataclasses import dataclass

from devicebank.devices.identity import canonical_manufacturer, clean_serial
from devicebank.hardware.parsers.draft import ReportDraft
from devicebank.hardware.parsers.normalise import (
    chassis_device_type,
    clean_text,
    hypervisor_in,
    meaningful,
    text_key,
)
from devicebank.hardware.parsers.report import VIRTUAL_MACHINE_NOTE

# Makers whose Product Name is a machine type (20L5CTO1WW) and whose Version holds the friendly model.
_MACHINE_TYPE_MAKERS = frozenset({"Lenovo", "IBM"})
_SANITISED_SERIALS = frozenset({"removed"})


@dataclass
class FirmwareIdentity:
    """The raw identity strings a report carries (None where the format has no such field)."""

    manufacturer: object = None
    product: object = None
    version: object = None
    family: object = None
    sku: object = None
    serial: object = None
    chassis: object = None
    chassis_source: str = "DMI chassis type"
    chassis_serial: object = None
    board_manufacturer: object = None
    board_product: object = None


def strip_sku_suffix(product: str | None, sku: str | None) -> str | None:
    """lshw appends the SKU to the product ("20L5CTO1WW (LENOVO_MT_20L5_…)"); take it off again."""
    if product and sku and product.endswith(f" ({sku})"):
        return product[: -len(sku) - 3].strip() or None
    return product


def apply_identity(draft: ReportDraft, ident: FirmwareIdentity) -> None:
    """Fill the identity section of a draft from firmware strings, with a warning for anything missing or odd."""
    manufacturer = _manufacturer(draft, ident)
    _model(draft, ident, manufacturer)
    draft.manufacturer = manufacturer
    draft.serial = machine_serial(draft, ident.serial, ident.chassis_serial)
    if manufacturer == "Google":
        draft.device_type = "chromebook"
        if draft.model:
            draft.warn(
                "identity",
                f"Chromebook firmware gives the board code name '{draft.model}', not the retail model: "
                "read the model from the label.",
            )
    else:
        draft.device_type, warning = chassis_device_type(
            clean_text(ident.chassis), source=ident.chassis_source
        )
        if warning:
            draft.warn("identity", warning)
    hypervisor = hypervisor_in(ident.manufacturer, ident.product, ident.version, ident.board_manufacturer)
    if hypervisor:
        warn_virtual(draft, hypervisor)


def warn_virtual(draft: ReportDraft, evidence: str) -> None:
    """Say once that the report describes a virtual machine, whatever gave it away."""
    if not any(note.startswith(VIRTUAL_MACHINE_NOTE) for note in draft.notes["source"]):
        draft.warn("source", f"{VIRTUAL_MACHINE_NOTE} ({evidence}), not a physical device.")


def _manufacturer(draft: ReportDraft, ident: FirmwareIdentity) -> str | None:
    manufacturer = canonical_manufacturer(meaningful(ident.manufacturer)) or None
    if manufacturer:
        return manufacturer
    board = canonical_manufacturer(meaningful(ident.board_manufacturer)) or None
    shown = clean_text(ident.manufacturer)
    if board:
        draft.warn(
            "identity",
            f"The system manufacturer is {_shown(shown)}; using the motherboard maker '{board}' instead "
            "(a self-built or white-box PC?).",
        )
        return board
    draft.warn("identity", f"The system manufacturer is {_shown(shown)}: set it by hand.")
    return None


def _model(draft: ReportDraft, ident: FirmwareIdentity, manufacturer: str | None) -> None:
    sku = clean_text(ident.sku)
    product = meaningful(strip_sku_suffix(clean_text(ident.product), sku))
    if manufacturer in _MACHINE_TYPE_MAKERS:
        friendly = _friendly_lenovo_model(ident)
        if friendly:
            draft.model, draft.model_number = friendly, product
            return
        if product:
            draft.warn(
                "identity",
                f"{manufacturer} firmware gives only the machine type '{product}', not the friendly model name.",
            )
            draft.model, draft.model_number = product, product
            return
    if product:
        draft.model = product
        return
    board = meaningful(ident.board_product)
    shown = _shown(clean_text(ident.product))
    if board:
        draft.model = board
        draft.warn("identity", f"The system model is {shown}; using the motherboard model '{board}' instead.")
    else:
        draft.warn("identity", f"The system model is {shown}: set it by hand.")


def _friendly_lenovo_model(ident: FirmwareIdentity) -> str | None:
    for raw in (ident.version, ident.family):
        text = meaningful(raw)
        # "Lenovo" or "ThinkPad" alone is a brand, not a model.
        if text and text_key(text) not in {"lenovo", "ibm", "thinkpad", "thinkcentre", "ideapad"}:
            return text
    return None


def machine_serial(draft: ReportDraft, raw: object, fallback: object = None) -> str | None:
    """The system serial, or the chassis serial when the system one is a placeholder; warns either way."""
    text = clean_text(raw)
    serial = clean_serial(text)
    if serial and text_key(serial) not in _SANITISED_SERIALS:
        return serial
    backup = clean_serial(clean_text(fallback))
    if backup and text_key(backup) not in _SANITISED_SERIALS:
        draft.warn(
            "identity",
            f"The system serial number is {_shown(text)}; using the chassis serial number '{backup}' instead.",
        )
        return backup
    if text is None:
        draft.warn("identity", "The firmware gives no system serial number: read it from the label.")
    elif text_key(text) in _SANITISED_SERIALS:
        draft.warn(
            "identity", "Serial numbers were removed from this report (sanitised): read it from the label."
        )
    else:
        draft.warn(
            "identity",
            f"The firmware serial number '{text}' is a placeholder, not a real serial: read it from the label.",
        )
    return None


def component_serial(draft: ReportDraft, raw: object, what: str) -> str | None:
    """A drive's serial, None (with a warning) when it is a placeholder."""
    text = clean_text(raw)
    serial = clean_serial(text)
    if serial and text_key(serial) not in _SANITISED_SERIALS:
        return serial
    if text is not None:
        draft.warn(
            "drives", f"The serial number of {what} ('{text}') is a placeholder: read it from the drive."
        )
    return None


def _shown(text: str | None) -> str:
    return f"a placeholder ('{text}')" if text else "missing"
