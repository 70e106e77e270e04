"""Loading reference data: local authorities, the Indices of Deprivation, the postcode directory.

Each load is one transaction: a file lands whole or not at all, and one `REFERENCE_DATA_LOADED` event records it
(counts only). Local authorities and deprivation are small and must be right, so one bad row refuses the file;
the postcode directory has 2.7 million rows of ONS's own making, so a row that cannot be read is skipped and
counted instead of stopping the load.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection, transaction

from devicebank.core.bulk import insert_rows
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.places.models import DatasetLoad, District, LocalAuthority, Lsoa, Postcode
from devicebank.places.readers import (
    LocalAuthorityRow,
    PostcodeRow,
    PostcodeTally,
    ReferenceFileError,
    RowProblem,
    read_imd,
    read_local_authorities,
    read_postcodes,
)

if TYPE_CHECKING:
    from devicebank.people.models import User

POSTCODE_COLUMNS = ["key", "terminated_on", "district_code", "lsoa11", "lsoa21"]
POSTCODE_CHUNK = 20_000
UNITARY_PREFIXES = ("E06", "E08", "E09")  # unitary, metropolitan and London: district and authority at once


@dataclass
class LoadResult:
    load: DatasetLoad
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def _refuse(problems: list[RowProblem], what: str) -> ReferenceFileError:
    shown = "; ".join(f"row {p.row}: {p.message}" for p in problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return ReferenceFileError(
        f"Nothing was loaded: {len(problems)} rows of the {what} cannot be read. {shown}{more}"
    )


def _record(load: DatasetLoad, by: User | None) -> None:
    record_event(
        kind=EventKind.REFERENCE_DATA_LOADED,
        subject=load,
        actor=by,
        data={
            "dataset": load.dataset,
            "rows_loaded": load.rows_loaded,
            "rows_skipped": load.rows_skipped,
        },
    )


def _start(dataset: str, file_name: str, sha256: str, by: User | None) -> DatasetLoad:
    return DatasetLoad.objects.create(
        dataset=dataset, file_name=file_name[:255], file_sha256=sha256, loaded_by=by
    )


def _finish(load: DatasetLoad, *, read: int, loaded: int, skipped: int, by: User | None) -> None:
    load.rows_read, load.rows_loaded, load.rows_skipped = read, loaded, skipped
    load.save(update_fields=["rows_read", "rows_loaded", "rows_skipped", "updated_at"])
    _record(load, by)


# --- local authorities ----------------------------------------------------------------------------------------


@transaction.atomic
def local_authorities_load(
    *, lines: Iterable[str], file_name: str, by: User | None, sha256: str = ""
) -> LoadResult:
    """Create or update the authorities in the file, keyed by GIAS code; authorities not in it are left alone.

    An ONS code in the file is kept; a blank one never clears a code learnt before.

    Raises:
        ReferenceFileError: the file cannot be read, or any row cannot (nothing is written).
    """
    rows, problems = read_local_authorities(lines)
    if problems:
        raise _refuse(problems, "local authority list")
    if not rows:
        raise ReferenceFileError("The file lists no local authorities.")
    existing = {
        la.gias_code: la for la in LocalAuthority.objects.filter(gias_code__in=[r.gias_code for r in rows])
    }
    load = _start(DatasetLoad.Dataset.LOCAL_AUTHORITIES, file_name, sha256, by)
    result = LoadResult(load=load)
    for row in rows:
        la = existing.get(row.gias_code)
        if la is None:
            LocalAuthority.objects.create(
                gias_code=row.gias_code, name=row.name, short_code=row.short_code, ons_code=row.ons_code
            )
            result.created += 1
            continue
        changed = _apply(la, row)
        if changed:
            la.save(update_fields=[*changed, "updated_at"])
            result.updated += 1
        else:
            result.unchanged += 1
    link_districts()
    _finish(load, read=len(rows), loaded=result.created + result.updated + result.unchanged, skipped=0, by=by)
    return result


def _apply(la: LocalAuthority, row: LocalAuthorityRow) -> list[str]:
    changed = []
    for name in ("name", "short_code", "ons_code"):
        value = getattr(row, name)
        if name != "name" and not value:
            continue  # a blank in the file never clears what is known
        if getattr(la, name) != value:
            setattr(la, name, value)
            changed.append(name)
    return changed


def local_authority_ensure(*, gias_code: str, name: str) -> LocalAuthority:
    """The authority with this GIAS code, created from what a GIAS extract says when the list was not loaded."""
    la = LocalAuthority.objects.filter(gias_code=gias_code).first()
    if la is None:
        la = LocalAuthority.objects.create(
            gias_code=gias_code, name=name[:100] or f"Local authority {gias_code}"
        )
    return la


_NAME_NOISE = re.compile(r"[^a-z0-9 ]+")


def _name_key(name: str) -> str:
    text = name.casefold().replace("&", " and ")
    return " ".join(_NAME_NOISE.sub(" ", text).split())


def link_districts() -> None:
    """Tie authorities and districts together where the data says so.

    An authority with an ONS code owns the district of that code. One without takes the code of the unitary,
    metropolitan or London district with exactly its name ("Camden" is E09000007); abbreviations in the DfE list
    ("Bath and NE Somerset") are left to the GIAS import, which sees which districts each authority's schools are in.
    """
    districts = {d.code: d for d in District.objects.all()}
    by_name: dict[str, list[District]] = defaultdict(list)
    for district in districts.values():
        if district.code.startswith(UNITARY_PREFIXES) and district.name:
            by_name[_name_key(district.name)].append(district)
    taken = set(LocalAuthority.objects.exclude(ons_code="").values_list("ons_code", flat=True))
    for la in LocalAuthority.objects.all():
        if not la.ons_code:
            matches = by_name.get(_name_key(la.name), [])
            if len(matches) == 1 and matches[0].code not in taken:
                la.ons_code = matches[0].code
                taken.add(la.ons_code)
                la.save(update_fields=["ons_code", "updated_at"])
        own = districts.get(la.ons_code) if la.ons_code else None
        if own is not None and own.local_authority_id != la.pk:
            own.local_authority = la
            own.save(update_fields=["local_authority"])


def districts_link_from_schools(pairs: Iterable[tuple[str, str, str]]) -> None:
    """Learn which authority each district belongs to from where schools are: (GIAS LA code, district code, name).

    Each district goes to the authority most of its schools belong to, unless it already has one. An authority
    whose schools are all in one unitary, metropolitan or London district takes that district's code.
    """
    votes: Counter[tuple[str, str]] = Counter()
    names: dict[str, str] = {}
    for la_code, district_code, district_name in pairs:
        if la_code and district_code:
            votes[(district_code, la_code)] += 1
            names.setdefault(district_code, district_name)
    if not votes:
        return
    best: dict[str, str] = {}
    for (district_code, la_code), _count in votes.most_common():
        best.setdefault(district_code, la_code)
    authorities = {la.gias_code: la for la in LocalAuthority.objects.filter(gias_code__in=set(best.values()))}
    existing = {d.code: d for d in District.objects.filter(code__in=list(best))}
    District.objects.bulk_create(
        [District(code=code, name=names.get(code, "")[:100]) for code in best if code not in existing],
        ignore_conflicts=True,
    )
    for district in District.objects.filter(code__in=list(best)).select_related("local_authority"):
        la = authorities.get(best[district.code])
        changed = []
        if la is not None and district.local_authority_id is None:
            district.local_authority = la
            changed.append("local_authority")
        if not district.name and names.get(district.code):
            district.name = names[district.code][:100]
            changed.append("name")
        if changed:
            district.save(update_fields=changed)
    per_la: dict[str, set[str]] = defaultdict(set)
    for district_code, la_code in best.items():
        per_la[la_code].add(district_code)
    taken = set(LocalAuthority.objects.exclude(ons_code="").values_list("ons_code", flat=True))
    for la_code, codes in per_la.items():
        la = authorities.get(la_code)
        only = next(iter(codes)) if len(codes) == 1 else ""
        if la is not None and not la.ons_code and only.startswith(UNITARY_PREFIXES) and only not in taken:
            la.ons_code = only
            taken.add(only)
            la.save(update_fields=["ons_code", "updated_at"])


# --- Indices of Deprivation -----------------------------------------------------------------------------------


@transaction.atomic
def imd_load(*, lines: Iterable[str], file_name: str, by: User | None, sha256: str = "") -> LoadResult:
    """Load (or reload) every LSOA's IMD 2019 rank and decile, and the districts the file names.

    Raises:
        ReferenceFileError: the file cannot be read, or any row cannot (nothing is written).
    """
    rows, problems = read_imd(lines)
    if problems:
        raise _refuse(problems, "deprivation file")
    if not rows:
        raise ReferenceFileError("The file has no LSOAs below its header.")
    known = set(Lsoa.objects.values_list("code", flat=True))
    load = _start(DatasetLoad.Dataset.IMD, file_name, sha256, by)
    Lsoa.objects.bulk_create(
        [
            Lsoa(
                code=r.lsoa_code,
                name=r.lsoa_name,
                district_code=r.district_code,
                imd_rank=r.rank,
                imd_decile=r.decile,
            )
            for r in rows
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "district_code", "imd_rank", "imd_decile"],
        batch_size=2000,
    )
    names = {r.district_code: r.district_name for r in rows if r.district_code}
    District.objects.bulk_create(
        [District(code=code, name=name) for code, name in names.items()],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    link_districts()
    created = sum(1 for r in rows if r.lsoa_code not in known)
    _finish(load, read=len(rows), loaded=len(rows), skipped=0, by=by)
    return LoadResult(load=load, created=created, updated=len(rows) - created)


# --- the postcode directory -----------------------------------------------------------------------------------


@dataclass
class PostcodeLoadResult:
    load: DatasetLoad
    tally: PostcodeTally

    @property
    def loaded(self) -> int:
        return self.load.rows_loaded


@transaction.atomic
def postcodes_load(
    *,
    lines: Iterable[str],
    file_name: str,
    by: User | None,
    sha256: str = "",
    progress: Callable[[int], None] | None = None,
) -> PostcodeLoadResult:
    """Replace the postcode directory with the file's, streaming it in chunks of 20,000 rows.

    The old directory stays readable by others until the new one commits (a DELETE, not a TRUNCATE, which would
    lock readers out on PostgreSQL for the minutes a full load takes).

    Raises:
        ReferenceFileError: the header is not a postcode directory's, or no row could be read.
    """
    tally = PostcodeTally()
    rows = read_postcodes(lines, tally)  # reads the header now: a wrong file fails before anything is deleted
    first = next(rows, None)
    if first is None:
        raise ReferenceFileError("No postcodes could be read from the file." + _examples(tally))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Postcode._meta.db_table)}")  # noqa: S608
    load = _start(DatasetLoad.Dataset.POSTCODES, file_name, sha256, by)
    districts: set[str] = set()
    batch = [first]
    loaded = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= POSTCODE_CHUNK:
            loaded += _write_postcodes(batch, districts)
            batch = []
            if progress is not None:
                progress(loaded)
    loaded += _write_postcodes(batch, districts)
    if progress is not None:
        progress(loaded)
    if connection.vendor == "postgresql":
        # The table's statistics describe the old directory (or none): without fresh ones the planner scans all
        # 2.7 million rows for one postcode until autovacuum gets round to it (24 ms a lookup instead of 0.1).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Postcode._meta.db_table)}")
    known = set(District.objects.filter(code__in=list(districts)).values_list("code", flat=True))
    District.objects.bulk_create([District(code=code) for code in districts - known], ignore_conflicts=True)
    _finish(load, read=tally.rows, loaded=loaded, skipped=tally.skipped, by=by)
    return PostcodeLoadResult(load=load, tally=tally)


def _write_postcodes(batch: list[PostcodeRow], districts: set[str]) -> int:
    if batch:
        insert_rows(Postcode, POSTCODE_COLUMNS, batch)
        districts.update(row[2] for row in batch if row[2])
    return len(batch)


def _examples(tally: PostcodeTally) -> str:
    if not tally.problems:
        return ""
    return " " + "; ".join(f"row {p.row}: {p.message}" for p in tally.problems[:3])
