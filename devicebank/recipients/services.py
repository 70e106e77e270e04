"""Recipient services. For now: importing schools from GIAS.

The import is keyed by URN. Each row is checked against what is stored and becomes one of: created, updated (some
field changed), unchanged, or rejected (with the reason). Like the asset-register import, a file lands whole
("all or nothing", the default: one rejected row refuses it) or, when asked, valid rows only. Schools missing from
the file are left as they are (an extract may cover one authority); closed schools are marked closed, never
deleted. Each created or changed school gets one event with ids and field names only; the import gets one with
its counts.

Three ways in, one path: `schools_import_file` (the command, the bench), and `school_import_start` ->
`school_import_queue` -> `school_import_run` (the upload page and the API: check, confirm, background job).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from devicebank.core.bulk import EVENT_COLUMNS, insert_rows, json_text, reserve_ids
from devicebank.core.errors import DomainError
from devicebank.core.events import record_event, subject_type_of
from devicebank.core.evidence import evidence_delete, evidence_read, evidence_store
from devicebank.core.jobs import JobEnded, job_claim, job_fail
from devicebank.core.models import Event, EventKind
from devicebank.core.tasks import enqueue_on_commit
from devicebank.people.access import acting_scope
from devicebank.people.models import Organisation
from devicebank.people.roles import OrganisationKind
from devicebank.places.models import LocalAuthority
from devicebank.places.services import districts_link_from_schools, local_authority_ensure
from devicebank.recipients.gias import CLOSED, INDEPENDENT_GROUP, GiasFile, GiasRow, read_gias
from devicebank.recipients.models import ResponsibleBody, School, SchoolImport
from devicebank.recipients.permissions import can_import_schools

if TYPE_CHECKING:
    from devicebank.people.models import User


# Schools a local authority maintains, whatever trust supports them (a foundation school's charitable trust is
# in GIAS's Trusts columns too, but the authority is still responsible).
LA_MAINTAINED_GROUP = "Local authority maintained schools"
LA_MAINTAINED_TYPES = frozenset(
    {
        "Community school",
        "Voluntary aided school",
        "Voluntary controlled school",
        "Foundation school",
        "Community special school",
        "Foundation special school",
        "Pupil referral unit",
        "LA nursery school",
    }
)
# GIAS field -> School field, for the fields stored as they come.
SCHOOL_FIELDS = {
    "establishment_number": "establishment_number",
    "type_name": "type_name",
    "type_group": "type_group",
    "status": "status",
    "phase": "phase",
    "opened_on": "opened_on",
    "closed_on": "closed_on",
    "low_age": "low_age",
    "high_age": "high_age",
    "pupils": "pupils",
    "fsm_percent": "fsm_percent",
    "trust_code": "trust_code",
    "trust_name": "trust_name",
    "ukprn": "ukprn",
    "street": "street",
    "town": "town",
    "lsoa": "lsoa_code",
    "msoa": "msoa_code",
    "district_code": "district_code",
}
_CHAR_FIELDS = frozenset(
    f.name
    for f in School._meta.get_fields()
    if getattr(f, "get_internal_type", None) and f.get_internal_type() == "CharField"
)
BATCH = 1000


def _ensure_can_import(by: User | None) -> None:
    can_import_schools.require_anywhere(acting_scope(by))


@dataclass
class ImportCounts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def as_json(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


# --- working out what each row would do ---------------------------------------------------------------------


@dataclass
class _Keys:
    """What is stored already: authorities by GIAS code and responsible bodies' organisations by their key."""

    la_ids: dict[str, int]
    rb_by_la: dict[str, int]
    rb_by_trust: dict[str, int]

    @classmethod
    def load(cls) -> _Keys:
        la_ids = dict(LocalAuthority.objects.values_list("gias_code", "id"))
        rb_by_la: dict[str, int] = {}
        rb_by_trust: dict[str, int] = {}
        for kind, la_code, trust, org_id in ResponsibleBody.objects.values_list(
            "kind", "local_authority__gias_code", "trust_code", "organisation_id"
        ):
            if kind == ResponsibleBody.Kind.LOCAL_AUTHORITY and la_code:
                rb_by_la[la_code] = org_id
            elif trust:
                rb_by_trust[trust] = org_id
        return cls(la_ids, rb_by_la, rb_by_trust)


