"""Background jobs for sanitisation. They take ids, call a service, and are safe to run twice.

Services queue them by name (core.tasks.enqueue_on_commit), so this module may import the services it calls.
"""

from __future__ import annotations

from celery import shared_task

from devicebank.sanitisation.services import certificate_batch_run


@shared_task(name="devicebank.sanitisation.run_certificate_batch")
def run_certificate_batch(batch_id: int) -> None:
    certificate_batch_run(batch_id=batch_id)
