"""Background jobs for recipients. They take ids, call a service, and are safe to run twice.

Services queue them by name (core.tasks.enqueue_on_commit), so this module may import the services it calls.
"""

from __future__ import annotations

from celery import shared_task

from devicebank.recipients.services import school_import_run


@shared_task(name="devicebank.recipients.run_school_import")
def run_school_import(import_id: int) -> None:
    school_import_run(import_id=import_id)