def responsible_key(values: dict[str, Any]) -> tuple[str, str] | None:
    """(kind, key) of the body responsible for the school these GIAS values describe, or None (independent)."""
    maintained = (
        values.get("type_group") == LA_MAINTAINED_GROUP or values.get("type_name") in LA_MAINTAINED_TYPES
    )
    if maintained and values.get("la_code"):
        return ResponsibleBody.Kind.LOCAL_AUTHORITY, values["la_code"]
    if values.get("trust_code") and not maintained:
        return ResponsibleBody.Kind.TRUST, values["trust_code"]
    return None


def _knows_parent(columns: frozenset[str]) -> bool:
    return bool({"type_group", "type_name", "trust_code"} & columns)


def _targets(row: GiasRow, columns: frozenset[str], keys: _Keys) -> tuple[dict[str, Any], dict[str, Any]]:
    """(organisation fields, school fields) the row says, for the columns the file has."""
    v = row.values
    org: dict[str, Any] = {"name": v["name"]}
    if "postcode" in columns:
        org["postcode"] = v.get("postcode") or ""
    if "status" in columns:
        org["is_active"] = v.get("status") != CLOSED
    if _knows_parent(columns):
        key = responsible_key(v)
        org["parent_id"] = (
            None
            if key is None
            else (keys.rb_by_la if key[0] == ResponsibleBody.Kind.LOCAL_AUTHORITY else keys.rb_by_trust).get(
                key[1],
                -1,  # not created yet: differs from any stored parent
            )
        )
    school: dict[str, Any] = {}
    for name, attr in SCHOOL_FIELDS.items():
        if name in columns:
            value = v.get(name)
            school[attr] = "" if value is None and attr in _CHAR_FIELDS else value
    if "la_code" in columns:
        school["local_authority_id"] = keys.la_ids.get(
            v.get("la_code") or "", -1 if v.get("la_code") else None
        )
    if "type_group" in columns:
        school["is_independent"] = v.get("type_group") == INDEPENDENT_GROUP
    if "status" in columns:
        school["is_open"] = v.get("status") != CLOSED
    return org, school


def _changes(stored: dict[str, Any], wanted: dict[str, Any]) -> list[str]:
    return [name for name, value in wanted.items() if stored[name] != value]


_ORG_STORED = {
    "name": "organisation__name",
    "postcode": "organisation__postcode",
    "is_active": "organisation__is_active",
    "parent_id": "organisation__parent",
}
_SCHOOL_STORED = [*SCHOOL_FIELDS.values(), "local_authority_id", "is_independent", "is_open"]


@dataclass
class _Stored:
    """A school as stored, as plain values (25,000 of these are compared on every import)."""

    school_id: int
    organisation_id: int
    org: dict[str, Any]
    school: dict[str, Any]


def _existing(urns: Iterable[int]) -> dict[int, _Stored]:
    found: dict[int, _Stored] = {}
    wanted = list(urns)
    names = ["id", "urn", "organisation_id", *_SCHOOL_STORED, *_ORG_STORED.values()]
    for start in range(0, len(wanted), 5000):
        for row in School.objects.filter(urn__in=wanted[start : start + 5000]).values(*names):
            found[row["urn"]] = _Stored(
                row["id"],
                row["organisation_id"],
                {name: row[column] for name, column in _ORG_STORED.items()},
                {name: row[name] for name in _SCHOOL_STORED},
            )
    return found


def gias_check(gias: GiasFile) -> ImportCounts:
    """Set each row's `outcome` (created, updated, unchanged, rejected) against what is stored. Writes nothing."""
    return _check(gias, _Keys.load())[0]


def _check(gias: GiasFile, keys: _Keys) -> tuple[ImportCounts, dict[int, _Stored]]:
    existing = _existing(row.urn for row in gias.rows if row.ok and row.urn is not None)
    counts = ImportCounts(rows=len(gias.rows))
    for row in gias.rows:
        if not row.ok:
            row.outcome = "rejected"
        elif row.urn not in existing:
            row.outcome = "created"
        else:
            school = existing[row.urn]
            org_wanted, school_wanted = _targets(row, gias.columns, keys)
            changed = _changes(school.org, org_wanted) or _changes(school.school, school_wanted)
            row.outcome = "updated" if changed else "unchanged"
        setattr(counts, row.outcome, getattr(counts, row.outcome) + 1)
    return counts, existing


