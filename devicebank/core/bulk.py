"""Bulk writes for imports and synthetic data: reserve ids, then COPY (PostgreSQL) or executemany (SQLite).

Used where thousands of rows must land in seconds (asset registers, benchmarks). Callers keep the domain rules:
these helpers only move rows, inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Ids for `count` new rows, safe against concurrent writers.

    PostgreSQL draws them from the table's sequence. SQLite has one writer at a time (transactions start
    IMMEDIATE), so within the caller's transaction max(id)+1 onwards is free.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
    first = int(model._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1
    return list(range(first, first + count))


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert raw rows (values in `columns` order; JSON columns as already-encoded strings)."""
    if not rows:
        return
    if model._meta.label_lower == "core.event" and settings.DEVICEBANK_CHECK_EVENT_DATA:
        _check_event_rows(columns, rows)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3: COPY is the fastest way in
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608 - names from our models
            _sqlite_rows(rows),
        )


def _check_event_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """core.privacy's rule for events written in bulk (on in the test settings)."""
    from devicebank.core.privacy import check_event

    kind, reason, data = columns.index("kind"), columns.index("reason"), columns.index("data")
    for row in rows:
        check_event(
            row[kind], row[reason], json.loads(row[data]) if isinstance(row[data], str) else row[data]
        )


def _sqlite_rows(rows: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    """SQLite stores datetimes as text: convert those cells (found from every column's first value)."""
    dated = [i for i, value in enumerate(rows[0]) if isinstance(value, datetime)]
    if not dated:
        return list(rows)
    out: list[Sequence[Any]] = []
    for row in rows:
        cells = list(row)
        for i in dated:
            value = cells[i]
            if isinstance(value, datetime):
                cells[i] = value.isoformat(" ")
        out.append(cells)
    return out


def json_text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


def sync_sequences(models_: Sequence[type[models.Model]]) -> None:
    """After inserting explicit ids on SQLite/PostgreSQL, make the next default id follow them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# core.Event's columns in the order bulk writers give them (see `insert_rows`).
EVENT_COLUMNS = [
    "id",
    "occurred_at",
    "actor_id",
    "kind",
    "subject_type",
    "subject_id",
    "programme_id",
    "reason",
    "data",
    "processed_at",
]
