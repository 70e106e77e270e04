"""`dmidecode` text output: the firmware's SMBIOS tables, one record per "Handle …, DMI type N" block.

Read: type 1 (system: maker, model, serial), 2 (motherboard, as a fallback), 3 (chassis: form factor and
serial), 4 (processors), 16/17 (memory arrays and modules) and 22 (batteries). `dmidecode -q` output (no
Handle lines) and `dmidecode -t …` subsets are read too. dmidecode knows nothing about drives or network
cards; OEM records that claim to list MAC addresses are unreliable (often mis-decoded), so they are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from devicebank.hardware.parsers.draft import ReportDraft
from devicebank.hardware.parsers.identity import FirmwareIdentity, apply_identity
from devicebank.hardware.parsers.normalise import clean_text, meaningful, text_key
from devicebank.hardware.parsers.report import HardwareReportError
from devicebank.hardware.parsers.units import size_to_bytes

_HANDLE = re.compile(r"^Handle (0x[0-9A-Fa-f]+), DMI type (\d+)")
_VERSION = re.compile(r"^# dmidecode (\S+)", re.MULTILINE)
_CAPACITY = re.compile(r"^(\d+(?:\.\d+)?)\s*(mWh|mAh|Wh|Ah)$")
_TITLE_TYPES = {
    "BIOS Information": 0,
    "System Information": 1,
    "Base Board Information": 2,
    "Chassis Information": 3,
    "Processor Information": 4,
    "Physical Memory Array": 16,
    "Memory Device": 17,
    "Portable Battery": 22,
}
_NO_DMI_MARKERS = ("No SMBIOS nor DMI entry point found", "Scanning /dev/mem for entry point", "/dev/mem:")
_EMPTY_SLOT_KEYS = frozenset(
    {"nomoduleinstalled", "notinstalled", "unknown", "none", "0mb", "0gb", "0kb", ""}
)
_FULL_CHARGE_KEYS = ("Full Charge Capacity", "Last Full Charge Capacity", "Full Capacity")


@dataclass
class DmiRecord:
    """One SMBIOS structure as dmidecode prints it."""

    type: int | None
    title: str | None = None
    handle: str | None = None
    props: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        return clean_text(self.props.get(key))


def parse_records(text: str) -> tuple[list[DmiRecord], list[str]]:
    """Split dmidecode output into records; also returns the lines outside records (headers, errors)."""
    records: list[DmiRecord] = []
    loose: list[str] = []
    current: DmiRecord | None = None
    last_key: str | None = None
    for line in text.split("\n"):
        handle = _HANDLE.match(line)
        if handle:
            current = DmiRecord(type=int(handle.group(2)), handle=handle.group(1))
            records.append(current)
        elif not line.strip():
            current = None
        elif not line.startswith("\t"):
            title = line.strip()
            if current is not None and current.title is None:
                current.title = title
            elif title in _TITLE_TYPES:  # dmidecode -q: no Handle lines
                current = DmiRecord(type=_TITLE_TYPES[title], title=title)
                records.append(current)
            else:
                loose.append(title)
        elif current is not None:
            last_key = _add_line(current, line, last_key)
    return records, loose


def _add_line(record: DmiRecord, line: str, last_key: str | None) -> str | None:
    if line.startswith("\t\t"):
        if last_key is not None:
            record.lists.setdefault(last_key, []).append(line.strip())
        return last_key
    body = line.strip()
    if ": " in body:
        key, value = body.split(": ", 1)
        record.props.setdefault(key.strip(), value.strip())
        return key.strip()
    if body.endswith(":"):
        return body[:-1].strip()
    return None  # anonymised or garbled line without a key


def parse_dmidecode(text: str) -> ReportDraft:
    """Read dmidecode output into a draft report."""
    draft = ReportDraft("dmidecode")
    read_dmidecode(draft, text)
    draft.warn("drives", "dmidecode does not list drives: add lshw or smartctl output for storage.")
    draft.warn("network", "dmidecode does not list network cards or MAC addresses.")
    return draft


def read_dmidecode(draft: ReportDraft, text: str) -> None:
    """Fill identity, processor, memory and battery from dmidecode text."""
    records, loose = parse_records(text)
    version = _VERSION.search(text)
    if version:
        draft.tool_version = f"dmidecode {version.group(1)}"
    if not any(record.type is not None and record.title for record in records):
        if any(marker in line for line in loose for marker in _NO_DMI_MARKERS):
            raise HardwareReportError(
                "dmidecode found no SMBIOS/DMI data on that machine (usual on virtual machines and some ARM "
                "boards): there is nothing to read; upload lshw -json output instead"
            )
        raise HardwareReportError("not a hardware report: dmidecode output without any DMI records")
    if "DMI table is broken" in text or "Invalid entry length" in text:
        draft.warn(
            "source", "dmidecode says the firmware's DMI table is broken: some records may be missing."
        )
    by_type: dict[int, list[DmiRecord]] = {}
    for record in records:
        if record.type is not None:
            by_type.setdefault(record.type, []).append(record)
    _identity(draft, by_type)
    _processors(draft, by_type.get(4, []))
    _memory(draft, by_type.get(16, []), by_type.get(17, []))
    _batteries(draft, by_type.get(22, []))


def _first(by_type: dict[int, list[DmiRecord]], dmi_type: int) -> DmiRecord:
    return (by_type.get(dmi_type) or [DmiRecord(type=dmi_type)])[0]


def _identity(draft: ReportDraft, by_type: dict[int, list[DmiRecord]]) -> None:
    if 1 not in by_type and 3 not in by_type:
        draft.warn(
            "identity",
            "This dmidecode output has no System Information record (type 1): run plain `dmidecode` (without -t) "
            "for the make, model and serial.",
        )
        return
    system, board, chassis = _first(by_type, 1), _first(by_type, 2), _first(by_type, 3)
    apply_identity(
        draft,
        FirmwareIdentity(
            manufacturer=system.get("Manufacturer"),
            product=system.get("Product Name"),
            version=system.get("Version"),
            family=system.get("Family"),
            sku=system.get("SKU Number"),
            serial=system.get("Serial Number"),
            chassis=chassis.get("Type"),
            chassis_source="DMI chassis type",
            chassis_serial=chassis.get("Serial Number"),
            board_manufacturer=board.get("Manufacturer"),
            board_product=board.get("Product Name"),
        ),
    )


def _processors(draft: ReportDraft, records: list[DmiRecord]) -> None:
    cpus = [record for record in records if record.get("Type") in (None, "Central Processor")]
    populated = [record for record in cpus if _is_populated(record)]
    trusted_cores = True
    if not populated:
        populated = [record for record in cpus if meaningful(record.get("Version"))]
        if not populated:
            draft.warn("cpu", "dmidecode lists no populated processor.")
            return
        draft.warn(
            "cpu",
            "The firmware marks the processor 'Unpopulated' although it names one (usual with coreboot and "
            "Chromebook firmware): its model is kept, its core count is not trusted.",
        )
        trusted_cores = False
    models = [model for model in (meaningful(record.get("Version")) for record in populated) if model]
    if models:
        draft.cpu_model = models[0]
        if len(set(models)) > 1:
            draft.warn(
                "cpu", f"Different processor models in different sockets: {', '.join(sorted(set(models)))}."
            )
    else:
        draft.warn("cpu", "The firmware gives no processor model (its Version field is a placeholder).")
    cores = [_int(record.get("Core Count")) for record in populated]
    if trusted_cores and cores and all(count is not None for count in cores):
        draft.cpu_cores = sum(count for count in cores if count is not None)
    elif trusted_cores:
        draft.warn("cpu", "The firmware gives no processor core count.")


def _is_populated(record: DmiRecord) -> bool:
    status = record.get("Status") or ""
    return "Populated" in status and "Unpopulated" not in status


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _memory(draft: ReportDraft, arrays: list[DmiRecord], modules: list[DmiRecord]) -> None:
    # Memory arrays used for flash or video memory are not RAM.
    other_arrays = {
        record.handle
        for record in arrays
        if record.handle and (record.get("Use") or "System Memory") != "System Memory"
    }
    total = 0
    for module in modules:
        if module.get("Array Handle") in other_arrays:
            continue
        size_text = module.get("Size") or ""
        if text_key(size_text) in _EMPTY_SLOT_KEYS:
            continue
        size = size_to_bytes(size_text, megabyte_is_binary=True)
        if size is None:
            draft.warn("ram", f"Unreadable memory module size '{size_text}': left out of the total.")
            continue
        total += size
    if total:
        draft.ram_bytes = total
    else:
        draft.warn("ram", "dmidecode lists no installed memory modules.")


def _capacity(text: str | None) -> tuple[float, str] | None:
    match = _CAPACITY.match(text or "")
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    if unit in {"Wh", "Ah"}:
        return value * 1000, f"m{unit}"
    return value, unit


def _batteries(draft: ReportDraft, records: list[DmiRecord]) -> None:
    designs = [_capacity(record.get("Design Capacity")) for record in records]
    known = [design for design in designs if design and design[0] > 0]
    if records and not known:
        draft.warn("battery", "The firmware's battery record gives no design capacity.")
    if not known:
        return
    if len({unit for _, unit in known}) > 1:
        draft.warn("battery", "Batteries report capacity in different units: not added up.")
        return
    draft.battery_design_capacity = sum(value for value, _ in known)
    draft.battery_capacity_unit = known[0][1]
    fulls = [
        _capacity(next((record.get(key) for key in _FULL_CHARGE_KEYS if record.get(key)), None))
        for record in records
    ]
    if len(known) == len(records) and all(full and full[1] == known[0][1] for full in fulls):
        draft.battery_full_charge_capacity = sum(full[0] for full in fulls if full)
    else:
        draft.warn(
            "battery",
            "dmidecode gives the battery's design capacity only; battery health needs its full-charge "
            "capacity (upower or /sys/class/power_supply).",
        )
    if len(known) > 1:
        draft.warn("battery", f"{len(known)} batteries: their capacities were added up.")
