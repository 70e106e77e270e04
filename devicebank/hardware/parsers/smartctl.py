"""`smartctl --json` (`-j -a`, `-j -x`) output for one drive: ATA/SATA, NVMe and SCSI/SAS, direct or via USB.

smartctl's `device.type` says how it talked to the drive: "ata"/"sat" (ATA), "nvme", "scsi", and the USB
bridge types ("usbjmicron", "usbcypress", "usbsunplus", "usbprolific", "sntjmicron", "sntasmedia",
"sntrealtek"). A drive reached over USB is external storage (or a drive out of its machine) and is left out
with a warning. A document without model, serial or capacity (smartctl could not open the drive, or it is
`--scan` output) is refused with smartctl's own messages.
"""

from __future__ import annotations

from typing import Any

from devicebank.hardware.parsers.draft import ReportDraft
from devicebank.hardware.parsers.identity import component_serial
from devicebank.hardware.parsers.normalise import clean_text, meaningful
from devicebank.hardware.parsers.report import Drive, HardwareReportError
from devicebank.hardware.parsers.units import format_bytes_decimal

_USB_TYPE_PREFIXES = ("usb", "snt")
_DISK_FAILING = 0b1000
_MAX_MESSAGES = 3


def parse_smartctl(value: Any) -> ReportDraft:
    """Read one smartctl JSON document (or a list of them) into a draft with drives only."""
    draft = ReportDraft("smartctl")
    documents = value if isinstance(value, list) else [value]
    for document in documents:
        read_smartctl_drive(draft, document, strict=len(documents) == 1)
    draft.warn("identity", "smartctl output describes a drive, not the whole machine.")
    return draft


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _messages(document: dict[str, Any]) -> list[str]:
    messages = _get(document, "smartctl", "messages")
    if not isinstance(messages, list):
        return []
    texts = [clean_text(_get(message, "string")) for message in messages]
    return [text for text in texts if text][:_MAX_MESSAGES]


def read_smartctl_drive(draft: ReportDraft, document: Any, *, strict: bool) -> None:
    """Add one smartctl drive to a draft.

    Args:
        draft: The report being built.
        document: One smartctl JSON document.
        strict: Raise when smartctl could not read the drive (a file with one drive); otherwise warn and go on
            (a bundle with several drives, where one unreadable drive must not lose the others).
    """
    if not isinstance(document, dict):
        raise HardwareReportError("not a hardware report: smartctl data that is not a JSON object")
    version = _get(document, "smartctl", "version")
    if isinstance(version, list) and version and all(isinstance(part, int) for part in version):
        draft.tool_version = "smartctl " + ".".join(str(part) for part in version)
    exit_status = _int(_get(document, "smartctl", "exit_status")) or 0
    has_identity = any(
        document.get(key) for key in ("model_name", "serial_number", "user_capacity", "scsi_product")
    )
    if not has_identity:
        reason = "; ".join(_messages(document)) or "it gives no model, serial or capacity"
        message = f"smartctl could not read {_device_name(document)} (exit status {exit_status}): {reason}"
        if "usb bridge" in reason.lower():
            message += " (so it is USB storage, which is not internal storage anyway)"
        if strict:
            raise HardwareReportError(message)
        draft.warn("drives", message + ".")
        return
    _add_drive(draft, document, exit_status)


def _device_name(document: dict[str, Any]) -> str:
    name = clean_text(_get(document, "device", "name"))
    argv = _get(document, "smartctl", "argv")
    if name is None and isinstance(argv, list) and argv and str(argv[-1]).startswith("/dev/"):
        name = clean_text(argv[-1])
    return name or "the drive"


