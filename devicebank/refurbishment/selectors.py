"""Reading refurbishment records: every view, API endpoint and template tag gets them through these functions.

Devices come through `devices.selectors.device_get/device_list` (the scope); refurbishment records are then
visible to those who work in the device's programme (permissions.can_see_refurbishment).

`readiness(device)` is the one place that decides what a device still needs before `ready`. The guard
registered for `ready` (apps.py), the workbench, the device page panel and the API all read it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from devicebank.core.models import Event, EventKind
from devicebank.devices.models import Device, DeviceType
from devicebank.devices.selectors import (
    ASSET_TAG,
    SERIAL,
    DeviceFilters,
    device_find,
    device_get,
    device_list,
)
from devicebank.devices.states import DeviceState
from devicebank.hardware.models import HardwareReport
from devicebank.hardware.selectors import spec_sources
from devicebank.people.access import scope_for
from devicebank.people.models import User
from devicebank.programmes.models import Programme
from devicebank.refurbishment import rules
from devicebank.refurbishment.checklists import ChecklistItem, checklist_from_json
from devicebank.refurbishment.cpu import parse_cpu
from devicebank.refurbishment.models import (
    OS_TARGET_OF,
    ChromeOSFlexModel,
    DeviceSecret,
    Grade,
    ItemOutcome,
    OsInstall,
    OsTarget,
    Part,
    Recommendation,
    RecyclingRecord,
    RefurbishmentDecision,
    RepairJob,
    Specification,
    TestRun,
)
from devicebank.refurbishment.permissions import (
    can_manage_specifications,
    can_refurbish,
    can_see_refurbishment,
    can_see_throughput,
)

WORK_STATES = (DeviceState.SANITISED, DeviceState.IN_REFURBISHMENT)
# Without a specification an operating system record is needed for computers, not for phones and tablets
# (they are factory reset, which sanitisation records).
OS_NEEDED_BY_DEFAULT = frozenset(
    {DeviceType.LAPTOP, DeviceType.DESKTOP, DeviceType.ALL_IN_ONE, DeviceType.CHROMEBOOK}
)


def make_and_model(device: Device) -> str:
    """'Dell Latitude E7470'; a model that already starts with its maker ('HP ProBook 450 G5') is kept as it is."""
    maker, model = device.manufacturer.strip(), device.model.strip()
    if maker and model.lower().startswith(maker.lower()):
        return model
    return " ".join(part for part in (maker, model) if part)


def flex_key(make_model: str) -> str:
    """How ChromeOS Flex list entries and devices are matched: maker and model, lower case, single spaces."""
    return " ".join(make_model.lower().replace(",", " ").split())


# -- what the guard, the workbench and the API read ---------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    item: ChecklistItem
    outcome: str | None  # pass, fail, n/a, or None (not tested this pass)
    note: str = ""
    recorded_at: datetime | None = None

    @property
    def problem(self) -> str:
        """Why this item blocks `ready` ("" when it does not)."""
        if self.outcome is None:
            return f"{self.item.label} not tested"
        if self.outcome == ItemOutcome.FAIL:
            return f"{self.item.label} failed"
        if self.outcome == ItemOutcome.NOT_APPLICABLE and self.item.required:
            return f"{self.item.label} marked not applicable, but it must pass"
        return ""


@dataclass
class Step:
    key: str
    title: str
    status: str  # done, to_do, failed
    detail: str
    reasons: list[str] = field(default_factory=list)

    @property
    def tag_colour(self) -> str:
        return {"done": "green", "failed": "red"}.get(self.status, "grey")

    @property
    def tag_text(self) -> str:
        return {"done": "Done", "failed": "Failed"}.get(self.status, "To do")


@dataclass
class Readiness:
    device: Device
    specification: Specification | None
    facts: rules.DeviceFacts
    evaluation: rules.SpecEvaluation
    checklist: list[ChecklistItem]
    items: list[ItemResult]
    test_runs: list[TestRun]
    grade: Grade | None
    os_install: OsInstall | None
    decision: RefurbishmentDecision | None
    os_required: bool
    steps: list[Step] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        """Every reason the device may not become ready, each a sentence naming its rule."""
        return [reason for step in self.steps for reason in step.reasons]

    @property
    def ready_to_finish(self) -> bool:
        return not self.reasons and self.device.state == DeviceState.IN_REFURBISHMENT

    def step(self, key: str) -> Step:
        return next(step for step in self.steps if step.key == key)


def current_pass(device: Device) -> int | None:
    """The sanitisation outcome that opened the device's current pass (None: not sanitised in this pass)."""
    return device.sanitisation_id


