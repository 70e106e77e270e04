"""Make the event log append-only in the database itself, not only in the ORM.

UPDATE may only set processed_at (the outbox marker); on PostgreSQL DELETE is refused too. SQLite keeps
DELETE open because Django's test flush empties tables with DELETE; the ORM refuses deletes there.
"""

from django.db import migrations

SQLITE_FORWARD = """
CREATE TRIGGER core_event_append_only_update
BEFORE UPDATE ON core_event
WHEN NEW.id IS NOT OLD.id OR NEW.occurred_at IS NOT OLD.occurred_at OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.kind IS NOT OLD.kind OR NEW.subject_type IS NOT OLD.subject_type OR NEW.subject_id IS NOT OLD.subject_id
  OR NEW.programme_id IS NOT OLD.programme_id OR NEW.reason IS NOT OLD.reason OR NEW.data IS NOT OLD.data
BEGIN
  SELECT RAISE(ABORT, 'core_event is append-only: only processed_at may change');
END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS core_event_append_only_update;"

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION core_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'core_event is append-only: events cannot be deleted';
  END IF;
  IF (NEW.id, NEW.occurred_at, NEW.actor_id, NEW.kind, NEW.subject_type, NEW.subject_id, NEW.programme_id,
      NEW.reason, NEW.data::text)
     IS DISTINCT FROM
     (OLD.id, OLD.occurred_at, OLD.actor_id, OLD.kind, OLD.subject_type, OLD.subject_id, OLD.programme_id,
      OLD.reason, OLD.data::text) THEN
    RAISE EXCEPTION 'core_event is append-only: only processed_at may change';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_event_append_only
BEFORE UPDATE OR DELETE ON core_event
FOR EACH ROW EXECUTE FUNCTION core_event_append_only();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS core_event_append_only ON core_event;
DROP FUNCTION IF EXISTS core_event_append_only();
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_event_actor")]
    operations = [migrations.RunPython(forward, reverse)]