def _interface(document: dict[str, Any]) -> str | None:
    device_type = (clean_text(_get(document, "device", "type")) or "").lower()
    protocol = (clean_text(_get(document, "device", "protocol")) or "").lower()
    info_name = (clean_text(_get(document, "device", "info_name")) or "").lower()
    if device_type.startswith(_USB_TYPE_PREFIXES) or "[usb" in info_name:
        return "usb"
    if protocol == "nvme" or device_type == "nvme":
        return "nvme"
    if protocol == "ata" or device_type in {"ata", "sat"}:
        return "sata" if document.get("sata_version") or document.get("interface_speed") else "ata"
    if protocol == "scsi" or device_type == "scsi":
        transport = (clean_text(_get(document, "scsi_transport_protocol", "name")) or "").lower()
        return "sas" if transport.startswith("sas") else "scsi"
    return None


def _model(document: dict[str, Any]) -> str | None:
    model = meaningful(document.get("model_name")) or meaningful(document.get("scsi_model_name"))
    if model:
        return model
    # SCSI drives before smartctl 7.3 said "vendor"/"product"; 7.3 and later say "scsi_vendor"/"scsi_product".
    vendor = meaningful(document.get("scsi_vendor") or document.get("vendor"))
    product = meaningful(document.get("scsi_product") or document.get("product"))
    return " ".join(part for part in (vendor, product) if part) or None


def _size(document: dict[str, Any]) -> int | None:
    size = _int(_get(document, "user_capacity", "bytes"))
    if size:
        return size
    total = _int(document.get("nvme_total_capacity"))
    if total:
        return total
    namespaces = document.get("nvme_namespaces")
    if isinstance(namespaces, list):
        sizes = [_int(_get(namespace, "size", "bytes")) for namespace in namespaces]
        return sum(size for size in sizes if size) or None
    return None


def _kind(draft: ReportDraft, document: dict[str, Any], interface: str | None, what: str) -> str | None:
    if interface == "nvme" or (clean_text(_get(document, "device", "protocol")) or "").lower() == "nvme":
        return "nvme"
    rotation = _int(document.get("rotation_rate"))
    if rotation == 0:
        return "ssd"
    if rotation is not None and rotation > 0:
        return "hdd"
    hint = " (it supports TRIM, so probably an SSD)" if _get(document, "trim", "supported") is True else ""
    draft.warn(
        "drives", f"smartctl does not give the rotation rate of {what}, so SSD or HDD is unknown{hint}."
    )
    return None


def _add_drive(draft: ReportDraft, document: dict[str, Any], exit_status: int) -> None:
    model = _model(document)
    size = _size(document)
    name = clean_text(_get(document, "device", "name"))
    what = f"{model or 'the drive'} ({', '.join(p for p in (name, format_bytes_decimal(size) if size else None) if p)})"
    interface = _interface(document)
    if interface == "usb":
        draft.warn(
            "drives",
            f"Left out {what}: it is attached over USB, so it is not internal storage "
            "(if it is a drive taken out of this machine, record it by hand).",
        )
        return
    passed = _get(document, "smart_status", "passed")
    drive = Drive(
        model=model,
        serial=component_serial(draft, document.get("serial_number"), what),
        size_bytes=size,
        kind=_kind(draft, document, interface, what),
        interface=interface,
        power_on_hours=_int(_get(document, "power_on_time", "hours")),
        smart_passed=passed if isinstance(passed, bool) else None,
    )
    if size is None:
        draft.warn("drives", f"smartctl gives no capacity for {what}.")
    _health_warnings(draft, document, exit_status, what)
    draft.drives.append(drive)


def _health_warnings(draft: ReportDraft, document: dict[str, Any], exit_status: int, what: str) -> None:
    if _get(document, "smart_status", "passed") is False or exit_status & _DISK_FAILING:
        draft.warn("drives", f"SMART says {what} is FAILING: do not reuse it.")
    used = _int(_get(document, "nvme_smart_health_information_log", "percentage_used"))
    if used is not None and used >= 100:
        draft.warn("drives", f"{what} has used {used}% of its rated write endurance.")
    for message in _messages(document):
        draft.warn("drives", f"smartctl said about {what}: {message}")
