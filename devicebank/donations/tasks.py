"""Background jobs for donations. They take ids, call a service, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="devicebank.donations.run_register_import")
def run_register_import(import_id: int) -> None:
    from devicebank.donations.services import register_import_run

    register_import_run(import_id=import_id)