def specification_for(device: Device) -> Specification | None:
    return Specification.objects.filter(
        programme_id=device.programme_id, device_type=device.device_type
    ).first()


def _latest_item_results(checklist: list[ChecklistItem], runs: list[TestRun]) -> list[ItemResult]:
    latest: dict[str, ItemResult] = {}
    by_key = {item.key: item for item in checklist}
    for run in sorted(runs, key=lambda r: (r.recorded_at, r.pk)):
        for result in run.results:
            key = result.get("key")
            if key in by_key:
                latest[key] = ItemResult(
                    by_key[key], result.get("outcome"), result.get("note", ""), run.recorded_at
                )
    return [latest.get(item.key, ItemResult(item, None)) for item in checklist]


def _battery(runs: list[TestRun], device: Device) -> tuple[Decimal | None, str, datetime | None]:
    measured = next((r for r in runs if r.battery_health_percent is not None), None)
    # The newest applied report that knows the health: one that does not (JSON null) never hides a value.
    report = next(
        (
            r
            for r in HardwareReport.objects.filter(device=device, status=HardwareReport.Status.APPLIED)
            .order_by("-created_at", "-id")
            .only("parsed", "file_name", "created_at")
            if r.parsed.get("battery_health_percent") is not None
        ),
        None,
    )
    if measured is not None and (report is None or measured.recorded_at >= report.created_at):
        return measured.battery_health_percent, "measured at the bench", measured.recorded_at
    if report is not None:
        value = report.parsed.get("battery_health_percent")
        if value is not None:
            return Decimal(str(value)), f"hardware report {report.file_name}", report.created_at
    return None, "", None


def device_facts(
    device: Device, runs: list[TestRun], pass_runs: list[TestRun], items: list[ItemResult]
) -> rules.DeviceFacts:
    """What the rules need to know about a device, each fact from its best source (see docs/refurbishment.md)."""
    make_model = make_and_model(device)
    listing = ChromeOSFlexModel.objects.filter(key=flex_key(make_model)).first() if make_model else None
    battery, source, _ = _battery(pass_runs, device)
    webcam = next((r.outcome for r in items if r.item.key == "webcam"), None)
    if webcam is None:  # a programme's checklist may lack the item; the latest webcam result still counts
        for run in pass_runs:
            found = next((res for res in run.results if res.get("key") == "webcam"), None)
            if found:
                webcam = found.get("outcome")
                break
    return rules.DeviceFacts(
        device_type=device.device_type,
        make_model=make_model,
        cpu=parse_cpu(device.cpu_model),
        ram_bytes=device.ram_bytes,
        storage_bytes=device.storage_bytes,
        storage_kind=device.storage_kind,
        battery_percent=battery,
        battery_source=source,
        # TPM and screen size are facts of the machine: the latest recorded in any pass counts.
        screen_inches=next((r.screen_inches for r in runs if r.screen_inches is not None), None),
        webcam=webcam,
        tpm_version=next((r.tpm_version for r in runs if r.tpm_version), ""),
        flex_listing=rules.FlexListing(listing.name, listing.status, listing.end_of_support_year)
        if listing
        else None,
        year=timezone.localdate().year,
        sources=spec_sources(device),
    )


