"""`lshw -json`: a tree of hardware nodes, each with a `class` (system, processor, memory, disk, network, power).

Variants read: one object (the machine), a list holding that object (some 02.18 builds), a list of nodes
from `-C class` filters (no machine identity then), and lshw 02.18's broken `-C` JSON (repaired, see
`jsontext`). Drives under a USB bus, card readers and optical drives are not internal storage.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from devicebank.hardware.parsers.draft import ReportDraft
from devicebank.hardware.parsers.identity import (
    FirmwareIdentity,
    apply_identity,
    component_serial,
    warn_virtual,
)
from devicebank.hardware.parsers.jsontext import load_lshw_json
from devicebank.hardware.parsers.normalise import clean_text, is_virtual_interface, meaningful, normalise_mac
from devicebank.hardware.parsers.report import Drive, HardwareReportError
from devicebank.hardware.parsers.units import format_bytes_decimal

Node = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Parent:
    """A node's parent, linked to its own parent: O(1) per node however deep a (hostile) file nests."""

    node: Node
    up: Parent | None


Placed = tuple[Node, Parent | None]

_NVME_NAMESPACE = re.compile(r"^/dev/nvme\d+n\d+$")
_NVME_CONTROLLER = re.compile(r"^/dev/nvme\d+$")
_MMC_DEVICE = re.compile(r"^/dev/mmcblk\d+$")
_VIRTUAL_BLOCK = re.compile(r"^/dev/(loop|ram|zram|dm-|md|nbd|sr|cdrom|dvd)")
_RPM_CAPABILITY = re.compile(r"^\d+rpm$")
_CARD_WORDS = (
    "card reader",
    "cardreader",
    "sd/mmc",
    "sd card",
    "sdhc",
    "sdxc",
    "multi-card",
    "multicard",
    "ms/ms-pro",
)
_OPTICAL_WORDS = ("cd-rom", "cdrom", "dvd", "blu-ray", "bd-r", "optical", "cd-r", "cd reader", "cd writer")


def parse_lshw(text: str, json_value: Any = None) -> ReportDraft:
    """Read `lshw -json` output (already parsed when `json_value` is given)."""
    draft = ReportDraft("lshw")
    if json_value is None:
        json_value, notes = load_lshw_json(text)
        for note in notes:
            draft.warn("source", note)
    read_lshw(draft, json_value)
    return draft


def read_lshw(draft: ReportDraft, data: Any) -> None:
    """Fill a draft from parsed lshw JSON (a machine object, or a list of nodes)."""
    roots = [data] if isinstance(data, dict) else [item for item in data if isinstance(item, dict)]
    roots = [root for root in roots if isinstance(root.get("class"), str)]
    if not roots:
        raise HardwareReportError("not a hardware report: lshw JSON without any hardware nodes")
    placed = list(_walk(roots))
    whole_machine = len(roots) == 1 and roots[0].get("class") == "system"
    if whole_machine:
        apply_identity(draft, _identity(roots[0]))
    else:
        draft.warn(
            "identity",
            "lshw was run with a class filter (-C), so the machine's make, model, serial and type are not in "
            "this output: run plain `lshw -json` for those.",
        )
    _read_cpus(draft, placed)
    _read_ram(draft, placed, whole_machine=whole_machine)
    _read_drives(draft, placed)
    _read_network(draft, placed)
    _read_battery(draft, placed)


def _walk(roots: list[Node]) -> Iterator[Placed]:
    """Every node with its parent chain, depth first, without recursion (files can nest deeply)."""
    stack: list[Placed] = [(root, None) for root in reversed(roots)]
    while stack:
        node, up = stack.pop()
        yield node, up
        children = node.get("children")
        if isinstance(children, list):
            link = Parent(node, up)
            stack.extend((child, link) for child in reversed(children) if isinstance(child, dict))


def _ancestors(up: Parent | None) -> Iterator[Node]:
    """Parent, grandparent, … up to the root."""
    while up is not None:
        yield up.node
        up = up.up


