"""A report while it is being built, organised by section so a bundle (eReuse) can take each section from its best source.

Warnings are kept per section for the same reason: when an eReuse snapshot takes drives from smartctl, the
dmidecode part's "dmidecode lists no drives" note must go with the dmidecode drives, not into the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Final

from devicebank.hardware.parsers.report import Drive, HardwareReport

SECTIONS: Final = ("source", "identity", "cpu", "ram", "drives", "battery", "network")
_SECTION_FIELDS: Final = {
    "source": ("tool_version",),
    "identity": ("manufacturer", "model", "model_number", "serial", "device_type"),
    "cpu": ("cpu_model", "cpu_cores"),
    "ram": ("ram_bytes",),
    "drives": ("drives",),
    "battery": ("battery_design_capacity", "battery_full_charge_capacity", "battery_capacity_unit"),
    "network": ("mac_addresses",),
}
_MIN_RAM_BYTES: Final = 64 * 2**20
_MAX_RAM_BYTES: Final = 64 * 2**40
_MAX_CORES: Final = 1024
_MAX_HEALTH_PERCENT: Final = 110.0
_MIN_HEALTH_PERCENT: Final = 1.0


def _empty_notes() -> dict[str, list[str]]:
    return {section: [] for section in SECTIONS}


@dataclass
class ReportDraft:
    """Mutable counterpart of `HardwareReport`, plus per-section warnings."""

    format: str
    tool_version: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    model_number: str | None = None
    serial: str | None = None
    device_type: str | None = None
    cpu_model: str | None = None
    cpu_cores: int | None = None
    ram_bytes: int | None = None
    drives: list[Drive] = field(default_factory=list)
    battery_design_capacity: float | None = None
    battery_full_charge_capacity: float | None = None
    battery_capacity_unit: str | None = None
    mac_addresses: list[str] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=_empty_notes)

    def warn(self, section: str, text: str) -> None:
        if text not in self.notes[section]:
            self.notes[section].append(text)

    def has(self, section: str) -> bool:
        """Whether this draft knows anything for the section (a value, not only warnings)."""
        values = [getattr(self, name) for name in _SECTION_FIELDS[section]]
        return any(value not in (None, []) for value in values)

    def take(self, section: str, source: ReportDraft) -> None:
        """Copy one section's values and warnings from another draft (used to merge eReuse bundles)."""
        for name in _SECTION_FIELDS[section]:
            value = getattr(source, name)
            setattr(self, name, list(value) if isinstance(value, list) else value)
        for note in source.notes[section]:
            self.warn(section, note)

    def add_mac(self, mac: str) -> None:
        if mac not in self.mac_addresses:
            self.mac_addresses.append(mac)

    def finish(self) -> HardwareReport:
        """Check plausibility, work out battery health, and freeze into a `HardwareReport`."""
        self._check_cpu_and_ram()
        health = self._battery_health()
        warnings: list[str] = []
        for section in SECTIONS:
            warnings.extend(note for note in self.notes[section] if note not in warnings)
        values = {f.name: getattr(self, f.name) for f in fields(HardwareReport) if hasattr(self, f.name)}
        values.update(battery_health_percent=health, warnings=warnings)
        return HardwareReport(**values)

    def _check_cpu_and_ram(self) -> None:
        if self.cpu_cores is not None and not 1 <= self.cpu_cores <= _MAX_CORES:
            self.warn("cpu", f"Implausible processor core count {self.cpu_cores}: not recorded.")
            self.cpu_cores = None
        if self.ram_bytes is not None and not _MIN_RAM_BYTES <= self.ram_bytes <= _MAX_RAM_BYTES:
            self.warn("ram", f"Implausible RAM size of {self.ram_bytes} bytes: not recorded.")
            self.ram_bytes = None

    def _battery_health(self) -> float | None:
        design, full = self.battery_design_capacity, self.battery_full_charge_capacity
        if design is None or full is None:
            return None
        unit = self.battery_capacity_unit or ""
        percent = full / design * 100 if design > 0 else 0.0
        if not _MIN_HEALTH_PERCENT <= percent <= _MAX_HEALTH_PERCENT:
            self.warn(
                "battery",
                f"Implausible battery health ({full:g} {unit} full charge against {design:g} {unit} design, "
                f"{percent:.1f}%): not recorded; check the battery by hand.",
            )
            return None
        return round(percent, 1)
