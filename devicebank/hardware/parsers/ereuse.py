"""eReuse.org Workbench snapshots: JSON that bundles the other tools' output, in three generations.

1. Workbench ≤ 12 and the older device-inventory ("@type" keys): `{"device": {...}, "components": [...]}`,
   already interpreted by Workbench. Sizes are pint strings ("160042.0 MB", "1024.0 mebibyte") or bare
   numbers in MiB; a battery's design size and its `MeasureBattery` action give the health.
2. Workbench 14 / Workbench Lite and workbench-script: `{"type": "Snapshot", "data": {...}}` with the raw tool
   output under `data`: `dmidecode` (once misspelt `demidecode`), `smart` or `smartctl` (a list of smartctl
   documents, sometimes as a JSON string), `lshw` (object or JSON string), `hwinfo` and `inxi` text/JSON.
3. A signed workbench-script credential (W3C Verifiable Credential) whose `evidence` list carries the same
   outputs as `{"operation": "dmidecode", "output": ...}`.

For bundles each section comes from the best source: identity, processor and memory from dmidecode (else
lshw), drives from smartctl (else lshw), battery health from inxi (else dmidecode's design capacity), MAC
addresses from lshw (else hwinfo, else inxi).
"""

from __future__ import annotations

import re
from typing import Any

from devicebank.hardware.parsers.dmidecode import read_dmidecode
from devicebank.hardware.parsers.draft import ReportDraft
from devicebank.hardware.parsers.identity import FirmwareIdentity, apply_identity, component_serial
from devicebank.hardware.parsers.jsontext import load_json, load_lshw_json
from devicebank.hardware.parsers.lshw import read_lshw
from devicebank.hardware.parsers.normalise import clean_text, is_virtual_interface, meaningful, normalise_mac
from devicebank.hardware.parsers.report import Drive, HardwareReportError
from devicebank.hardware.parsers.smartctl import read_smartctl_drive
from devicebank.hardware.parsers.sniff import is_ereuse
from devicebank.hardware.parsers.units import size_to_bytes

_DRIVE_TYPES = {"HardDrive": "hdd", "SolidStateDrive": "ssd", "DataStorage": None}
_BATTERY_SIZE = re.compile(
    r"^\s*([0-9.]+)\s*(hour \* milliampere|milliampere \* hour|mAh|hour \* milliwatt|milliwatt \* hour|mWh"
    r"|watt \* hour|hour \* watt|Wh)\s*$"
)
_INXI_CONDITION = re.compile(r"^\s*([0-9.]+)\s*/\s*([0-9.]+)\s*(mWh|Wh|mAh|Ah)\b")
_HWINFO_FILE = re.compile(r"^\s*Device File:\s*(\S+)", re.MULTILINE)
_HWINFO_MAC = re.compile(r"^\s*(?:Permanent HW Address|HW Address):\s*(\S+)", re.MULTILINE)