# --- writing --------------------------------------------------------------------------------------------------


def _la_name(values: dict[str, Any]) -> str:
    return values.get("la_name") or f"Local authority {values['la_code']}"


def _ensure_authorities(rows: list[GiasRow]) -> None:
    known = set(LocalAuthority.objects.values_list("gias_code", flat=True))
    for row in rows:
        code = row.values.get("la_code")
        if code and code not in known:
            local_authority_ensure(gias_code=code, name=_la_name(row.values))
            known.add(code)


def _body_organisation(name: str, key: str) -> Organisation:
    """An organisation for a new responsible body: an unclaimed one of that name if it exists (someone set it up
    by hand), else a new one; "(key)" is added when the name is taken by another body."""
    kind = OrganisationKind.RESPONSIBLE_BODY
    same = Organisation.objects.filter(name=name[:200], kind=kind, urn="").first()
    if same is not None and not ResponsibleBody.objects.filter(organisation=same).exists():
        return same
    if same is not None:
        name = f"{name[:180]} ({key})"
    org, _ = Organisation.objects.get_or_create(name=name[:200], kind=kind, urn="")
    return org


def _ensure_bodies(rows: list[GiasRow], columns: frozenset[str], keys: _Keys) -> bool:
    if not _knows_parent(columns):
        return False
    made = False
    for row in rows:
        key = responsible_key(row.values)
        if key is None:
            continue
        kind, code = key
        if kind == ResponsibleBody.Kind.LOCAL_AUTHORITY and code not in keys.rb_by_la:
            la = LocalAuthority.objects.get(gias_code=code)
            org = _body_organisation(f"{la.name} (local authority)", code)
            ResponsibleBody.objects.create(organisation=org, kind=kind, local_authority=la)
            keys.rb_by_la[code] = org.pk
            made = True
        elif kind == ResponsibleBody.Kind.TRUST and code not in keys.rb_by_trust:
            org = _body_organisation(row.values.get("trust_name") or f"Trust {code}", code)
            ResponsibleBody.objects.create(organisation=org, kind=kind, trust_code=code)
            keys.rb_by_trust[code] = org.pk
            made = True
    return made


_SCHOOL_SUBJECT = subject_type_of(School)


def _cell(value: Any) -> Any:
    """A value as core.bulk writes it: dates as ISO text, decimals as text (both databases read them back right);
    the rest as it is. Cheaper than the ORM's per-field preparation, which cost more than the writing."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row_values(model: type[Any], values: dict[str, Any]) -> tuple[list[str], tuple[Any, ...]]:
    """Every concrete column of `model` with its value: from `values` (by attname), else the field's default."""
    columns, cells = [], []
    for model_field in model._meta.concrete_fields:
        if model_field.attname in values:
            value = values[model_field.attname]
        elif model_field.has_default():
            value = model_field.get_default()
        else:
            value = None
        columns.append(model_field.column)
        cells.append(_cell(value))
    return columns, tuple(cells)


def _update_rows(model: type[Any], changes: list[tuple[int, dict[str, Any]]]) -> None:
    """UPDATE each row's changed columns, one executemany per set of columns (most rows change the same few)."""
    groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
    fields = {f.attname: f for f in model._meta.concrete_fields}
    for pk, values in changes:
        names = tuple(sorted(values))
        groups[names].append(
            (*(fields[name].get_db_prep_save(values[name], connection) for name in names), pk)
        )
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for names, rows in groups.items():
            sets = ", ".join(f"{connection.ops.quote_name(fields[n].column)} = %s" for n in names)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)  # noqa: S608 - our columns


