"""Whatever bytes arrive, the importer answers with a report or an `ErasureReportError`, never anything else.

The registry turns a parser bug into an `ErasureReportError` too, so these tests call each parser directly as
well: a bug must show up here as a failure, not hide behind that safety net.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devicebank.sanitisation.parsers import (
    JSON_KEYS,
    PARSERS,
    ErasureReport,
    ErasureReportError,
    parse_erasure_report,
    plausibility_warnings,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LOGS = sorted(path.read_bytes() for path in FIXTURES.iterdir() if path.suffix in (".log", ".txt"))
SNAPSHOTS = sorted(path.read_bytes() for path in FIXTURES.glob("ereuse-*.json"))
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_every_way(data: bytes) -> None:
    """Parse through the registry and through every parser that claims the bytes; only refusals may escape."""
    try:
        report = parse_erasure_report(data, filename="fuzz")
    except ErasureReportError as exc:
        message = str(exc)
    else:
        message = "parsed"
        check(report)
    assert message  # a refusal always says why
    for parser in PARSERS:
        if not parser.sniff(data):
            continue
        try:
            report = parser.parse(data)
        except ErasureReportError:
            continue
        check(report)


def check(report: ErasureReport) -> None:
    for drive in report.drives:
        plausibility_warnings(drive)
        row = drive.to_json("fuzz")
        assert tuple(row) == JSON_KEYS
        json.dumps(row, ensure_ascii=False).encode("utf-8")


@FAST
@given(st.binary(max_size=4096))
def test_random_bytes_never_raise_anything_but_a_refusal(data: bytes) -> None:
    read_every_way(data)


@FAST
@given(st.sampled_from(LOGS), st.data())
def test_a_real_log_cut_anywhere_never_raises_anything_but_a_refusal(log: bytes, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(log)))
    end = data.draw(st.integers(start, len(log)))

    read_every_way(log[start:end])


@FAST
@given(st.sampled_from(LOGS), st.data())
def test_a_real_log_with_corrupted_bytes_never_raises_anything_but_a_refusal(
    log: bytes, data: st.DataObject
) -> None:
    damaged = bytearray(log)
    for _ in range(data.draw(st.integers(1, 12))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] = data.draw(st.integers(0, 255))

    read_every_way(bytes(damaged))


@FAST
@given(st.sampled_from(LOGS), st.data())
def test_a_real_log_with_lines_shuffled_dropped_or_repeated_never_raises(
    log: bytes, data: st.DataObject
) -> None:
    lines = log.split(b"\n")
    picked = data.draw(st.lists(st.integers(0, len(lines) - 1), max_size=len(lines) + 20))
    extra = data.draw(
        st.lists(st.sampled_from([b"", b"9999999999999999999999 bytes written to /dev/sda", b"|||"]))
    )

    read_every_way(b"\n".join([lines[index] for index in picked] + extra))


@FAST
@given(st.sampled_from(SNAPSHOTS), st.data())
def test_a_real_snapshot_with_corrupted_bytes_never_raises_anything_but_a_refusal(
    snapshot: bytes, data: st.DataObject
) -> None:
    damaged = bytearray(snapshot)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] = data.draw(st.sampled_from(b'{}[]":,0123456789.-tn \x00\xff'))

    read_every_way(bytes(damaged))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(st.characters(exclude_categories=()), max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)


@FAST
@given(
    json_values, st.sampled_from(["EraseBasic", "EraseSectors", "EraseCrypto", "ErasePhysical"]), json_values
)
def test_a_snapshot_with_odd_values_never_raises_anything_but_a_refusal(
    component_field: object, kind: str, action_field: object
) -> None:
    snapshot = {
        "type": "Snapshot",
        "software": "Workbench",
        "version": component_field,
        "device": {"serialNumber": action_field},
        "components": [
            {
                "type": "HardDrive",
                "serialNumber": component_field,
                "model": action_field,
                "size": component_field,
                "actions": [
                    {
                        "type": kind,
                        "severity": action_field,
                        "startTime": component_field,
                        "steps": action_field,
                    },
                    {
                        "type": kind,
                        "endTime": action_field,
                        "steps": [action_field, {"startTime": component_field}],
                    },
                ],
            }
        ],
    }

    read_every_way(json.dumps(snapshot).encode())


@FAST
@given(json_values, st.sampled_from(["EraseBasic", "EraseSectors", "devices:EraseSectors"]), json_values)
def test_an_old_snapshot_with_odd_values_never_raises_anything_but_a_refusal(
    snapshot_field: object, kind: str, erasure_field: object
) -> None:
    snapshot = {
        "@type": "devices:Snapshot",
        "snapshotSoftware": "Workbench",
        "version": snapshot_field,
        "date": erasure_field,
        "device": {"@type": "Computer", "serialNumber": snapshot_field},
        "components": [
            {
                "@type": "HardDrive",
                "serialNumber": erasure_field,
                "size": snapshot_field,
                "erasure": {
                    "@type": kind,
                    "startingTime": snapshot_field,
                    "endingTime": erasure_field,
                    "success": snapshot_field,
                    "steps": [erasure_field, {"@type": "Random", "endingTime": snapshot_field}],
                },
            },
            {"@type": "HardDrive", "erasure": erasure_field},
        ],
    }

    read_every_way(json.dumps(snapshot).encode())


@FAST
@given(st.sampled_from(SNAPSHOTS), st.data())
def test_a_real_snapshot_with_keys_dropped_never_raises_anything_but_a_refusal(
    snapshot: bytes, data: st.DataObject
) -> None:
    value = json.loads(snapshot)
    keys = [
        "startTime",
        "endTime",
        "startingTime",
        "endingTime",
        "steps",
        "severity",
        "success",
        "type",
        "@type",
    ]
    dropped = set(data.draw(st.lists(st.sampled_from(keys), max_size=4)))

    def strip(node: object) -> object:
        if isinstance(node, dict):
            return {key: strip(item) for key, item in node.items() if key not in dropped}
        if isinstance(node, list):
            return [strip(item) for item in node]
        return node

    read_every_way(json.dumps(strip(value)).encode())