def parse_ereuse(text: str, json_value: Any = None) -> ReportDraft:
    """Read an eReuse Workbench snapshot of any known generation."""
    value = load_json(text) if json_value is None else json_value
    if not is_ereuse(value):
        raise HardwareReportError("not a hardware report: JSON that is not an eReuse Workbench snapshot")
    draft = ReportDraft("ereuse-workbench")
    software = clean_text(value.get("software") or _get(value, "credentialSubject", "software"))
    version = clean_text(value.get("version"))
    draft.tool_version = " ".join(part for part in (software, version) if part) or None
    if isinstance(value.get("evidence"), list):
        _read_bundle(draft, _credential_data(value["evidence"]))
    elif isinstance(value.get("data"), dict):
        _read_bundle(draft, value["data"])
    elif isinstance(value.get("device"), dict) and isinstance(value.get("components"), list):
        _read_components(draft, value["device"], value["components"])
    else:
        raise HardwareReportError(
            "eReuse snapshot without hardware data: it has neither 'data' (Workbench 14 and later) nor "
            "'device' and 'components' (Workbench 11 and 12)"
        )
    return draft


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _credential_data(evidence: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for item in evidence:
        operation = clean_text(_get(item, "operation"))
        if operation:
            data[operation] = _get(item, "output")
    return data


# Workbench 14+, workbench-script: raw tool output ----------------------------------------------------------


def _read_bundle(draft: ReportDraft, data: dict[str, Any]) -> None:
    dmi = _bundled_dmidecode(draft, data.get("dmidecode") or data.get("demidecode"))
    lshw = _bundled_lshw(draft, data.get("lshw"))
    smart = _bundled_smart(draft, data.get("smart", data.get("smartctl")))
    if dmi is None and lshw is None and smart is None:
        raise HardwareReportError(
            "eReuse snapshot without usable hardware data: no readable dmidecode, lshw or smartctl output in 'data'"
        )
    inxi = _bundled_inxi(draft, data.get("inxi"))
    parts = [part for part in (dmi, lshw, smart, inxi) if part is not None]
    for part in parts:
        for note in part.notes["source"]:
            draft.warn("source", note)
    for section in ("identity", "cpu", "ram"):
        _pick(draft, section, [dmi, lshw])
    if dmi is None and lshw is None:
        draft.warn(
            "identity",
            "The snapshot has no readable dmidecode or lshw output, so the machine's make, model, serial, "
            "processor and memory are unknown.",
        )
    if smart is not None:
        draft.take("drives", smart)
    elif lshw is not None:
        draft.take("drives", lshw)
    else:
        draft.warn("drives", "The snapshot has no drive data (neither smartctl nor lshw output).")
    _pick(draft, "battery", [inxi, dmi, lshw])
    hwinfo = _bundled_hwinfo(draft, data.get("hwinfo"))
    _pick(draft, "network", [lshw, hwinfo, inxi])
    if not draft.mac_addresses:
        draft.warn("network", "The snapshot lists no network MAC addresses.")


def _pick(draft: ReportDraft, section: str, candidates: list[ReportDraft | None]) -> None:
    """Take a section from the first source that has it; failing that, keep the first source's warnings."""
    present = [candidate for candidate in candidates if candidate is not None]
    chosen = next(
        (candidate for candidate in present if candidate.has(section)), present[0] if present else None
    )
    if chosen is not None:
        draft.take(section, chosen)


def _decode(draft: ReportDraft, raw: Any, what: str) -> Any:
    """Bundled output is sometimes JSON text inside the JSON; decode it, warning when it is broken."""
    if not isinstance(raw, str):
        return raw
    if not raw.strip():
        return None
    try:
        return load_json(raw)
    except HardwareReportError as exc:
        draft.warn("source", f"The bundled {what} output could not be read ({exc}).")
        return None


def _bundled_dmidecode(draft: ReportDraft, raw: Any) -> ReportDraft | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    part = ReportDraft("dmidecode")
    try:
        read_dmidecode(part, raw.replace("\r\n", "\n"))
    except HardwareReportError as exc:
        draft.warn("source", f"The bundled dmidecode output could not be read ({exc}).")
        return None
    return part


def _bundled_lshw(draft: ReportDraft, raw: Any) -> ReportDraft | None:
    data = raw
    part = ReportDraft("lshw")
    if isinstance(raw, str) and raw.strip():
        try:
            data, notes = load_lshw_json(raw)
        except HardwareReportError as exc:
            draft.warn("source", f"The bundled lshw output could not be read ({exc}).")
            return None
        for note in notes:
            part.warn("source", note)
    if not data or not isinstance(data, dict | list):
        return None  # workbench-script stores "{}" when lshw failed
    try:
        read_lshw(part, data)
    except HardwareReportError as exc:
        draft.warn("source", f"The bundled lshw output could not be read ({exc}).")
        return None
    return part


def _bundled_smart(draft: ReportDraft, raw: Any) -> ReportDraft | None:
    documents = _decode(draft, raw, "smartctl")
    if documents is None:
        return None
    part = ReportDraft("smartctl")
    for document in documents if isinstance(documents, list) else [documents]:
        try:
            read_smartctl_drive(part, document, strict=False)
        except HardwareReportError as exc:
            draft.warn("drives", f"A bundled smartctl document could not be read ({exc}).")
    return part


def _bundled_hwinfo(draft: ReportDraft, raw: Any) -> ReportDraft | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    part = ReportDraft("hwinfo")
    for block in raw.replace("\r\n", "\n").split("\n\n"):
        mac_match = _HWINFO_MAC.search(block)
        mac = normalise_mac(mac_match.group(1)) if mac_match else None
        name_match = _HWINFO_FILE.search(block)
        if mac is None or is_virtual_interface(name_match.group(1) if name_match else None):
            continue
        if "/usb" in block:
            part.warn(
                "network", f"Left out USB network adapter {mac} (a dongle or dock, not part of the machine)."
            )
            continue
        part.add_mac(mac)
    return part


def _inxi_items(data: Any) -> list[tuple[str, dict[str, Any]]]:
    """inxi's JSON keys look like "000#1#0#Battery"; flatten to (section, {"ID": ..., "condition": ...})."""
    items: list[tuple[str, dict[str, Any]]] = []
    for section in data if isinstance(data, list) else [data]:
        if not isinstance(section, dict):
            continue
        for key, entries in section.items():
            name = str(key).rsplit("#", 1)[-1]
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict):
                    items.append((name, {str(k).rsplit("#", 1)[-1]: v for k, v in entry.items()}))
    return items


