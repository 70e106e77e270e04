"""The outcome: the rule applied to this pass, and the device moved into `sanitised`."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.devices.models import Device
from devicebank.devices.services import device_transition
from devicebank.devices.states import DeviceState
from devicebank.people.models import User
from devicebank.sanitisation.models import SanitisationBasis, SanitisationOutcome
from devicebank.sanitisation.services.records import _lock
from devicebank.sanitisation.services.rule import PassEvidence, _name, pass_evidence


@transaction.atomic
def sanitisation_record_outcome(
    *,
    device: Device,
    by: User | None,
    summary: str = "",
    mobile_reset: bool = False,
    recorded_at: datetime | None = None,
    basis: str | None = None,
    level: str | None = None,
) -> Device:
    """Apply the rule to this pass's evidence and, if it holds, move the device to `sanitised`.

    The only way to `sanitised`: devices.services.device_transition refuses the move without the outcome this
    creates. Every failing rule is named in the error. `basis`/`level`, when given, must agree with the evidence.
    """
    locked = _lock(device, by)
    evidence = pass_evidence(locked, until=recorded_at, mobile_reset=mobile_reset or basis == "factory_reset")
    if not evidence.ok:
        raise DomainError(
            f"{locked.asset_tag} cannot be marked sanitised yet: " + " ".join(evidence.blockers)
        )
    assert evidence.basis is not None  # evidence.ok
    if basis is not None and basis != evidence.basis:
        raise DomainError(
            f"The evidence shows {SanitisationBasis(evidence.basis).label.lower()}, not {basis}."
        )
    when = recorded_at or timezone.now()
    outcome = SanitisationOutcome.objects.create(
        device=locked,
        basis=evidence.basis,
        level=level if level is not None else evidence.level,
        summary=summary or _summary(evidence),
        recorded_by=by,
        recorded_at=when,
    )
    record_event(
        kind=EventKind.SANITISATION_RECORDED,
        subject=outcome,
        actor=by,
        programme_id=locked.programme_id,
        occurred_at=when,
        data={"device_id": locked.pk, "basis": outcome.basis, "level": outcome.level},
    )
    return device_transition(
        device=locked,
        to=DeviceState.SANITISED,
        by=by,
        sanitisation=outcome,
        reason=outcome.summary,
        occurred_at=when,
    )


def _summary(ev: PassEvidence) -> str:
    if ev.basis == SanitisationBasis.NO_STORAGE:
        return "No storage present: " + ev.attestations[-1].reason
    if ev.basis == SanitisationBasis.FACTORY_RESET:
        return "Factory reset with encryption (phone or tablet)."
    parts = [
        f"{_name(e)} {e.get_result_display().lower()} by {e.tool} ({e.method or e.get_technique_display()})"
        for e in ev.erasures
        if e.counts(require_verified=ev.require_verified)
    ]
    parts += [f"{_name(d)} {d.get_method_display().lower()} by {d.destroyed_by}" for d in ev.destructions]
    return "; ".join(parts)
