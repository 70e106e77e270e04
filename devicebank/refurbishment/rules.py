"""Evaluating a device against its programme's specification: every rule, with the reason in words.

Pure functions over `DeviceFacts` (gathered by selectors.device_facts); no database. A rule answers pass,
fail or "not known": a fact we do not have is never guessed, and a rule that cannot be checked blocks `ready`
like a failure, saying what to record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from devicebank.core.templatetags.labels import memory_as_sold, storage_as_sold
from devicebank.devices.models import DeviceType, StorageKind
from devicebank.refurbishment.cpu import Answer, CpuInfo, meets_minimum, windows11_cpu
from devicebank.refurbishment.models import (
    FlexModelStatus,
    OsTarget,
    PerformanceBand,
    Specification,
    TpmVersion,
)

GB = 1_000_000_000
# A size within this fraction below a minimum still meets it: drives and memory are sold in round decimal or
# binary sizes and report a little less ("64 GB" eMMC: 62.5 GB; "8 GB" RAM seen as 7.7 GB).
SIZE_TOLERANCE = Decimal("0.95")
SOLID_STATE = frozenset({StorageKind.SSD, StorageKind.NVME, StorageKind.EMMC})


@dataclass(frozen=True)
class FlexListing:
    name: str
    status: str
    end_of_support_year: int | None


@dataclass(frozen=True)
class DeviceFacts:
    """What is known about a device for the rules, and where each fact came from."""

    device_type: str
    make_model: str
    cpu: CpuInfo
    ram_bytes: int | None
    storage_bytes: int | None
    storage_kind: str
    battery_percent: Decimal | None = None
    battery_source: str = ""
    screen_inches: Decimal | None = None
    webcam: str | None = None  # the webcam test's latest outcome this pass: pass, fail, n/a, or None
    tpm_version: str = ""
    flex_listing: FlexListing | None = None
    year: int = 2026
    # Where the recorded specification came from, by field (hardware.selectors.spec_sources).
    sources: Mapping[str, str] = field(default_factory=dict)

    def source(self, name: str) -> str:
        """ " (from hardware report t480.json)", or nothing when the source is not known."""
        where = self.sources.get(name)
        return f" ({where})" if where else ""


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    ok: bool | None
    detail: str

    @property
    def status(self) -> str:
        return "pass" if self.ok else "fail" if self.ok is False else "not_known"

    @property
    def message(self) -> str:
        return f"{self.label}: {self.detail}"


@dataclass
class SpecEvaluation:
    specification: Specification | None
    rules: list[RuleResult] = field(default_factory=list)
    os_eligibility: dict[str, Answer] = field(default_factory=dict)

    @property
    def failures(self) -> list[RuleResult]:
        return [rule for rule in self.rules if rule.ok is not True]

    @property
    def passed(self) -> bool:
        return not self.failures


def at_least(value: int | Decimal | None, minimum: int | Decimal) -> bool:
    return value is not None and Decimal(value) >= Decimal(minimum) * SIZE_TOLERANCE


def _ram(facts: DeviceFacts, minimum: int) -> RuleResult:
    label = "Memory"
    if facts.ram_bytes is None:
        return RuleResult(
            "ram", label, None, "not known: add a hardware report or correct the device's details"
        )
    shown, needed = memory_as_sold(facts.ram_bytes), memory_as_sold(minimum)
    source = facts.source("ram_bytes")
    if at_least(facts.ram_bytes, minimum):
        return RuleResult("ram", label, True, f"{shown} meets the minimum of {needed}{source}")
    return RuleResult("ram", label, False, f"{shown} is below the minimum of {needed}{source}")


def _storage(facts: DeviceFacts, minimum: int) -> RuleResult:
    label = "Storage"
    if facts.storage_bytes is None:
        return RuleResult("storage", label, None, "size not known: add a hardware report")
    shown, needed = storage_as_sold(facts.storage_bytes), storage_as_sold(minimum)
    source = facts.source("storage_bytes")
    if at_least(facts.storage_bytes, minimum):
        return RuleResult("storage", label, True, f"{shown} meets the minimum of {needed}{source}")
    return RuleResult("storage", label, False, f"{shown} is below the minimum of {needed}{source}")


def _ssd(facts: DeviceFacts) -> RuleResult:
    label = "Storage type"
    if not facts.storage_kind:
        return RuleResult("ssd", label, None, "not known: the programme needs solid-state storage (SSD)")
    kind = StorageKind(facts.storage_kind).label
    source = facts.source("storage_kind")
    if facts.storage_kind in SOLID_STATE:
        return RuleResult("ssd", label, True, f"{kind} is solid-state{source}")
    return RuleResult("ssd", label, False, f"{kind} is not solid-state: the programme needs an SSD{source}")


def _cpu(facts: DeviceFacts, spec: Specification) -> RuleResult:
    label = "Processor"
    name = facts.cpu.name
    if not name:
        return RuleResult("cpu", label, None, "not known: add a hardware report")
    families = [str(f) for f in spec.cpu_families or [] if str(f).strip()]
    lowered = name.lower()
    source = facts.source("cpu_model")
    for family in families:
        if family.lower() in lowered:
            return RuleResult("cpu", label, True, f"{name} is in the accepted family {family!r}{source}")
    if spec.min_intel_generation is None and spec.min_ryzen_series is None:
        accepted = ", ".join(families)
        return RuleResult("cpu", label, False, f"{name} is not in the accepted families ({accepted}){source}")
    answer = meets_minimum(
        facts.cpu, intel_generation=spec.min_intel_generation, ryzen_series=spec.min_ryzen_series
    )
    return RuleResult("cpu", label, answer.ok, f"{name}: {answer.reason}{source}")


def _battery(facts: DeviceFacts, minimum: int) -> RuleResult:
    label = "Battery health"
    if facts.battery_percent is None:
        return RuleResult(
            "battery",
            label,
            None,
            "not known: measure it in the tests, or add a hardware report with the battery's full-charge capacity",
        )
    source = f" ({facts.battery_source})" if facts.battery_source else ""
    if facts.battery_percent >= minimum:
        return RuleResult(
            "battery", label, True, f"{facts.battery_percent}% meets the minimum of {minimum}%{source}"
        )
    return RuleResult(
        "battery", label, False, f"{facts.battery_percent}% is below the minimum of {minimum}%{source}"
    )


def _screen(facts: DeviceFacts, minimum: Decimal) -> RuleResult:
    label = "Screen size"
    if facts.screen_inches is None:
        return RuleResult("screen", label, None, "not known: record the screen size in the tests")
    if facts.screen_inches >= minimum:
        return RuleResult("screen", label, True, f'{facts.screen_inches}" meets the minimum of {minimum}"')
    return RuleResult(
        "screen", label, False, f'{facts.screen_inches}" is smaller than the minimum of {minimum}"'
    )


def _webcam(facts: DeviceFacts) -> RuleResult:
    label = "Webcam"
    if facts.webcam == "pass":
        return RuleResult("webcam", label, True, "present and working")
    if facts.webcam == "fail":
        return RuleResult("webcam", label, False, "failed its test: the programme needs a working webcam")
    if facts.webcam == "n/a":
        return RuleResult("webcam", label, False, "none fitted: the programme needs a webcam")
    return RuleResult("webcam", label, None, "not tested yet: the programme needs a working webcam")


def _os_targets(facts: DeviceFacts, targets: list[str], eligibility: dict[str, Answer]) -> RuleResult:
    label = "Operating system"
    if any(eligibility[t].ok for t in targets):
        can = ", ".join(OsTarget(t).label for t in targets if eligibility[t].ok)
        return RuleResult("os_target", label, True, f"can run {can}")
    reasons = "; ".join(f"{OsTarget(t).label}: {eligibility[t].reason}" for t in targets)
    ok = None if any(eligibility[t].ok is None for t in targets) else False
    return RuleResult("os_target", label, ok, f"none of the programme's targets is possible yet ({reasons})")


def evaluate(spec: Specification | None, facts: DeviceFacts) -> SpecEvaluation:
    """Every rule of `spec` against `facts`. No specification: nothing to check (and the evaluation says so)."""
    evaluation = SpecEvaluation(specification=spec, os_eligibility=os_eligibility(facts))
    if spec is None:
        return evaluation
    rules = evaluation.rules
    if spec.min_ram_bytes:
        rules.append(_ram(facts, spec.min_ram_bytes))
    if spec.min_storage_bytes:
        rules.append(_storage(facts, spec.min_storage_bytes))
    if spec.require_ssd:
        rules.append(_ssd(facts))
    if spec.cpu_families or spec.min_intel_generation is not None or spec.min_ryzen_series is not None:
        rules.append(_cpu(facts, spec))
    if spec.min_battery_percent is not None:
        rules.append(_battery(facts, spec.min_battery_percent))
    if spec.min_screen_inches is not None:
        rules.append(_screen(facts, spec.min_screen_inches))
    if spec.require_webcam:
        rules.append(_webcam(facts))
    targets = [t for t in spec.os_targets or [] if t in OsTarget.values]
    if targets:
        rules.append(_os_targets(facts, targets, evaluation.os_eligibility))
    return evaluation


def _combine(checks: list[Answer]) -> Answer:
    failed = [c.reason for c in checks if c.ok is False]
    unknown = [c.reason for c in checks if c.ok is None]
    if failed:
        return Answer(False, "; ".join(failed))
    if unknown:
        return Answer(None, "; ".join(unknown))
    return Answer(True, "; ".join(c.reason for c in checks))


def _size_check(value: int | None, minimum_gb: int, what: str) -> Answer:
    if value is None:
        return Answer(None, f"{what} not known")
    fmt = memory_as_sold if what == "memory" else storage_as_sold
    if at_least(value, minimum_gb * GB):
        return Answer(True, f"{what} {fmt(value)}")
    return Answer(False, f"{what} {fmt(value)} is below {minimum_gb} GB")


def _x86(cpu: CpuInfo) -> Answer:
    if cpu.is_x86_64 is None:
        return Answer(None, f"processor {cpu.name or '(none recorded)'} not recognised")
    if cpu.is_x86_64:
        return Answer(True, f"{cpu.family} is x86-64")
    return Answer(False, f"{cpu.family} is not an x86-64 processor")


def _tpm(version: str) -> Answer:
    if version == TpmVersion.TPM_2:
        return Answer(True, "TPM 2.0 recorded")
    if version in (TpmVersion.TPM_1_2, TpmVersion.NONE):
        return Answer(False, f"{TpmVersion(version).label} recorded: Windows 11 needs TPM 2.0")
    return Answer(
        None,
        "TPM not known: hardware reports do not say; check the firmware settings and record it in the tests",
    )


def _flex(facts: DeviceFacts) -> Answer:
    listing = facts.flex_listing
    if listing is None:
        return Answer(False, f"{facts.make_model or 'this model'} is not on the ChromeOS Flex certified list")
    if listing.status == FlexModelStatus.DECERTIFIED:
        return Answer(False, f"{listing.name} is decertified for ChromeOS Flex")
    if listing.end_of_support_year is not None and listing.end_of_support_year < facts.year:
        return Answer(
            False, f"ChromeOS Flex support for {listing.name} ended in {listing.end_of_support_year}"
        )
    until = f" until {listing.end_of_support_year}" if listing.end_of_support_year else ""
    return Answer(True, f"{listing.name} is {FlexModelStatus(listing.status).label.lower()}{until}")


def os_eligibility(facts: DeviceFacts) -> dict[str, Answer]:
    """Can the device run each target? Requirements from DOMAIN.md section 3 (Microsoft's table and Chromium's
    CPU check for Windows 11; Google's for ChromeOS Flex). UEFI Secure Boot is not recorded and not checked."""
    computer = facts.device_type not in (DeviceType.TABLET, DeviceType.PHONE)
    not_a_pc = Answer(False, f"a {DeviceType(facts.device_type).label.lower()} cannot be reimaged")
    return {
        OsTarget.WINDOWS_11: _combine(
            [
                windows11_cpu(facts.cpu),
                _size_check(facts.ram_bytes, 4, "memory"),
                _size_check(facts.storage_bytes, 64, "storage"),
                _tpm(facts.tpm_version),
            ]
        )
        if computer
        else not_a_pc,
        OsTarget.WINDOWS_10: _combine(
            [
                _x86(facts.cpu),
                _size_check(facts.ram_bytes, 2, "memory"),
                _size_check(facts.storage_bytes, 32, "storage"),
            ]
        )
        if computer
        else not_a_pc,
        OsTarget.CHROMEOS_FLEX: _combine(
            [
                _x86(facts.cpu),
                _size_check(facts.ram_bytes, 4, "memory"),
                _size_check(facts.storage_bytes, 16, "storage"),
                _flex(facts),
            ]
        )
        if computer
        else not_a_pc,
        OsTarget.CHROMEOS: Answer(True, "a Chromebook runs ChromeOS")
        if facts.device_type == DeviceType.CHROMEBOOK
        else Answer(False, "only Chromebooks run ChromeOS itself"),
        OsTarget.LINUX: _x86(facts.cpu) if computer else not_a_pc,
    }


# Performance bands: (minimum RAM GB, minimum storage GB, needs solid-state, needs a Windows 11 processor).
_BANDS: dict[str, list[tuple[str, int, int, bool, bool]]] = {
    "computer": [
        (PerformanceBand.HIGH, 8, 256, True, True),
        (PerformanceBand.STANDARD, 4, 128, True, False),
    ],
    "mobile": [
        (PerformanceBand.HIGH, 4, 64, False, False),
        (PerformanceBand.STANDARD, 2, 32, False, False),
    ],
}


def performance_band(facts: DeviceFacts) -> tuple[str, str]:
    """The band a device's specs put it in, and why. Specs that are not known put it in the basic band."""
    group = (
        "mobile"
        if facts.device_type in (DeviceType.TABLET, DeviceType.PHONE, DeviceType.CHROMEBOOK)
        else "computer"
    )
    for band, ram_gb, storage_gb, solid, win11 in _BANDS[group]:
        if not at_least(facts.ram_bytes, ram_gb * GB) or not at_least(facts.storage_bytes, storage_gb * GB):
            continue
        if solid and facts.storage_kind not in SOLID_STATE:
            continue
        if win11 and windows11_cpu(facts.cpu).ok is not True:
            continue
        extra = ", solid-state" if solid else ""
        extra += ", Windows 11 processor" if win11 else ""
        return band, f"at least {ram_gb} GB memory and {storage_gb} GB storage{extra}"
    return PerformanceBand.BASIC, "below the standard band, or its specs are not known"


_BAND_LETTER = {PerformanceBand.HIGH: "A", PerformanceBand.STANDARD: "B", PerformanceBand.BASIC: "C"}


def final_grade(cosmetic: str, band: str) -> str:
    """The worse of the cosmetic grade and the performance band's letter (A best)."""
    return max(cosmetic, _BAND_LETTER[PerformanceBand(band)])


def estimated_cost(parts_cost: Decimal, minutes: int, labour_rate: Decimal) -> Decimal:
    return (parts_cost + Decimal(minutes) / 60 * labour_rate).quantize(Decimal("0.01"))


def recommend(cost: Decimal, working_value: Decimal | None, powers_on: bool) -> tuple[str, str]:
    """Repair when it costs less than a working device is worth; otherwise harvest a device that still powers
    on (its parts work), else recycle. No value set: no recommendation."""
    from devicebank.refurbishment.models import Recommendation

    if working_value is None:
        return (
            "",
            "No value of a working device is set for this programme and type: ask the programme manager.",
        )
    if cost < working_value:
        return (
            Recommendation.REPAIR,
            f"Repairing costs £{cost}, less than the £{working_value} a working device is worth.",
        )
    if powers_on:
        return (
            Recommendation.HARVEST,
            f"Repairing costs £{cost}, not less than the £{working_value} a working device is worth; it powers on, "
            "so its parts are worth keeping.",
        )
    return (
        Recommendation.RECYCLE,
        f"Repairing costs £{cost}, not less than the £{working_value} a working device is worth, and it has "
        "not passed a power-on test.",
    )
