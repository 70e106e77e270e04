"""Bench tests against the checklist, and grades."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.devices.models import Device
from devicebank.people.access import acting_scope
from devicebank.people.models import User
from devicebank.refurbishment import rules
from devicebank.refurbishment.checklists import checklist_from_json
from devicebank.refurbishment.models import CosmeticGrade, FinalGrade, Grade, ItemOutcome, TestRun, TpmVersion
from devicebank.refurbishment.permissions import can_refurbish
from devicebank.refurbishment.selectors import readiness, specification_for
from devicebank.refurbishment.services._common import _lock, _open_pass, _pass_of, _text, _when


@dataclass(frozen=True)
class ItemInput:
    key: str
    outcome: str
    note: str = ""


def _checklist_for(device: Device) -> Any:
    spec = specification_for(device)
    return checklist_from_json(spec.checklist if spec else None, device.device_type)


def _check_results(device: Device, results: Sequence[ItemInput]) -> list[dict[str, str]]:
    checklist = {item.key: item for item in _checklist_for(device)}
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for result in results:
        item = checklist.get(result.key)
        if item is None:
            raise DomainError(f"{result.key!r} is not on this device's checklist.", field="results")
        if result.key in seen:
            raise DomainError(f"{item.label} is given twice.", field=f"result_{result.key}")
        seen.add(result.key)
        if result.outcome not in ItemOutcome.values:
            raise DomainError(
                f"{item.label}: say pass, fail or not applicable.", field=f"result_{result.key}"
            )
        if result.outcome == ItemOutcome.NOT_APPLICABLE and item.required:
            raise DomainError(
                f"{item.label} must pass: it cannot be not applicable.", field=f"result_{result.key}"
            )
        out.append(
            {
                "key": item.key,
                "label": item.label,
                "outcome": result.outcome,
                "note": _text(result.note, f"note_{result.key}", "", limit=500, required=False),
            }
        )
    return out


@transaction.atomic
def device_tests_record(
    *,
    device: Device,
    by: User | None,
    results: Sequence[ItemInput],
    battery_health_percent: Decimal | None = None,
    tpm_version: str = "",
    screen_inches: Decimal | None = None,
    notes: str = "",
    at: datetime | None = None,
) -> TestRun:
    """Record bench test results (some or all checklist items) and what was measured.

    A sanitised device moves into refurbishment. The latest result of each item in the pass counts.
    """
    locked = _lock(device)
    can_refurbish.require(acting_scope(by), locked.programme_id)
    checked = _check_results(locked, results)
    if battery_health_percent is not None and not Decimal(0) <= battery_health_percent <= Decimal(110):
        raise DomainError("Give battery health from 0 to 110%.", field="battery_health_percent")
    if screen_inches is not None and not Decimal(5) <= screen_inches <= Decimal(40):
        raise DomainError("Give a screen size from 5 to 40 inches.", field="screen_inches")
    if tpm_version not in TpmVersion.values:
        raise DomainError("Say which TPM it has: 2.0, 1.2, none, or not checked.", field="tpm_version")
    if not checked and battery_health_percent is None and screen_inches is None and not tpm_version:
        raise DomainError("Record at least one test result or measurement.", field="results")
    notes = _text(notes, "notes", "", limit=2000, required=False)
    locked = _open_pass(locked, by, at)
    run = TestRun.objects.create(
        device=locked,
        sanitisation_id=_pass_of(locked),
        results=checked,
        battery_health_percent=battery_health_percent,
        tpm_version=tpm_version,
        screen_inches=screen_inches,
        notes=notes,
        recorded_by=by,
        recorded_at=_when(at, locked),
    )
    by_outcome = {o: [r["key"] for r in checked if r["outcome"] == o] for o in ItemOutcome.values}
    record_event(
        kind=EventKind.DEVICE_TESTED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        occurred_at=run.recorded_at,
        data={
            "passed": by_outcome[ItemOutcome.PASS],
            "failed": by_outcome[ItemOutcome.FAIL],
            "not_applicable": by_outcome[ItemOutcome.NOT_APPLICABLE],
            "evidence": [{"type": "refurbishment.testrun", "id": run.pk}],
        },
    )
    return run


@transaction.atomic
def grade_record(
    *, device: Device, by: User | None, cosmetic: str, notes: str = "", at: datetime | None = None
) -> Grade:
    """Grade a device whose every checklist item has a result this pass. Functional pass comes from the tests,
    the performance band from its specs; the final grade is the worse of band and cosmetic grade (F on a fail)."""
    locked = _lock(device)
    can_refurbish.require(acting_scope(by), locked.programme_id)
    if cosmetic not in CosmeticGrade.values:
        raise DomainError("Choose a cosmetic grade: A, B or C.", field="cosmetic")
    locked = _open_pass(locked, by, at)
    state = readiness(locked)
    if not state.test_runs:
        raise DomainError(
            f"{locked.asset_tag} has no test results in this pass: test it before grading.", field="cosmetic"
        )
    untested = [item.item.label for item in state.items if item.outcome is None]
    if untested:
        raise DomainError(
            f"Test every item before grading; not tested: {', '.join(untested)}.", field="cosmetic"
        )
    functional = not any(item.problem for item in state.items)
    band, _why = rules.performance_band(state.facts)
    final = rules.final_grade(cosmetic, band) if functional else FinalGrade.F
    grade = Grade.objects.create(
        device=locked,
        sanitisation_id=_pass_of(locked),
        test_run=state.test_runs[0],
        functional_pass=functional,
        cosmetic=cosmetic,
        performance=band,
        final=final,
        notes=_text(notes, "notes", "", limit=2000, required=False),
        recorded_by=by,
        recorded_at=_when(at, locked),
    )
    record_event(
        kind=EventKind.DEVICE_GRADED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        occurred_at=grade.recorded_at,
        data={
            "functional_pass": functional,
            "cosmetic": cosmetic,
            "performance": band,
            "new": final,
            "evidence": [{"type": "refurbishment.grade", "id": grade.pk}],
        },
    )
    return grade