def _bundled_inxi(draft: ReportDraft, raw: Any) -> ReportDraft | None:
    data = _decode(draft, raw, "inxi")
    if data is None:
        return None
    part = ReportDraft("inxi")
    designs: list[float] = []
    fulls: list[float] = []
    units: set[str] = set()
    for section, item in _inxi_items(data):
        if section == "Battery" and isinstance(item.get("condition"), str):
            match = _INXI_CONDITION.match(item["condition"])
            if match:
                scale = 1000.0 if match.group(3) in {"Wh", "Ah"} else 1.0
                fulls.append(float(match.group(1)) * scale)
                designs.append(float(match.group(2)) * scale)
                units.add("mWh" if match.group(3).endswith("Wh") else "mAh")
        elif section == "Network" and "mac" in item:
            mac = normalise_mac(item.get("mac"))
            if mac and not is_virtual_interface(item.get("IF") or item.get("IF-ID")):
                part.add_mac(mac)
    if designs and len(units) == 1:
        part.battery_design_capacity = sum(designs)
        part.battery_full_charge_capacity = sum(fulls)
        part.battery_capacity_unit = units.pop()
    return part


# Workbench ≤ 12: interpreted components ---------------------------------------------------------------------


def _kind_of(component: dict[str, Any]) -> str:
    return str(component.get("type") or component.get("@type") or "")


def _read_components(draft: ReportDraft, device: dict[str, Any], components: list[Any]) -> None:
    chassis = device.get("chassis") or device.get("type")
    apply_identity(
        draft,
        FirmwareIdentity(
            manufacturer=device.get("manufacturer"),
            product=device.get("model"),
            version=device.get("version"),
            sku=device.get("sku"),
            serial=device.get("serialNumber"),
            chassis=chassis,
            chassis_source="Workbench device type",
        ),
    )
    parts = [component for component in components if isinstance(component, dict)]
    _component_cpus(draft, [c for c in parts if _kind_of(c) == "Processor"])
    _component_ram(draft, [c for c in parts if _kind_of(c) == "RamModule"])
    for component in parts:
        if _kind_of(component) in _DRIVE_TYPES:
            _component_drive(draft, component)
        elif _kind_of(component) == "NetworkAdapter":
            mac = normalise_mac(component.get("serialNumber"))
            if mac:
                draft.add_mac(mac)
    _component_battery(draft, [c for c in parts if _kind_of(c) == "Battery"])


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _component_cpus(draft: ReportDraft, cpus: list[dict[str, Any]]) -> None:
    models = [model for model in (meaningful(cpu.get("model")) for cpu in cpus) if model]
    if models:
        draft.cpu_model = models[0]
    else:
        draft.warn("cpu", "The snapshot gives no processor model.")
    cores = [_number(cpu.get("cores", cpu.get("numberOfCores"))) for cpu in cpus]
    if cores and all(count is not None for count in cores):
        draft.cpu_cores = int(sum(count for count in cores if count is not None))
    else:
        draft.warn("cpu", "The snapshot gives no processor core count.")


