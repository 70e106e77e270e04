"""Background jobs for sanitisation. They take ids, call a service, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="devicebank.sanitisation.run_certificate_batch")
def run_certificate_batch(batch_id: int) -> None:
    from devicebank.sanitisation.services import certificate_batch_run

    certificate_batch_run(batch_id=batch_id)
