"""Every Celery task routes to a queue a worker consumes (`make worker` runs -Q default)."""

from __future__ import annotations

from django.conf import settings

from devicebank.celery import app

WORKER_QUEUES = {"default"}


def test_every_task_goes_to_a_queue_with_a_worker() -> None:
    app.loader.import_default_modules()
    ours = [name for name in app.tasks if name.startswith("devicebank.")]
    routes = app.conf.task_routes or {}
    for name in ours:
        queue = (routes.get(name) or {}).get("queue", settings.CELERY_TASK_DEFAULT_QUEUE)
        assert queue in WORKER_QUEUES, f"{name} goes to {queue}, which no worker consumes"


def test_tasks_run_eagerly_without_a_broker() -> None:
    assert settings.CELERY_TASK_ALWAYS_EAGER
    assert app.conf.task_always_eager