def _get(node: Node, *path: str) -> Any:
    value: Any = node
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _text(node: Node, *path: str) -> str | None:
    return clean_text(_get(node, *path))


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _capabilities(node: Node) -> dict[str, Any]:
    value = node.get("capabilities")
    return value if isinstance(value, dict) else {}


def _logical_names(node: Node) -> list[str]:
    value = node.get("logicalname")
    names = value if isinstance(value, list) else [value]
    return [name for name in (clean_text(item) for item in names) if name]


def _dev_name(node: Node) -> str | None:
    return next((name for name in _logical_names(node) if name.startswith("/dev/")), None)


def _identity(root: Node) -> FirmwareIdentity:
    core = next(
        (
            child
            for child in root.get("children") or []
            if isinstance(child, dict) and child.get("id") == "core"
        ),
        {},
    )
    return FirmwareIdentity(
        manufacturer=root.get("vendor"),
        product=root.get("product"),
        version=root.get("version"),
        family=_get(root, "configuration", "family"),
        sku=_get(root, "configuration", "sku"),
        serial=root.get("serial"),
        chassis=_get(root, "configuration", "chassis"),
        chassis_source="lshw chassis type",
        board_manufacturer=core.get("vendor"),
        board_product=core.get("product"),
    )


# Processors -----------------------------------------------------------------------------------------------


def _is_cpu_socket(node: Node, up: Parent | None) -> bool:
    if node.get("class") != "processor" or node.get("disabled") is True:
        return False
    if any(parent.get("class") == "processor" for parent in _ancestors(up)):
        return False  # logical CPUs and caches under a socket
    ident = str(node.get("id", ""))
    description = (_text(node, "description") or "").lower()
    return (
        "logical" not in _capabilities(node)
        and not ident.startswith("logicalcpu")
        and "[empty]" not in description
    )


def _cpu_model(node: Node) -> str | None:
    product = meaningful(node.get("product"))
    if product:
        return product
    version = meaningful(node.get("version"))
    # Older lshw put the name in "version"; newer puts "family.model.stepping" there ("6.142.9").
    return version if version and re.search(r"[A-Za-z]{3}", version) else None


def _read_cpus(draft: ReportDraft, placed: list[Placed]) -> None:
    sockets = [node for node, up in placed if _is_cpu_socket(node, up) and _cpu_model(node)]
    if not sockets:
        if any(node.get("class") == "processor" for node, _ in placed):
            draft.warn("cpu", "lshw lists a processor but not its model.")
        return
    models = [model for model in (_cpu_model(node) for node in sockets) if model]
    draft.cpu_model = models[0]
    if len(set(models)) > 1:
        draft.warn(
            "cpu", f"Different processor models in different sockets: {', '.join(sorted(set(models)))}."
        )
    cores = [_int(_get(node, "configuration", "cores")) for node in sockets]
    if all(count is not None for count in cores):
        draft.cpu_cores = sum(count for count in cores if count is not None)
    else:
        draft.warn(
            "cpu", "lshw gives no processor core count (it takes it from DMI data this machine lacks)."
        )


# Memory ---------------------------------------------------------------------------------------------------


def _is_system_memory(node: Node) -> bool:
    ident = str(node.get("id", ""))
    description = (_text(node, "description") or "").lower()
    if node.get("class") != "memory" or any(
        word in description for word in ("flash", "bios", "rom", "cache")
    ):
        return False
    return ident == "memory" or ident.startswith("memory:") or "system memory" in description


def _bytes(node: Node) -> int | None:
    units = _text(node, "units")
    size = _int(node.get("size"))
    return size if size is not None and size > 0 and units in (None, "bytes") else None


def _read_ram(draft: ReportDraft, placed: list[Placed], *, whole_machine: bool) -> None:
    total = 0
    for node in (node for node, _ in placed if _is_system_memory(node)):
        banks = [
            _bytes(child)
            for child in node.get("children") or []
            if isinstance(child, dict) and str(child.get("id", "")).startswith("bank")
        ]
        bank_sizes = [size for size in banks if size]
        total += sum(bank_sizes) if bank_sizes else (_bytes(node) or 0)
    if total:
        draft.ram_bytes = total
    elif whole_machine:
        draft.warn("ram", "lshw gives no memory size.")