def readiness(device: Device) -> Readiness:
    """What `device` still needs before it may become ready, step by step, with every blocking reason."""
    pass_id = current_pass(device)
    spec = specification_for(device)
    checklist = checklist_from_json(spec.checklist if spec else None, device.device_type)
    runs = list(TestRun.objects.filter(device=device).order_by("-recorded_at", "-id"))
    pass_runs = [run for run in runs if pass_id is not None and run.sanitisation_id == pass_id]
    items = _latest_item_results(checklist, pass_runs)
    facts = device_facts(device, runs, pass_runs, items)
    evaluation = rules.evaluate(spec, facts)
    in_pass: dict[str, Any] = {"device": device, "sanitisation_id": pass_id}
    grade = Grade.objects.filter(**in_pass).order_by("-recorded_at", "-id").first() if pass_id else None
    os_install = (
        OsInstall.objects.filter(**in_pass).order_by("-recorded_at", "-id").first() if pass_id else None
    )
    decision = (
        RefurbishmentDecision.objects.filter(**in_pass).order_by("-recorded_at", "-id").first()
        if pass_id
        else None
    )
    os_required = spec.require_os_install if spec else device.device_type in OS_NEEDED_BY_DEFAULT
    result = Readiness(
        device=device,
        specification=spec,
        facts=facts,
        evaluation=evaluation,
        checklist=checklist,
        items=items,
        test_runs=pass_runs,
        grade=grade,
        os_install=os_install,
        decision=decision,
        os_required=os_required,
    )
    result.steps = [
        _sanitisation_step(device),
        _specification_step(result),
        _tests_step(result),
        _grade_step(result),
        _os_step(result),
        _label_step(result),
    ]
    decision_step = _decision_step(result)
    if decision_step is not None:
        result.steps.append(decision_step)
    return result


def _sanitisation_step(device: Device) -> Step:
    if device.sanitisation_id is not None:
        return Step("sanitisation", "Sanitisation", "done", "Recorded for this pass.")
    return Step(
        "sanitisation",
        "Sanitisation",
        "to_do",
        "No sanitisation evidence for this pass.",
        [f"Sanitisation: {device.asset_tag} has no sanitisation evidence for this pass."],
    )


def _specification_step(r: Readiness) -> Step:
    if r.specification is None:
        return Step(
            "specification",
            "Programme specification",
            "done",
            f"The programme has no specification for a {DeviceType(r.device.device_type).label.lower()}: "
            "no minimum applies.",
        )
    failures = r.evaluation.failures
    if not failures:
        return Step("specification", "Programme specification", "done", "Meets every rule.")
    status = "failed" if any(rule.ok is False for rule in failures) else "to_do"
    return Step(
        "specification",
        "Programme specification",
        status,
        f"{len(failures)} rule{'s' if len(failures) != 1 else ''} not met.",
        [f"Specification: {rule.message}." for rule in failures],
    )


def _tests_step(r: Readiness) -> Step:
    if not r.test_runs:
        return Step(
            "tests", "Tests", "to_do", "Not tested in this pass.", ["Tests: none recorded for this pass."]
        )
    problems = [item.problem for item in r.items if item.problem]
    if not problems:
        return Step("tests", "Tests", "done", f"All {len(r.items)} checks passed or not applicable.")
    failed = any(item.outcome == ItemOutcome.FAIL for item in r.items)
    return Step(
        "tests",
        "Tests",
        "failed" if failed else "to_do",
        "; ".join(problems) + ".",
        [f"Tests: {'; '.join(problems)}."],
    )


def _grade_step(r: Readiness) -> Step:
    if r.grade is None:
        return Step(
            "grade", "Grade", "to_do", "Not graded in this pass.", ["Grade: none recorded for this pass."]
        )
    g = r.grade
    return Step(
        "grade",
        "Grade",
        "done",
        f"Final grade {g.final} (cosmetic {g.cosmetic}, {g.get_performance_display().lower()} performance).",
    )


