"""Reading a processor's family and generation from its model name, as hardware reports and registers give it.

Pure functions, no database. Nothing is guessed: a name this module does not recognise gives `family=""`
and `generation=None`, and every rule that needs them says "not known".

Recognised (case-insensitive, "(R)", "(TM)", "CPU", "@ 1.70GHz" ignored):
- Intel Core i3/i5/i7/i9: "i5-8350U" -> 8th generation; "i7-10510U", "i5-1035G1", "i5-1135G7", "i5-1235U",
  "i7-1360P", "i9-14900K" -> 10th to 14th; "i5-520M" and "Core i5 CPU M 520" -> 1st.
- Intel Core m: "m3-7Y30", "m3-8100Y" (digit after the dash), "Core M-5Y10" -> 5th.
- Intel Core Ultra 5/7/9: "155H" -> Series 1, "258V" -> Series 2. For minimum-generation rules Series 1
  counts as generation 14 and Series 2 as 15 (they followed the 14th generation).
- Intel Celeron/Pentium/Atom and Intel N-series ("N100"): the family only; generation not known.
- AMD Ryzen 3/5/7/9 (and PRO, Threadripper): the series from the first digit of the model number
  ("5 3500U" -> 3000 series); "Ryzen AI 9 HX 370" -> the AI 300 series, counted as 9000 for minimums.
- Apple M1/M2/..., Apple A-series, Qualcomm Snapdragon, MediaTek, Samsung Exynos: the family only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOISE = re.compile(r"\((?:r|tm)\)|®|™|\bcpu\b|@.*$|\bprocessor\b|\bwith radeon.*$", re.IGNORECASE)


@dataclass(frozen=True)
class CpuInfo:
    """What a processor name says. `generation` is Intel's generation or AMD Ryzen's series (3000, 5000...)."""

    name: str
    vendor: str = ""  # "intel", "amd", "apple", "qualcomm", "mediatek", "samsung" or ""
    family: str = ""  # "Intel Core i5", "Intel Core Ultra 7", "AMD Ryzen 5", "Intel Celeron", ...
    generation: int | None = None
    suffix: str = ""  # "U", "HQ", "G7", "Y"...

    @property
    def known(self) -> bool:
        return bool(self.family)

    @property
    def is_x86_64(self) -> bool | None:
        """True for Intel/AMD families we recognise; None when the family is not known."""
        if not self.family:
            return None
        return self.vendor in ("intel", "amd")

    @property
    def generation_label(self) -> str:
        if self.generation is None:
            return "generation not known"
        if self.family.startswith("AMD Ryzen"):
            return f"{self.generation} series"
        if self.family.startswith("Intel Core Ultra"):
            return f"Series {self.generation - 13}"
        return f"{_ordinal(self.generation)} generation"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _clean(name: str) -> str:
    return " ".join(_NOISE.sub(" ", name).split())


_CORE_I = re.compile(r"\bcore\s*i([3579])\s*-\s*(\d{3,5})([a-z]{0,2}\d?)\b", re.IGNORECASE)
_CORE_I_FIRST_GEN = re.compile(r"\bcore\s*i([3579])\s+(?:[a-z]\s+)?(\d{3})([a-z]{0,2})\b", re.IGNORECASE)
_CORE_M = re.compile(r"\bcore\s*m([357])?\s*-\s*(\d)y(\d{2})|\bcore\s*m([357])-(\d)(\d{3})y\b", re.IGNORECASE)
_CORE_ULTRA = re.compile(r"\bcore\s*ultra\s*([579])\s+(\d)(\d{2})([a-z]{0,2})\b", re.IGNORECASE)
_RYZEN = re.compile(
    r"\bryzen\s+(?:threadripper\s+)?(?:pro\s+)?([3579])\s+(?:pro\s+)?(\d)(\d{3})([a-z]{0,2}\d?)\b",
    re.IGNORECASE,
)
_RYZEN_AI = re.compile(r"\bryzen\s+ai\s+([3579])\s+(?:pro\s+)?(?:hx\s+)?(\d)(\d{2})\b", re.IGNORECASE)
_OTHER_FAMILIES: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"\bceleron\b", re.IGNORECASE), "intel", "Intel Celeron"),
    (re.compile(r"\bpentium\b", re.IGNORECASE), "intel", "Intel Pentium"),
    (re.compile(r"\batom\b", re.IGNORECASE), "intel", "Intel Atom"),
    (re.compile(r"\bxeon\b", re.IGNORECASE), "intel", "Intel Xeon"),
    (re.compile(r"\bintel\b.*\bn\d{2,3}\b", re.IGNORECASE), "intel", "Intel N-series"),
    (re.compile(r"\bathlon\b", re.IGNORECASE), "amd", "AMD Athlon"),
    (re.compile(r"\b(?:a\d{1,2}-\d{4}|amd a\d)\b", re.IGNORECASE), "amd", "AMD A-series"),
    (re.compile(r"\bapple\s+m\d\b", re.IGNORECASE), "apple", "Apple M-series"),
    (re.compile(r"\bapple\s+a\d{1,2}\b", re.IGNORECASE), "apple", "Apple A-series"),
    (re.compile(r"\bsnapdragon\b", re.IGNORECASE), "qualcomm", "Qualcomm Snapdragon"),
    (re.compile(r"\bmediatek\b|\bhelio\b|\bdimensity\b", re.IGNORECASE), "mediatek", "MediaTek"),
    (re.compile(r"\bexynos\b", re.IGNORECASE), "samsung", "Samsung Exynos"),
]


def parse_cpu(name: str | None) -> CpuInfo:
    """Family and generation of a processor model name; unknown parts stay empty."""
    text = _clean(name or "")
    if not text:
        return CpuInfo(name="")
    if match := _CORE_ULTRA.search(text):
        series = int(match.group(2))
        return CpuInfo(
            text, "intel", f"Intel Core Ultra {match.group(1)}", 13 + series, match.group(4).upper()
        )
    if match := _CORE_I.search(text):
        return CpuInfo(
            text,
            "intel",
            f"Intel Core i{match.group(1)}",
            _core_generation(match.group(2)),
            match.group(3).upper(),
        )
    if match := _CORE_I_FIRST_GEN.search(text):
        return CpuInfo(text, "intel", f"Intel Core i{match.group(1)}", 1, match.group(3).upper())
    if match := _CORE_M.search(text):
        if match.group(2):
            tier = match.group(1)
            return CpuInfo(
                text, "intel", f"Intel Core m{tier}" if tier else "Intel Core M", int(match.group(2)), "Y"
            )
        return CpuInfo(text, "intel", f"Intel Core m{match.group(4)}", int(match.group(5)), "Y")
    if match := _RYZEN_AI.search(text):
        return CpuInfo(text, "amd", f"AMD Ryzen AI {match.group(1)}", 9000, "")
    if match := _RYZEN.search(text):
        return CpuInfo(
            text, "amd", f"AMD Ryzen {match.group(1)}", int(match.group(2)) * 1000, match.group(4).upper()
        )
    for pattern, vendor, family in _OTHER_FAMILIES:
        if pattern.search(text):
            return CpuInfo(text, vendor, family)
    return CpuInfo(text)


def _core_generation(digits: str) -> int:
    if len(digits) == 3:
        return 1  # i5-520M, i7-720QM
    if len(digits) == 5 or digits.startswith("1"):
        return int(digits[:2])  # i7-10510U, i5-1035G1, i5-1135G7, i5-1235U, i7-1360P
    return int(digits[0])  # i5-8350U


@dataclass(frozen=True)
class Answer:
    """A yes/no/not-known answer with the reason in words."""

    ok: bool | None
    reason: str


def windows11_cpu(cpu: CpuInfo) -> Answer:
    """Is this processor on Microsoft's Windows 11 list? Mirrors Chromium's base/win/hardware_check.cc by name.

    Chromium checks CPUID: Intel family 6 above model 0x5F (8th generation and later, with Kaby Lake R and
    Coffee Lake steppings), AMD family 0x17 and later except Zen 1 (Summit Ridge, model 0x01) and Raven Ridge
    (model 0x11). By name that is: Intel Core 8th generation or later and Core Ultra; AMD Ryzen 3000 series
    or later, and the Ryzen 2000 desktop parts (Zen+) but not the 2000-series APUs (G, GE, U, H: Raven Ridge).
    Celeron, Pentium and the rest are not decided by name: "not known".
    """
    if not cpu.known:
        return Answer(None, f"processor {cpu.name or '(none recorded)'} not recognised")
    label = f"{cpu.family} ({cpu.generation_label})" if cpu.generation is not None else cpu.family
    if cpu.family.startswith("Intel Core") and cpu.generation is not None:
        if cpu.generation >= 8:
            return Answer(True, f"{label} is supported")
        return Answer(False, f"{label} is older than Intel's 8th generation")
    if cpu.family.startswith("AMD Ryzen") and cpu.generation is not None:
        if cpu.generation >= 3000:
            return Answer(True, f"{label} is supported")
        if cpu.generation == 2000 and not re.match(r"^(G|GE|U|H|HS)$", cpu.suffix):
            return Answer(True, f"{label} (Zen+) is supported")
        return Answer(False, f"{label} is older than AMD's Zen+")
    if cpu.vendor in ("apple",) or cpu.vendor == "samsung" or cpu.vendor == "mediatek":
        return Answer(False, f"{cpu.family} cannot run Windows 11")
    return Answer(None, f"{cpu.family}: check Microsoft's supported-processor list for {cpu.name}")


def meets_minimum(cpu: CpuInfo, *, intel_generation: int | None, ryzen_series: int | None) -> Answer:
    """Does the processor reach the programme's minimum Intel Core generation or AMD Ryzen series?"""
    if not cpu.known:
        return Answer(None, f"processor {cpu.name or '(none recorded)'} not recognised")
    if cpu.family.startswith("Intel Core") and cpu.generation is not None:
        if intel_generation is None:
            return Answer(False, f"{cpu.family} is not accepted (no Intel Core minimum set)")
        if cpu.generation >= intel_generation:
            return Answer(True, f"{cpu.family} {cpu.generation_label}")
        return Answer(
            False,
            f"{cpu.family} {cpu.generation_label} is older than the minimum "
            f"{_ordinal(intel_generation)} generation",
        )
    if cpu.family.startswith("AMD Ryzen") and cpu.generation is not None:
        if ryzen_series is None:
            return Answer(False, f"{cpu.family} is not accepted (no AMD Ryzen minimum set)")
        if cpu.generation >= ryzen_series:
            return Answer(True, f"{cpu.family} {cpu.generation_label}")
        return Answer(
            False, f"{cpu.family} {cpu.generation_label} is older than the minimum {ryzen_series} series"
        )
    return Answer(False, f"{cpu.family} is not an accepted family and has no generation to compare")
