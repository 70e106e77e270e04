"""Where the fixtures and the shared third-party samples live, and a one-liner to parse them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from devicebank.hardware.parsers import HardwareReport, parse_hardware_report

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[3]
# Third-party samples are read in place, never copied into the repository (see ../shared/samples/SOURCES.md).
SAMPLES = REPO_ROOT.parent / "shared" / "samples"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> Any:
    return json.loads(fixture_bytes(name))


def parse_fixture(name: str) -> HardwareReport:
    return parse_hardware_report(fixture_bytes(name), filename=name)


def parse_json(value: Any, name: str = "test.json") -> HardwareReport:
    return parse_hardware_report(json.dumps(value).encode(), filename=name)


def parse_text(text: str, name: str = "test.txt") -> HardwareReport:
    return parse_hardware_report(text.encode(), filename=name)


def sample_bytes(relative: str) -> bytes:
    path = SAMPLES / relative
    if not path.exists():
        pytest.skip(f"shared sample {relative} is not available here")
    return path.read_bytes()


def has_warning(report: HardwareReport, *fragments: str) -> bool:
    return any(all(fragment in warning for fragment in fragments) for warning in report.warnings)
