"""Shared by migrations that alter core_event: SQLite rebuilds the table and drops its triggers.

Any later migration that alters core_event must end with RunPython(recreate_sqlite_event_trigger).
core/tests/test_events.py checks the guard holds after all migrations.
"""

from typing import Any


def recreate_sqlite_event_trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL keeps row triggers across ALTER TABLE
    module = __import__("devicebank.core.migrations.0003_event_append_only_triggers", fromlist=["x"])
    schema_editor.execute(module.SQLITE_REVERSE)
    schema_editor.execute(module.SQLITE_FORWARD)