# Drives ---------------------------------------------------------------------------------------------------


def _words(node: Node) -> str:
    return " ".join(_text(node, key) or "" for key in ("description", "product", "vendor", "id")).lower()


def _on_usb(node: Node, up: Parent | None) -> bool:
    for item in chain((node,), _ancestors(up)):
        businfo = _text(item, "businfo") or ""
        driver = _text(item, "configuration", "driver") or ""
        if businfo.startswith("usb@") or driver in {"usb-storage", "uas"}:
            return True
        if any(str(key).startswith("usb-") for key in _capabilities(item)):
            return True
    return False


def _describe(node: Node, logical: str | None) -> str:
    name = meaningful(node.get("product")) or _text(node, "description") or "a drive"
    size = _bytes(node)
    details = ", ".join(part for part in (logical, format_bytes_decimal(size) if size else None) if part)
    return f"{name} ({details})" if details else name


def _left_out(draft: ReportDraft, node: Node, up: Parent | None, logical: str | None) -> bool:
    """Whether the disk is not internal storage; warns about USB sticks, card readers and removable media."""
    words = _words(node)
    capabilities = _capabilities(node)
    if (logical and _VIRTUAL_BLOCK.match(logical)) or any(word in words for word in _OPTICAL_WORDS):
        return True
    if any(key in capabilities for key in ("cd-r", "cd-rw", "dvd", "dvd-r", "audio")):
        return True
    what = _describe(node, logical)
    if _on_usb(node, up):
        draft.warn(
            "drives", f"Left out USB storage {what}: USB sticks and external drives are not internal storage."
        )
        return True
    if logical and _MMC_DEVICE.match(logical):
        # lshw calls soldered eMMC "SD/MMC Device" and a card in a slot "SD Card" (or marks it removable).
        if "removable" in capabilities or re.search(r"\bsd card\b|sdhc|sdxc", words):
            draft.warn("drives", f"Left out SD card {what}: not internal storage.")
            return True
        return False
    if any(word in words for word in _CARD_WORDS):
        draft.warn("drives", f"Left out memory card reader {what}: not internal storage.")
        return True
    if "removable" in capabilities:
        draft.warn("drives", f"Left out removable-media device {what}: not internal storage.")
        return True
    return False


def _nvme_controller(up: Parent | None) -> Node | None:
    for parent in _ancestors(up):
        if parent.get("class") == "storage" and _is_nvme_controller(parent):
            return parent
    return None


def _is_nvme_controller(node: Node) -> bool:
    names = _logical_names(node)
    description = (_text(node, "description") or "").lower()
    return (
        any(_NVME_CONTROLLER.match(name) for name in names)
        or "nvme" in _capabilities(node)
        or "nvme" in description
        or "non-volatile memory" in description
    )


def _kind_and_interface(
    draft: ReportDraft, node: Node, logical: str | None, what: str
) -> tuple[str | None, str | None]:
    businfo = _text(node, "businfo") or ""
    words = _words(node)
    if (logical and _NVME_NAMESPACE.match(logical)) or businfo.startswith("nvme@") or "nvme" in words:
        return "nvme", "nvme"
    if logical and _MMC_DEVICE.match(logical):
        if "mmc" in words:
            return "emmc", "mmc"
        draft.warn(
            "drives", f"{what} is on an MMC bus but lshw does not say whether it is eMMC or an SD card."
        )
        return None, "mmc"
    interface = _bus_interface(businfo, words)
    if "ssd" in words or "solid state" in words:
        return "ssd", interface
    if any(_RPM_CAPABILITY.match(str(key)) for key in _capabilities(node)):
        return "hdd", interface
    draft.warn(
        "drives", f"lshw does not say whether {what} is an SSD or a hard disk: add smartctl output for that."
    )
    return None, interface


def _bus_interface(businfo: str, words: str) -> str | None:
    if businfo.startswith("virtio@"):
        return "virtio"
    if businfo.startswith("ide@"):
        return "ide"
    if "ata disk" in words:
        return "ata"
    if businfo.startswith("scsi@"):
        return "scsi"
    return None