def gias_apply(
    gias: GiasFile,
    *,
    imp: SchoolImport,
    valid_rows: bool,
    by: User | None,
    progress: Callable[[int], None] | None = None,
) -> ImportCounts:
    """Write the file's schools. Call inside a transaction; it checks the rows again against the stored state.

    Raises:
        DomainError: rows are rejected and `valid_rows` is False (nothing is written: the caller rolls back).
    """
    keys = _Keys.load()
    writable = [row for row in gias.rows if row.ok]
    if len(writable) < len(gias.rows) and not valid_rows:
        raise DomainError(
            f"{len(gias.rows) - len(writable)} rows have problems, so nothing was imported. Fix them, or import "
            "the valid rows only."
        )
    if "la_code" in gias.columns:
        _ensure_authorities(writable)
        keys.la_ids = dict(LocalAuthority.objects.values_list("gias_code", "id"))
    _ensure_bodies(writable, gias.columns, keys)
    # Checked again here, inside the writing transaction and with authorities and bodies now existing.
    counts, existing = _check(gias, keys)
    now = timezone.now()
    new_rows = [row for row in writable if row.outcome == "created"]
    changed_rows = [row for row in writable if row.outcome == "updated"]
    actor_id = by.pk if by is not None and by.is_authenticated else None
    events = _create_schools(new_rows, gias.columns, keys, imp=imp, now=now, actor_id=actor_id)
    if progress is not None:
        progress(len(new_rows))
    events += _update_schools(changed_rows, existing, gias.columns, keys, imp=imp, now=now, actor_id=actor_id)
    insert_rows(
        Event,
        EVENT_COLUMNS,
        [(event_id, *row) for event_id, row in zip(reserve_ids(Event, len(events)), events, strict=True)],
    )
    if "district_code" in gias.columns and "la_code" in gias.columns:
        districts_link_from_schools(
            (
                row.values.get("la_code") or "",
                row.values.get("district_code") or "",
                row.values.get("district_name") or "",
            )
            for row in writable
        )
    if progress is not None:
        progress(len(gias.rows))
    return counts


def _create_schools(
    rows: list[GiasRow],
    columns: frozenset[str],
    keys: _Keys,
    *,
    imp: SchoolImport,
    now: Any,
    actor_id: int | None,
) -> list[tuple[Any, ...]]:
    """Insert the new schools' organisations and records through core.bulk; return their events (without ids)."""
    if not rows:
        return []
    org_ids = reserve_ids(Organisation, len(rows))
    school_ids = reserve_ids(School, len(rows))
    org_rows, school_rows = [], []
    org_columns: list[str] = []
    school_columns: list[str] = []
    for row, org_id, school_id in zip(rows, org_ids, school_ids, strict=True):
        org_wanted, school_wanted = _targets(row, columns, keys)
        org_wanted.setdefault("parent_id", None)
        org_columns, org_row = _row_values(
            Organisation,
            {
                **org_wanted,
                "id": org_id,
                "kind": OrganisationKind.SCHOOL.value,
                "urn": str(row.urn),
                "created_at": now,
                "updated_at": now,
            },
        )
        school_columns, school_row = _row_values(
            School,
            {
                **school_wanted,
                "id": school_id,
                "organisation_id": org_id,
                "urn": row.urn,
                "created_at": now,
                "updated_at": now,
            },
        )
        org_rows.append(org_row)
        school_rows.append(school_row)
    for start in range(0, len(rows), BATCH * 10):
        insert_rows(Organisation, org_columns, org_rows[start : start + BATCH * 10])
        insert_rows(School, school_columns, school_rows[start : start + BATCH * 10])
    return [
        (
            now,
            actor_id,
            EventKind.SCHOOL_REGISTERED.value,
            _SCHOOL_SUBJECT,
            school_id,
            None,
            "",
            json_text({"import_id": imp.pk}),
            None,
        )
        for school_id in school_ids
    ]


