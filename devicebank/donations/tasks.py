"""Background jobs for donations. They take ids, call a service, and are safe to run twice.

Services queue them by name (core.tasks.enqueue_on_commit), so this module may import the services it calls.
"""

from __future__ import annotations

from celery import shared_task

from devicebank.donations.services import register_import_check, register_import_run


@shared_task(name="devicebank.donations.check_register_import")
def check_register_import(import_id: int) -> None:
    register_import_check(import_id=import_id)


@shared_task(name="devicebank.donations.run_register_import")
def run_register_import(import_id: int) -> None:
    register_import_run(import_id=import_id)