def _os_step(r: Readiness) -> Step:
    install = r.os_install
    if install is None:
        if not r.os_required:
            return Step("os", "Operating system", "done", "Not needed for this device type.")
        return Step(
            "os",
            "Operating system",
            "to_do",
            "No install recorded in this pass.",
            ["Operating system: none recorded for this pass."],
        )
    label = install.get_os_display()
    reasons = []
    target = OS_TARGET_OF.get(install.os)
    targets = [t for t in (r.specification.os_targets if r.specification else []) if t in OsTarget.values]
    if targets and target not in targets:
        wanted = ", ".join(OsTarget(t).label for t in targets)
        reasons.append(f"Operating system: {label} is not one of the programme's targets ({wanted}).")
    if target is not None and r.evaluation.os_eligibility[target].ok is False:
        reasons.append(
            f"Operating system: {label} is installed but the device does not meet its requirements "
            f"({r.evaluation.os_eligibility[target].reason})."
        )
    image = " ".join(part for part in (install.image_name, install.image_version) if part)
    detail = f"{label}{f', image {image}' if image else ''}."
    return Step("os", "Operating system", "failed" if reasons else "done", detail, reasons)


def _label_step(r: Readiness) -> Step:
    label = next((item for item in r.items if item.item.key == "asset_label"), None)
    if label is not None and label.outcome == ItemOutcome.PASS:
        return Step("label", "Asset label", "done", "Fitted and scanned in the tests.")
    return Step("label", "Asset label", "to_do", "Print it, fit it, and pass the asset-label test.")


def _decision_step(r: Readiness) -> Step | None:
    decision = r.decision
    if decision is None:
        return None
    if decision.decision == Recommendation.REPAIR:
        return Step("decision", "Repair or recycle", "done", f"Decided: repair ({decision.reason}).")
    return Step(
        "decision",
        "Repair or recycle",
        "failed",
        f"Decided: {decision.get_decision_display().lower()}.",
        [
            f"Decision: {r.device.asset_tag} was decided for {decision.get_decision_display().lower()} "
            f"on {timezone.localtime(decision.recorded_at):%d %b %Y}; record a repair decision to change it."
        ],
    )


def readiness_guard(device: Device) -> list[str]:
    """Registered for `ready` (apps.py): every reason the device may not become ready, or [].

    Only the move out of refurbishment is checked. A device coming back to ready from reserved or in transit (a
    cancelled reservation, a failed delivery) already passed in this pass; a returned one is sanitised again.
    """
    if device.state in (DeviceState.RESERVED, DeviceState.IN_TRANSIT):
        return []
    return readiness(device).reasons


# -- scoped reads for views and the API -----------------------------------------------------------------


def workbench_device_get(*, user: User | Any, asset_tag: str) -> Device:
    """A device whose refurbishment records the user may see; 404 outside their scope, 403 without a role."""
    device = device_get(user=user, asset_tag=asset_tag)
    if not can_see_refurbishment(scope_for(user), device.programme_id):
        raise PermissionDenied("Your role does not show refurbishment records.")
    return device


def workbench_device_find(*, user: User | Any, code: str) -> Device | None:
    """The device a scan (asset tag or serial, exact) names, among those the user may see; None if not one."""
    text = code.strip()
    if not text:
        return None
    exact = device_find(scope=scope_for(user), code=text, kinds=(ASSET_TAG, SERIAL))
    if exact is not None:
        return exact
    matches = list(device_list(user=user, filters=DeviceFilters(q=text))[:2])  # a unique prefix will do
    return matches[0] if len(matches) == 1 else None


def workbench_queue(*, user: User | Any, limit: int = 25) -> list[Device]:
    """Devices waiting for refurbishment (sanitised or in refurbishment) in programmes where the user works."""
    scope = scope_for(user)
    qs = device_list(user=user, filters=DeviceFilters(state=tuple(s.value for s in WORK_STATES)))
    allowed = can_see_refurbishment.programme_ids(scope)
    if allowed is not None:
        qs = qs.filter(programme_id__in=allowed)
    return list(qs.order_by("state_changed_at", "id")[:limit])


def secrets_for(*, device: Device) -> QuerySet[DeviceSecret]:
    return (
        DeviceSecret.objects.filter(device=device)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    )


def repairs_for(*, device: Device) -> QuerySet[RepairJob]:
    return (
        RepairJob.objects.filter(device=device).prefetch_related("parts_used__part").order_by("-recorded_at")
    )


def recycling_for(*, device: Device) -> RecyclingRecord | None:
    return RecyclingRecord.objects.filter(device=device).first()


