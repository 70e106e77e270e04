"""Whatever arrives, the reader raises nothing but HardwareReportError, and what it returns keeps its shape."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devicebank.hardware.parsers import (
    DEVICE_TYPES,
    DRIVE_KINDS,
    FORMATS,
    JSON_KEYS,
    HardwareReport,
    HardwareReportError,
    detect_format,
    error_json,
    parse_hardware_report,
)
from devicebank.hardware.tests.helpers import FIXTURES

FIXTURE_NAMES = sorted(path.name for path in FIXTURES.iterdir() if path.is_file() and path.suffix != ".md")
JSON_FIXTURES = [name for name in FIXTURE_NAMES if name.endswith(".json")]
MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def read(data: bytes) -> HardwareReport | None:
    """Parse, accepting only a report or a HardwareReportError; check the report keeps its promises."""
    try:
        report = parse_hardware_report(data, filename="fuzz")
    except HardwareReportError as exc:
        message = str(exc)
    else:
        check_shape(report)
        return report
    assert message
    assert list(error_json("fuzz", message)) == list(JSON_KEYS)
    return None


def check_shape(report: HardwareReport) -> None:
    result = report.to_json("fuzz")
    assert list(result) == list(JSON_KEYS)
    json.dumps(result)  # serialisable as is
    assert report.format in FORMATS
    assert report.device_type in (*DEVICE_TYPES, None)
    assert all(drive.kind in (*DRIVE_KINDS, None) for drive in report.drives)
    assert all(drive.size_bytes is None or drive.size_bytes >= 0 for drive in report.drives)
    assert all(MAC.match(mac) for mac in report.mac_addresses)
    assert report.cpu_cores is None or report.cpu_cores >= 1
    assert report.battery_health_percent is None or 1 <= report.battery_health_percent <= 110
    assert all(isinstance(warning, str) and warning for warning in report.warnings)


def json_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            paths.extend(json_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths.extend(json_paths(item, (*prefix, index)))
    return paths


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    copy = list(value)
    copy[head] = replaced(copy[head], rest, new)
    return copy


def load_fixture_json(name: str) -> Any:
    text = (FIXTURES / name).read_text(errors="replace")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None  # the broken lshw 02.18 and not-root fixtures


def test_every_fixture_reads_or_is_refused_cleanly() -> None:
    for name in FIXTURE_NAMES:
        read((FIXTURES / name).read_bytes())


@SETTINGS
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_never_raise_anything_else(data: bytes) -> None:
    read(data)


@SETTINGS
@given(st.text(max_size=2048))
def test_arbitrary_text_never_raises_anything_else(text: str) -> None:
    read(text.encode())
    with contextlib.suppress(HardwareReportError):
        detect_format(text.encode())


@SETTINGS
@given(st.sampled_from(FIXTURE_NAMES), st.floats(0, 1))
def test_truncated_fixtures_never_raise_anything_else(name: str, fraction: float) -> None:
    data = (FIXTURES / name).read_bytes()
    read(data[: int(len(data) * fraction)])


@SETTINGS
@given(
    st.sampled_from(FIXTURE_NAMES),
    st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=8), st.integers(0, 8)), min_size=1, max_size=6),
)
def test_byte_mutated_fixtures_never_raise_anything_else(
    name: str, edits: list[tuple[float, bytes, int]]
) -> None:
    data = bytearray((FIXTURES / name).read_bytes())
    for fraction, insert, delete in edits:
        at = int(len(data) * fraction)
        data[at : at + delete] = insert
    read(bytes(data))


@SETTINGS
@given(st.sampled_from(JSON_FIXTURES), st.data())
def test_json_fixtures_with_a_value_swapped_for_junk_never_raise_anything_else(
    name: str, data: st.DataObject
) -> None:
    value = load_fixture_json(name)
    if value is None:
        return
    paths = json_paths(value)
    path = paths[data.draw(st.integers(0, len(paths) - 1))]
    mutated = replaced(value, path, data.draw(json_values))
    read(json.dumps(mutated).encode())


@SETTINGS
@given(
    st.sampled_from(["ereuse-wb14-thinkpad-x1-carbon.json", "ereuse-workbench-script-latitude-e7240.json"]),
    st.data(),
)
def test_bundled_strings_mutated_inside_ereuse_snapshots_never_raise_anything_else(
    name: str, data: st.DataObject
) -> None:
    snapshot = load_fixture_json(name)
    key = data.draw(st.sampled_from(sorted(snapshot["data"])))
    text = snapshot["data"][key]
    cut = data.draw(st.integers(0, len(text)))
    snapshot["data"][key] = (
        text[:cut] + data.draw(st.text(max_size=30)) + text[cut + data.draw(st.integers(0, 50)) :]
    )
    read(json.dumps(snapshot).encode())


dmidecode_lines = st.lists(
    st.sampled_from(
        [
            "Handle 0x0001, DMI type 1, 27 bytes",
            "Handle 0x0004, DMI type 4, 48 bytes",
            "Handle 0x0011, DMI type 17, 40 bytes",
            "Handle 0x0016, DMI type 22, 26 bytes",
            "System Information",
            "Processor Information",
            "Memory Device",
            "Portable Battery",
            "\tManufacturer: LENOVO",
            "\tProduct Name: 20L5CTO1WW",
            "\tVersion: ThinkPad T480",
            "\tSerial Number: 0",
            "\tStatus: Populated, Enabled",
            "\tStatus: Unpopulated",
            "\tCore Count: 99999999999999999999",
            "\tCore Count: 4",
            "\tSize: 16 GB",
            "\tSize: 99999999999 TB",
            "\tSize: No Module Installed",
            "\tDesign Capacity: 0 mWh",
            "\tDesign Capacity: 45000 mWh",
            "\tFull Charge Capacity: 90000 mWh",
            "\tFull Charge Capacity: 45 mAh",
            "\t\tlist item",
            "\tType: Notebook",
            "",
        ]
    ),
    max_size=40,
)


@SETTINGS
@given(dmidecode_lines)
def test_dmidecode_shaped_text_never_raises_anything_else(lines: list[str]) -> None:
    read(("# dmidecode 3.5\n" + "\n".join(lines)).encode())