def _read_drives(draft: ReportDraft, placed: list[Placed]) -> None:
    by_controller: dict[int, Drive] = {}
    for node, up in placed:
        if node.get("class") != "disk" or any(parent.get("class") == "disk" for parent in _ancestors(up)):
            continue
        logical = _dev_name(node)
        if _left_out(draft, node, up, logical):
            continue
        controller = _nvme_controller(up)
        drive = _drive(draft, node, controller, logical)
        if controller is not None and id(controller) in by_controller:
            _merge_namespace(draft, by_controller[id(controller)], drive)
            continue
        if controller is not None:
            by_controller[id(controller)] = drive
        draft.drives.append(drive)
    for node, up in placed:
        if (
            node.get("class") == "storage"
            and _is_nvme_controller(node)
            and id(node) not in by_controller
            and _dev_name(node)
            and not _on_usb(node, up)
        ):
            _nvme_without_namespace(draft, node)


def _drive(draft: ReportDraft, node: Node, controller: Node | None, logical: str | None) -> Drive:
    source = node if meaningful(node.get("product")) or controller is None else controller
    what = _describe(source, logical)
    kind, interface = _kind_and_interface(draft, node, logical, what)
    serial_raw = node.get("serial") or (controller.get("serial") if controller else None)
    size = _bytes(node)
    if size is None:
        draft.warn("drives", f"lshw gives no size for {what}.")
    return Drive(
        model=meaningful(source.get("product")),
        serial=component_serial(draft, serial_raw, what),
        size_bytes=size,
        kind=kind,
        interface=interface,
    )


def _merge_namespace(draft: ReportDraft, drive: Drive, extra: Drive) -> None:
    if drive.size_bytes is not None and extra.size_bytes is not None:
        drive.size_bytes += extra.size_bytes
    draft.warn("drives", f"NVMe drive {drive.model or ''} has several namespaces; their sizes were added up.")


def _nvme_without_namespace(draft: ReportDraft, node: Node) -> None:
    what = _describe(node, _dev_name(node))
    draft.drives.append(
        Drive(
            model=meaningful(node.get("product")),
            serial=component_serial(draft, node.get("serial"), what),
            size_bytes=None,
            kind="nvme",
            interface="nvme",
        )
    )
    draft.warn(
        "drives", f"This lshw version gives no size for NVMe drive {what}: add smartctl output for that."
    )


# Network and battery --------------------------------------------------------------------------------------


def _read_network(draft: ReportDraft, placed: list[Placed]) -> None:
    for node, up in placed:
        if node.get("class") != "network":
            continue
        mac = normalise_mac(node.get("serial"))
        if mac is None:
            continue
        names = _logical_names(node)
        if is_virtual_interface(names[0] if names else None, _get(node, "configuration", "driver")):
            continue
        if _on_usb(node, up):
            draft.warn(
                "network", f"Left out USB network adapter {mac} (a dongle or dock, not part of the machine)."
            )
            continue
        draft.add_mac(mac)
    if any("hypervisor" in _capabilities(node) for node, _ in placed if node.get("class") == "processor"):
        warn_virtual(draft, "the processor reports a hypervisor")


def _read_battery(draft: ReportDraft, placed: list[Placed]) -> None:
    capacities: list[tuple[int, str]] = []
    for node, _ in placed:
        unit = _text(node, "units")
        capacity = _int(node.get("capacity"))
        if node.get("class") == "power" and capacity and unit in {"mWh", "mAh"}:
            capacities.append((capacity, unit))
    if not capacities:
        return
    units = {unit for _, unit in capacities}
    if len(units) > 1:
        draft.warn("battery", "Batteries report capacity in different units: not added up.")
        return
    draft.battery_design_capacity = float(sum(capacity for capacity, _ in capacities))
    draft.battery_capacity_unit = units.pop()
    draft.warn(
        "battery",
        "lshw gives the battery's design capacity only; battery health needs its full-charge capacity "
        "(upower or /sys/class/power_supply).",
    )
