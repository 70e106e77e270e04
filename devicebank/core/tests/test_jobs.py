"""Background jobs end done or failed whatever they raise, and the sweeper fails the ones left stuck."""

from __future__ import annotations

import logging
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from devicebank.conftest import World
from devicebank.core.errors import DomainError
from devicebank.core.jobs import failure_reason, job_fail, jobs_sweep, registered_jobs
from devicebank.core.tasks import sweep_jobs
from devicebank.donations.models import RegisterImport
from devicebank.donations.services import donation_create
from devicebank.sanitisation.models import CertificateBatch


def test_every_model_with_a_status_and_a_finish_time_is_a_registered_job() -> None:
    """A job model nobody registered would never be swept: register it in its AppConfig.ready()
    (core.jobs.register_job)."""
    registered = {job.key for job in registered_jobs()}
    for model in apps.get_models():
        names = {field.name for field in model._meta.get_fields()}
        if {"status", "finished_at"} <= names:
            assert model._meta.label in registered, (
                f"{model._meta.label} looks like a job but is not registered"
            )


def test_a_domain_error_keeps_its_message_for_the_person() -> None:
    assert failure_reason(DomainError("Row 3 has no serial."), job="import", pk=1) == "Row 3 has no serial."


def test_any_other_error_is_logged_with_a_reference_and_the_person_sees_only_the_reference(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="devicebank.jobs"):
        try:
            raise KeyError("secret_column_name")
        except KeyError as error:
            reason = failure_reason(error, job="register import", pk=42)
    assert "secret_column_name" not in reason
    assert "KeyError" not in reason
    reference = reason.split("(reference ")[1].split(")")[0]
    assert len(reference) == 8
    [record] = caplog.records
    assert reference in record.getMessage()
    assert "KeyError" in record.getMessage()
    assert record.exc_info is not None  # the traceback is in the log, for us


def _import(world: World, status: str, *, minutes_ago: int) -> RegisterImport:
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    imp = RegisterImport.objects.create(
        donation=donation, file_name="r.csv", file_sha256="0" * 64, status=status
    )
    RegisterImport.objects.filter(pk=imp.pk).update(
        updated_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return imp


def _batch(world: World, status: str, *, minutes_ago: int) -> CertificateBatch:
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    batch = CertificateBatch.objects.create(donation=donation, status=status)
    CertificateBatch.objects.filter(pk=batch.pk).update(
        updated_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return batch


def test_the_sweeper_fails_jobs_stuck_past_the_timeout_and_leaves_the_rest(world: World) -> None:
    S, B = RegisterImport.Status, CertificateBatch.Status
    stuck_import = _import(world, S.IMPORTING, minutes_ago=61)
    lost_message = _import(world, S.QUEUED, minutes_ago=90)
    busy_import = _import(world, S.IMPORTING, minutes_ago=5)
    done_import = _import(world, S.COMPLETED, minutes_ago=600)
    waiting_person = _import(world, S.VALIDATED, minutes_ago=600)  # waits for a person, not a worker
    stuck_batch = _batch(world, B.RUNNING, minutes_ago=61)
    result = jobs_sweep(timeout=timedelta(minutes=60))
    assert result.running == {
        "donations.RegisterImport": [stuck_import.pk],
        "sanitisation.CertificateBatch": [stuck_batch.pk],
    }
    assert result.waiting == {"donations.RegisterImport": [lost_message.pk]}
    for job in (stuck_import, lost_message, stuck_batch):
        job.refresh_from_db()
        assert job.status == "failed"
        assert job.finished_at is not None
        assert "60 minutes" in job.error
    for job, status in (
        (busy_import, S.IMPORTING),
        (done_import, S.COMPLETED),
        (waiting_person, S.VALIDATED),
    ):
        job.refresh_from_db()
        assert job.status == status
    # running it again changes nothing
    assert jobs_sweep(timeout=timedelta(minutes=60)).total == 0


def test_the_sweeper_leaves_a_job_that_finished_between_its_look_and_its_update(world: World) -> None:
    imp = _import(world, RegisterImport.Status.IMPORTING, minutes_ago=61)
    RegisterImport.objects.filter(pk=imp.pk).update(status=RegisterImport.Status.COMPLETED)
    assert (
        job_fail(RegisterImport, imp.pk, RuntimeError("late"), expected=[RegisterImport.Status.IMPORTING])
        is False
    )
    imp.refresh_from_db()
    assert imp.status == RegisterImport.Status.COMPLETED
    assert imp.error == ""


def test_the_sweep_command_reports_and_a_dry_run_changes_nothing(world: World) -> None:
    imp = _import(world, RegisterImport.Status.IMPORTING, minutes_ago=30)
    out = StringIO()
    call_command("sweep-jobs", "--older-than-minutes", "20", "--dry-run", stdout=out)
    assert f"donations.RegisterImport: would fail 1 running (ids {imp.pk})" in out.getvalue()
    imp.refresh_from_db()
    assert imp.status == RegisterImport.Status.IMPORTING
    call_command("sweep-jobs", stdout=StringIO())  # default timeout: 60 minutes, so not yet
    imp.refresh_from_db()
    assert imp.status == RegisterImport.Status.IMPORTING
    out = StringIO()
    call_command("sweep-jobs", "--older-than-minutes", "20", stdout=out)
    assert "1 stuck job(s) failed" in out.getvalue()
    imp.refresh_from_db()
    assert imp.status == RegisterImport.Status.FAILED


def test_celery_beat_runs_the_sweep(world: World, settings: Any) -> None:
    assert settings.CELERY_BEAT_SCHEDULE["sweep-jobs"]["task"] == "devicebank.core.sweep_jobs"
    assert sweep_jobs.name == "devicebank.core.sweep_jobs"
    imp = _import(world, RegisterImport.Status.QUEUED, minutes_ago=61)
    assert sweep_jobs.delay().get() == 1
    imp.refresh_from_db()
    assert imp.status == RegisterImport.Status.FAILED