def specification_list(*, user: User | Any) -> QuerySet[Specification]:
    scope = scope_for(user)
    qs = Specification.objects.select_related("programme").order_by("programme__name", "device_type")
    allowed = can_see_refurbishment.programme_ids(scope)
    return qs if allowed is None else qs.filter(programme_id__in=allowed)


def manageable_programmes(*, user: User | Any) -> QuerySet[Programme]:
    scope = scope_for(user)
    allowed = can_manage_specifications.programme_ids(scope)
    qs = Programme.objects.order_by("name")
    return qs if allowed is None else qs.filter(pk__in=allowed)


def workable_programmes(*, user: User | Any) -> QuerySet[Programme]:
    scope = scope_for(user)
    allowed = can_refurbish.programme_ids(scope)
    qs = Programme.objects.order_by("name")
    return qs if allowed is None else qs.filter(pk__in=allowed)


def part_list(*, user: User | Any, programme_id: int | None = None) -> QuerySet[Part]:
    scope = scope_for(user)
    qs = Part.objects.select_related("programme").order_by("programme__name", "kind", "description")
    allowed = can_see_refurbishment.programme_ids(scope)
    if allowed is not None:
        qs = qs.filter(programme_id__in=allowed)
    if programme_id is not None:
        qs = qs.filter(programme_id=programme_id)
    return qs


def part_get(*, user: User | Any, pk: int) -> Part:
    part = part_list(user=user).filter(pk=pk).first()
    if part is None:
        raise Http404("No such part.")
    return part


def parts_for_device(*, device: Device) -> QuerySet[Part]:
    return Part.objects.filter(programme_id=device.programme_id).order_by("kind", "description")


# -- throughput and recycling figures -------------------------------------------------------------------


@dataclass(frozen=True)
class ThroughputRow:
    day: date
    technician: str
    devices: int


@dataclass
class Throughput:
    since: date
    until: date
    rows: list[ThroughputRow]
    by_person: dict[str, int]
    landfill_diverted_kg: Decimal
    recycled_devices: int


def throughput(*, user: User | Any, days: int = 14, programme_id: int | None = None) -> Throughput:
    """Devices made ready per day per person, from the `device_state_changed` events with new == ready,
    in programmes where the user may see throughput (programme managers, platform admins)."""
    scope = scope_for(user)
    allowed = can_see_throughput.programme_ids(scope)
    if allowed is not None and not allowed:
        raise PermissionDenied("Throughput figures are for programme managers.")
    until = timezone.localdate()
    since = until - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    events = Event.objects.filter(
        kind=EventKind.DEVICE_STATE_CHANGED, occurred_at__gte=start, data__new="ready"
    )
    recycled = RecyclingRecord.objects.all()
    if allowed is not None:
        events = events.filter(programme_id__in=allowed)
        recycled = recycled.filter(device__programme_id__in=allowed)
    if programme_id is not None:
        events = events.filter(programme_id=programme_id)
        recycled = recycled.filter(device__programme_id=programme_id)
    grouped = (
        events.order_by()
        .annotate(day=TruncDate("occurred_at"))
        .values("day", "actor__full_name", "actor__email")
        .annotate(n=Count("id"))
        .order_by("-day", "actor__full_name")
    )
    rows: list[ThroughputRow] = []
    by_person: dict[str, int] = defaultdict(int)
    for row in grouped:
        person = row["actor__full_name"] or row["actor__email"] or "devicebank (system)"
        rows.append(ThroughputRow(row["day"], person, row["n"]))
        by_person[person] += row["n"]
    totals = recycled.aggregate(kg=Sum("weight_kg"), n=Count("id"))
    return Throughput(
        since=since,
        until=until,
        rows=rows,
        by_person=dict(sorted(by_person.items(), key=lambda kv: -kv[1])),
        landfill_diverted_kg=Decimal(totals["kg"] or 0).quantize(Decimal("0.01")),
        recycled_devices=totals["n"],
    )


def workbench_visible(*, user: User | Any) -> bool:
    """Whether the user works in any programme (or is a platform admin): the workbench's pages are theirs."""
    return can_see_refurbishment.anywhere(scope_for(user))
