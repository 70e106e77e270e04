"""Services queue background jobs by name, after the commit (core.tasks.enqueue_on_commit)."""

from __future__ import annotations

from typing import Any

import pytest
from celery import shared_task

from devicebank.core.tasks import enqueue_on_commit

RAN: list[int] = []


@shared_task(name="tests.core.remember")
def remember(value: int) -> None:
    RAN.append(value)


@pytest.mark.django_db
def test_the_job_runs_only_once_the_transaction_commits(django_capture_on_commit_callbacks: Any) -> None:
    RAN.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit("devicebank.core.tests.test_tasks.remember", 7)
        assert RAN == []
    assert len(callbacks) == 1
    assert RAN == [7]


@pytest.mark.django_db
def test_a_name_that_is_not_a_task_is_refused_before_anything_is_queued() -> None:
    with pytest.raises(TypeError, match="not a Celery task"):
        enqueue_on_commit("devicebank.core.tasks.enqueue_on_commit", 1)
    with pytest.raises(ImportError):
        enqueue_on_commit("devicebank.donations.tasks.no_such_task", 1)
