"""Processor family and generation from the names hardware reports and registers give, and Windows 11 support."""

from __future__ import annotations

import pytest

from devicebank.refurbishment.cpu import meets_minimum, parse_cpu, windows11_cpu


@pytest.mark.parametrize(
    ("name", "family", "generation"),
    [
        ("Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz", "Intel Core i5", 8),
        ("Intel Core i5-6300U", "Intel Core i5", 6),
        ("Intel(R) Core(TM) i7-10510U CPU @ 1.80GHz", "Intel Core i7", 10),
        ("Intel(R) Core(TM) i5-1035G1 CPU @ 1.00GHz", "Intel Core i5", 10),
        ("11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz", "Intel Core i5", 11),
        ("12th Gen Intel(R) Core(TM) i5-1235U", "Intel Core i5", 12),
        ("13th Gen Intel(R) Core(TM) i7-1360P", "Intel Core i7", 13),
        ("Intel Core i9-14900K", "Intel Core i9", 14),
        ("Intel(R) Core(TM) i5 CPU       M 520  @ 2.40GHz", "Intel Core i5", 1),
        ("Intel(R) Core(TM) i7-720QM", "Intel Core i7", 1),
        ("Intel(R) Core(TM) i3-3225 CPU @ 3.30GHz", "Intel Core i3", 3),
        ("Intel(R) Core(TM) m3-7Y30 CPU @ 1.00GHz", "Intel Core m3", 7),
        ("Intel(R) Core(TM) m3-8100Y CPU @ 1.10GHz", "Intel Core m3", 8),
        ("Intel(R) Core(TM) Ultra 7 155H", "Intel Core Ultra 7", 14),
        ("Intel(R) Core(TM) Ultra 5 226V", "Intel Core Ultra 5", 15),
        ("AMD Ryzen 5 3500U with Radeon Vega Mobile Gfx", "AMD Ryzen 5", 3000),
        ("AMD Ryzen 7 PRO 4750U with Radeon Graphics", "AMD Ryzen 7", 4000),
        ("AMD Ryzen 5 2500U", "AMD Ryzen 5", 2000),
        ("AMD Ryzen AI 9 HX 370 w/ Radeon 890M", "AMD Ryzen AI 9", 9000),
    ],
)
def test_it_reads_the_family_and_generation_from_the_name(name: str, family: str, generation: int) -> None:
    cpu = parse_cpu(name)
    assert (cpu.family, cpu.generation) == (family, generation)


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("Intel(R) Celeron(R) N4020 CPU @ 1.10GHz", "Intel Celeron"),
        ("Intel(R) Pentium(R) Silver N5000 CPU @ 1.10GHz", "Intel Pentium"),
        ("Intel Atom CPU N450 @ 1.66GHz", "Intel Atom"),
        ("Apple A10 Fusion", "Apple A-series"),
        ("Qualcomm Snapdragon 720G", "Qualcomm Snapdragon"),
    ],
)
def test_other_families_are_named_without_a_generation(name: str, family: str) -> None:
    cpu = parse_cpu(name)
    assert (cpu.family, cpu.generation) == (family, None)


def test_an_unrecognised_name_is_not_guessed() -> None:
    cpu = parse_cpu("Genuine processor 2.0 GHz")
    assert (cpu.family, cpu.generation, cpu.is_x86_64) == ("", None, None)
    assert windows11_cpu(cpu).ok is None


@pytest.mark.parametrize(
    ("name", "supported"),
    [
        ("Intel Core i5-8250U", True),
        ("Intel Core i7-7600U", False),
        ("Intel Core i5-6300U", False),
        ("Intel Core Ultra 7 155H", True),
        ("AMD Ryzen 5 3500U", True),
        ("AMD Ryzen 7 2700X", True),  # Zen+ desktop
        ("AMD Ryzen 5 2500U", False),  # Raven Ridge (Zen): Chromium excludes model 0x11
        ("AMD Ryzen 7 1700", False),
        ("Apple A10 Fusion", False),
        ("Intel Celeron N4020", None),  # not decided by name
    ],
)
def test_windows_11_support_follows_chromiums_processor_check(name: str, supported: bool | None) -> None:
    assert windows11_cpu(parse_cpu(name)).ok is supported


def test_a_minimum_generation_says_which_generation_failed() -> None:
    answer = meets_minimum(parse_cpu("Intel Core i5-6300U"), intel_generation=8, ryzen_series=3000)
    assert answer.ok is False
    assert "6th generation is older than the minimum 8th generation" in answer.reason
    assert meets_minimum(parse_cpu("AMD Ryzen 5 5500U"), intel_generation=8, ryzen_series=3000).ok is True
    assert meets_minimum(parse_cpu("AMD Ryzen 5 5500U"), intel_generation=8, ryzen_series=None).ok is False