def _update_schools(
    rows: list[GiasRow],
    existing: dict[int, _Stored],
    columns: frozenset[str],
    keys: _Keys,
    *,
    imp: SchoolImport,
    now: Any,
    actor_id: int | None,
) -> list[tuple[Any, ...]]:
    events: list[tuple[Any, ...]] = []
    org_changes: list[tuple[int, dict[str, Any]]] = []
    school_changes: list[tuple[int, dict[str, Any]]] = []
    for row in rows:
        stored = existing[row.values["urn"]]
        org_wanted, school_wanted = _targets(row, columns, keys)
        changed_org = {n: org_wanted[n] for n in _changes(stored.org, org_wanted)}
        changed_school = {n: school_wanted[n] for n in _changes(stored.school, school_wanted)}
        if changed_org:
            org_changes.append((stored.organisation_id, {**changed_org, "updated_at": now}))
        if changed_school:
            school_changes.append((stored.school_id, {**changed_school, "updated_at": now}))
        names = sorted({_field_label(n) for n in [*changed_org, *changed_school]})
        closed = stored.school["is_open"] and changed_school.get("is_open") is False
        kind = EventKind.SCHOOL_CLOSED if closed else EventKind.SCHOOL_DETAILS_CHANGED
        events.append(
            (
                now,
                actor_id,
                kind.value,
                _SCHOOL_SUBJECT,
                stored.school_id,
                None,
                "",
                json_text({"import_id": imp.pk, "fields": names}),
                None,
            )
        )
    _update_rows(Organisation, org_changes)
    _update_rows(School, school_changes)
    return events


def _field_label(name: str) -> str:
    return {
        "parent_id": "responsible_body",
        "local_authority_id": "local_authority",
        "is_active": "status",
    }.get(name, name)


# --- the three ways in ----------------------------------------------------------------------------------------


def _counts_to(imp: SchoolImport, counts: ImportCounts, gias: GiasFile) -> list[str]:
    imp.rows_total = counts.rows
    imp.created, imp.updated, imp.unchanged, imp.rejected = (
        counts.created,
        counts.updated,
        counts.unchanged,
        counts.rejected,
    )
    imp.rejected_rows = [
        {"row": r.row, "urn": r.urn, "name": r.values.get("name"), "error": r.error}
        for r in gias.rows
        if not r.ok
    ]
    imp.warnings = list(gias.warnings)
    return ["rows_total", "created", "updated", "unchanged", "rejected", "rejected_rows", "warnings"]


def _imported_event(imp: SchoolImport, by: User | None) -> None:
    record_event(
        kind=EventKind.SCHOOLS_IMPORTED,
        subject=imp,
        actor=by,
        data={
            "rows": imp.rows_total,
            "created": imp.created,
            "updated": imp.updated,
            "unchanged": imp.unchanged,
            "rejected": imp.rejected,
            "mode": imp.mode,
        },
    )


@dataclass
class FileImport:
    """What `schools_import_file` did: the rows with their outcomes, the counts, and the import record (None for
    a dry run or a refused file)."""

    gias: GiasFile
    counts: ImportCounts
    imp: SchoolImport | None
    refused: str | None = None
    rows_written: list[GiasRow] = field(default_factory=list)


def schools_import_file(
    *, file_name: str, data: bytes, by: User | None, valid_rows: bool = False, dry_run: bool = False
) -> FileImport:
    """Check and import a GIAS file in one go (the command line). The file's bytes are not kept.

    A dry run, or a file with rejected rows without `valid_rows`, writes nothing; the result says what each row
    would do (dry run) or why nothing was written (`refused`).

    Raises:
        GiasFileError: the file as a whole cannot be used.
    """
    _ensure_can_import(by)
    gias = read_gias(data)
    if dry_run:
        return FileImport(gias=gias, counts=gias_check(gias), imp=None)
    rejected = sum(1 for row in gias.rows if not row.ok)
    if rejected and not valid_rows:
        for row in gias.rows:
            row.outcome = "rejected" if not row.ok else None
        return FileImport(
            gias=gias,
            counts=ImportCounts(rows=len(gias.rows), rejected=rejected),
            imp=None,
            refused=f"{rejected} rows have problems, so nothing was imported. Fix them, or use --valid-rows.",
        )
    with transaction.atomic():
        imp = SchoolImport.objects.create(
            file_name=file_name[:255],
            file_sha256=hashlib.sha256(data).hexdigest(),
            encoding=gias.encoding,
            status=SchoolImport.Status.IMPORTING,
            mode=SchoolImport.Mode.VALID_ROWS if valid_rows else SchoolImport.Mode.ALL_OR_NOTHING,
            created_by=by,
        )
        counts = gias_apply(gias, imp=imp, valid_rows=valid_rows, by=by)
        fields = _counts_to(imp, counts, gias)
        imp.rows_done = counts.rows
        imp.status = SchoolImport.Status.COMPLETED
        imp.finished_at = timezone.now()
        imp.save(update_fields=[*fields, "rows_done", "status", "finished_at", "updated_at"])
        _imported_event(imp, by)
    return FileImport(gias=gias, counts=counts, imp=imp)


