"""Each specification rule on its own: pass, fail with the reason, or "not known" (never guessed)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from devicebank.refurbishment import rules
from devicebank.refurbishment.cpu import parse_cpu
from devicebank.refurbishment.models import OsTarget, PerformanceBand, Specification

GB = 1_000_000_000
GIB = 1024**3

FACTS = rules.DeviceFacts(
    device_type="laptop",
    make_model="Dell Latitude 5490",
    cpu=parse_cpu("Intel Core i5-8350U"),
    ram_bytes=8 * GIB,
    storage_bytes=256 * GB,
    storage_kind="ssd",
    battery_percent=Decimal("85.0"),
    battery_source="measured at the bench",
    screen_inches=Decimal("14.0"),
    webcam="pass",
    tpm_version="2.0",
)


def _spec(**values: object) -> Specification:
    return Specification(programme_id=1, device_type="laptop", **values)


def _rule(spec: Specification, facts: rules.DeviceFacts = FACTS) -> rules.RuleResult:
    evaluation = rules.evaluate(spec, facts)
    assert len(evaluation.rules) == 1
    return evaluation.rules[0]


def test_no_specification_checks_nothing() -> None:
    assert rules.evaluate(None, FACTS).rules == []


@pytest.mark.parametrize(
    ("ram", "ok", "words"),
    [
        (8 * GIB, True, "meets the minimum of 4 GB"),
        (4 * 10**9, True, "meets"),  # a register's "4 GB" meets a 4 GB minimum
        (2 * GIB, False, "2 GB is below the minimum of 4 GB"),
        (None, None, "not known"),
    ],
)
def test_the_memory_rule(ram: int | None, ok: bool | None, words: str) -> None:
    rule = _rule(_spec(min_ram_bytes=4 * GB), replace(FACTS, ram_bytes=ram))
    assert (rule.code, rule.ok) == ("ram", ok)
    assert words in rule.message


def test_the_storage_rule_allows_what_a_drive_of_that_size_reports() -> None:
    spec = _spec(min_storage_bytes=64 * GB)
    assert _rule(spec, replace(FACTS, storage_bytes=62_537_072_640)).ok is True  # a "64 GB" eMMC
    failed = _rule(spec, replace(FACTS, storage_bytes=32 * GB))
    assert failed.ok is False
    assert failed.message == "Storage: 32 GB is below the minimum of 64 GB"


@pytest.mark.parametrize(
    ("kind", "ok"), [("ssd", True), ("nvme", True), ("emmc", True), ("hdd", False), ("", None)]
)
def test_the_ssd_rule(kind: str, ok: bool | None) -> None:
    assert _rule(_spec(require_ssd=True), replace(FACTS, storage_kind=kind)).ok is ok


def test_the_processor_rule_names_the_generation_that_failed() -> None:
    spec = _spec(min_intel_generation=8, min_ryzen_series=3000)
    assert _rule(spec).ok is True
    old = _rule(spec, replace(FACTS, cpu=parse_cpu("Intel(R) Core(TM) i5-6300U CPU @ 2.40GHz")))
    assert old.ok is False
    assert "6th generation is older than the minimum 8th generation" in old.message
    assert _rule(spec, replace(FACTS, cpu=parse_cpu(""))).ok is None


def test_a_list_of_families_accepts_processors_without_a_generation() -> None:
    spec = _spec(min_intel_generation=8, cpu_families=["Celeron N4"])
    assert _rule(spec, replace(FACTS, cpu=parse_cpu("Intel(R) Celeron(R) N4020 CPU @ 1.10GHz"))).ok is True
    other = _rule(spec, replace(FACTS, cpu=parse_cpu("Intel(R) Celeron(R) N3350")))
    assert other.ok is False
    assert "not an accepted family" in other.detail


def test_the_battery_rule_says_where_the_figure_came_from() -> None:
    spec = _spec(min_battery_percent=70)
    weak = _rule(
        spec, replace(FACTS, battery_percent=Decimal("62.5"), battery_source="hardware report e7240.json")
    )
    assert weak.ok is False
    assert weak.message == "Battery health: 62.5% is below the minimum of 70% (hardware report e7240.json)"
    assert _rule(spec, replace(FACTS, battery_percent=None)).ok is None


def test_the_screen_rule() -> None:
    spec = _spec(min_screen_inches=Decimal("13.3"))
    assert _rule(spec).ok is True
    assert _rule(spec, replace(FACTS, screen_inches=Decimal("11.6"))).ok is False
    assert _rule(spec, replace(FACTS, screen_inches=None)).ok is None


@pytest.mark.parametrize(("webcam", "ok"), [("pass", True), ("fail", False), ("n/a", False), (None, None)])
def test_the_webcam_rule_reads_the_webcam_test(webcam: str | None, ok: bool | None) -> None:
    assert _rule(_spec(require_webcam=True), replace(FACTS, webcam=webcam)).ok is ok


def test_windows_11_needs_a_recorded_tpm_and_says_so_when_it_is_not_known() -> None:
    spec = _spec(os_targets=[OsTarget.WINDOWS_11])
    assert _rule(spec).ok is True
    unknown = _rule(spec, replace(FACTS, tpm_version=""))
    assert unknown.ok is None
    assert "TPM not known" in unknown.detail
    old = _rule(spec, replace(FACTS, cpu=parse_cpu("Intel Core i5-6300U")))
    assert old.ok is False
    assert "older than Intel's 8th generation" in old.detail


def test_chromeos_flex_needs_a_certified_model_still_in_support() -> None:
    spec = _spec(os_targets=[OsTarget.CHROMEOS_FLEX])
    assert _rule(spec).ok is False  # not on the list
    listed = replace(FACTS, flex_listing=rules.FlexListing("Dell Latitude 5490", "certified", 2028))
    assert _rule(spec, listed).ok is True
    ended = replace(FACTS, flex_listing=rules.FlexListing("Dell Latitude 5490", "certified", 2024))
    assert "support for Dell Latitude 5490 ended in 2024" in _rule(spec, ended).detail


def test_linux_needs_a_known_x86_64_processor() -> None:
    spec = _spec(os_targets=[OsTarget.LINUX])
    assert _rule(spec).ok is True
    assert _rule(spec, replace(FACTS, cpu=parse_cpu("Apple A10 Fusion"))).ok is False
    assert _rule(spec, replace(FACTS, cpu=parse_cpu(""))).ok is None


def test_any_one_target_is_enough() -> None:
    spec = _spec(os_targets=[OsTarget.WINDOWS_11, OsTarget.LINUX])
    rule = _rule(spec, replace(FACTS, tpm_version=""))
    assert rule.ok is True
    assert rule.detail == "can run Linux"


def test_performance_bands_and_the_final_grade() -> None:
    assert rules.performance_band(FACTS)[0] == PerformanceBand.HIGH
    assert rules.performance_band(replace(FACTS, ram_bytes=4 * GIB))[0] == PerformanceBand.STANDARD
    assert rules.performance_band(replace(FACTS, storage_kind="hdd"))[0] == PerformanceBand.BASIC
    assert rules.performance_band(replace(FACTS, ram_bytes=None))[0] == PerformanceBand.BASIC
    assert rules.final_grade("A", PerformanceBand.STANDARD) == "B"
    assert rules.final_grade("C", PerformanceBand.HIGH) == "C"


def test_the_recommendation_weighs_repair_cost_against_the_value_of_a_working_device() -> None:
    cost = rules.estimated_cost(Decimal("20.00"), 30, Decimal("25.00"))
    assert cost == Decimal("32.50")
    assert rules.recommend(cost, Decimal("150"), powers_on=True)[0] == "repair"
    assert rules.recommend(Decimal("200"), Decimal("150"), powers_on=True)[0] == "harvest"
    assert rules.recommend(Decimal("200"), Decimal("150"), powers_on=False)[0] == "recycle"
    assert rules.recommend(cost, None, powers_on=True)[0] == ""
