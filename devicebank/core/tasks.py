"""Queueing background jobs from services without importing the tasks that call those services back.

A task module imports its app's services (tasks take ids and call a service); a service that queues a job names
the task by its dotted path instead of importing the task module, so the two never form an import circle.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import transaction
from django.utils.module_loading import import_string

from devicebank.core.jobs import jobs_sweep


def enqueue_on_commit(task: str, *args: Any) -> None:
    """Queue the Celery task at dotted path `task` (``"devicebank.<app>.tasks.<name>"``) once the current
    transaction commits, so the worker never sees rows that were rolled back. Ids only in `args`.

    The path is resolved now, inside the caller's transaction, so a wrong name fails the service call (and its
    tests) instead of being lost after the commit. Without a broker the task runs eagerly, after the commit.
    """
    job = import_string(task)
    if not callable(getattr(job, "delay", None)):
        raise TypeError(f"{task} is not a Celery task")
    transaction.on_commit(lambda: job.delay(*args))


@shared_task(name="devicebank.core.sweep_jobs")
def sweep_jobs() -> int:
    """Celery beat runs this every few minutes (settings.CELERY_BEAT_SCHEDULE): fail jobs stuck past the
    timeout. Installs without a broker run `devicebank sweep-jobs` from cron instead."""
    return jobs_sweep().total