@transaction.atomic
def school_import_start(*, file_name: str, data: bytes, by: User | None) -> SchoolImport:
    """Take an uploaded GIAS file: read and check it, keep it until it is imported. Nothing else is written.

    Raises:
        GiasFileError: the file as a whole cannot be used (nothing is kept).
        NotPermitted: the person may not import schools.
    """
    _ensure_can_import(by)
    gias = read_gias(data)
    counts = gias_check(gias)
    imp = SchoolImport(
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        stored_file=evidence_store(data, folder="school-imports", suffix=".csv").name,
        encoding=gias.encoding,
        created_by=by,
    )
    _counts_to(imp, counts, gias)
    imp.save()
    return imp


@transaction.atomic
def school_import_queue(*, imp: SchoolImport, mode: str, by: User | None) -> SchoolImport:
    """Confirm a checked import; it runs in the background (`recipients.tasks.run_school_import`)."""
    _ensure_can_import(by)
    locked = SchoolImport.objects.select_for_update().get(pk=imp.pk)
    if locked.status != SchoolImport.Status.CHECKED:
        raise DomainError("This import has already started.")
    if mode not in SchoolImport.Mode.values:
        raise DomainError("Choose how to import.", field="mode")
    if mode == SchoolImport.Mode.ALL_OR_NOTHING and locked.rejected:
        raise DomainError(
            f"{locked.rejected} rows have problems, so the whole file cannot be imported. Fix them and upload "
            "again, or choose to import the valid rows.",
            field="mode",
        )
    if mode == SchoolImport.Mode.VALID_ROWS and locked.rejected == locked.rows_total:
        raise DomainError("No row of this file can be imported.", field="mode")
    locked.mode = mode
    locked.status = SchoolImport.Status.QUEUED
    locked.save(update_fields=["mode", "status", "updated_at"])
    enqueue_on_commit("devicebank.recipients.tasks.run_school_import", locked.pk)
    return locked


def school_import_run(*, import_id: int) -> SchoolImport:
    """Do a queued import. Safe to run twice: only the run that claims the QUEUED row does anything. It always
    ends COMPLETED or FAILED (with a reason: core.jobs), and the kept file is dropped either way."""
    S = SchoolImport.Status
    claimed = job_claim(SchoolImport, import_id, waiting=S.QUEUED, running=S.IMPORTING, rows_done=0)
    imp = SchoolImport.objects.select_related("created_by").get(pk=import_id)
    if not claimed:
        return imp
    try:
        gias = read_gias(evidence_read(imp.stored_file, imp.file_sha256))
        with transaction.atomic():
            counts = gias_apply(
                gias,
                imp=imp,
                valid_rows=imp.mode == SchoolImport.Mode.VALID_ROWS,
                by=imp.created_by,
                progress=lambda done: _progress(import_id, done),
            )
            if not SchoolImport.objects.filter(pk=import_id, status=S.IMPORTING).update(
                updated_at=timezone.now()
            ):
                raise JobEnded(f"School import {import_id} was ended by the sweeper before it finished.")
            fields = _counts_to(imp, counts, gias)
            imp.rows_done = counts.rows
            imp.status = SchoolImport.Status.COMPLETED
            imp.finished_at = timezone.now()
            evidence_delete(imp.stored_file)  # GIAS data is public: the file is kept only for the job
            imp.stored_file = ""
            imp.save(
                update_fields=[*fields, "rows_done", "status", "finished_at", "stored_file", "updated_at"]
            )
            _imported_event(imp, imp.created_by)
    except Exception as error:  # a job must end, whatever it meets: job_fail keeps a reason a person can read
        job_fail(SchoolImport, import_id, error, expected=[S.IMPORTING])
    imp.refresh_from_db()
    return imp


def _progress(import_id: int, done: int) -> None:
    SchoolImport.objects.filter(pk=import_id).update(rows_done=done)