def _component_size(value: Any) -> tuple[int | None, bool]:
    """Bytes for a component size, and whether it was a bare number read as MiB."""
    number = _number(value)
    if number is not None:
        return round(number * 2**20), True  # Workbench computes bare sizes with 1024-based "MB"
    text = clean_text(value)
    return (size_to_bytes(text, megabyte_is_binary=False) if text else None), False


def _component_ram(draft: ReportDraft, modules: list[dict[str, Any]]) -> None:
    sizes = [_component_size(module.get("size"))[0] for module in modules]
    if sizes and all(size for size in sizes):
        draft.ram_bytes = sum(size for size in sizes if size)
    else:
        draft.warn("ram", "The snapshot gives no size for every memory module.")


def _component_drive(draft: ReportDraft, component: dict[str, Any]) -> None:
    model = meaningful(component.get("model"))
    interface = (clean_text(component.get("interface")) or "").lower() or None
    what = model or "a drive"
    if interface == "usb":
        draft.warn(
            "drives", f"Left out USB storage {what}: USB sticks and external drives are not internal storage."
        )
        return
    size, bare = _component_size(component.get("size"))
    if bare:
        draft.warn(
            "drives",
            f"The snapshot gives the size of {what} as a bare number; read as MiB, as Workbench computes it, "
            "so the size is approximate.",
        )
    kind = "nvme" if interface == "nvme" else _DRIVE_TYPES[_kind_of(component)]
    if kind is None:
        draft.warn("drives", f"The snapshot does not say whether {what} is an SSD or a hard disk.")
    draft.drives.append(
        Drive(
            model=model,
            serial=component_serial(draft, component.get("serialNumber"), what),
            size_bytes=size,
            kind=kind,
            interface=interface,
        )
    )


def _battery_capacity(value: Any) -> tuple[float, str] | None:
    number = _number(value)
    if number is not None:
        return number, "mAh"  # Workbench's Battery.size unit
    match = _BATTERY_SIZE.match(clean_text(value) or "")
    if not match:
        return None
    amount, unit = float(match.group(1)), match.group(2)
    if "ampere" in unit or unit == "mAh":
        return amount, "mAh"
    return (amount * 1000, "mWh") if unit in {"watt * hour", "hour * watt", "Wh"} else (amount, "mWh")


def _component_battery(draft: ReportDraft, batteries: list[dict[str, Any]]) -> None:
    designs = [_battery_capacity(battery.get("size")) for battery in batteries]
    measures = [_last_measure(battery) for battery in batteries]
    if not batteries or not all(designs):
        if batteries:
            draft.warn("battery", "The snapshot gives no battery design capacity.")
        return
    units = {design[1] for design in designs if design}
    if len(units) > 1:
        draft.warn("battery", "Batteries report capacity in different units: not added up.")
        return
    draft.battery_capacity_unit = units.pop()
    draft.battery_design_capacity = sum(design[0] for design in designs if design)
    if all(measure and measure[1] == draft.battery_capacity_unit for measure in measures):
        draft.battery_full_charge_capacity = sum(measure[0] for measure in measures if measure)
    else:
        draft.warn("battery", "The snapshot has no battery measurement, so battery health is unknown.")


def _last_measure(battery: dict[str, Any]) -> tuple[float, str] | None:
    actions = battery.get("actions")
    measures = [
        action
        for action in (actions if isinstance(actions, list) else [])
        if isinstance(action, dict) and _kind_of(action) == "MeasureBattery"
    ]
    return _battery_capacity(measures[-1].get("size")) if measures else None
