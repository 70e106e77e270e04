"""A GIAS import ends completed or failed with a reason, whatever its job meets (core.jobs)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from devicebank.conftest import World
from devicebank.core.evidence import evidence_storage
from devicebank.core.jobs import jobs_sweep
from devicebank.recipients import services
from devicebank.recipients.models import School, SchoolImport
from devicebank.recipients.services import school_import_run, school_import_start
from devicebank.recipients.tests.conftest import FIXTURE


def _queued(world: World) -> SchoolImport:
    imp = school_import_start(file_name="gias.csv", data=FIXTURE.read_bytes(), by=world.user("manager"))
    SchoolImport.objects.filter(pk=imp.pk).update(status=SchoolImport.Status.QUEUED)
    return imp


def test_an_unexpected_error_fails_the_import_with_a_reference_and_drops_the_file(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    imp = _queued(world)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise MemoryError("internal detail")

    monkeypatch.setattr(services, "gias_apply", broken)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the failure is committed
        done = school_import_run(import_id=imp.pk)
    assert done.status == SchoolImport.Status.FAILED
    assert "reference" in done.error
    assert "internal detail" not in done.error
    assert done.stored_file == ""
    assert not evidence_storage().exists(imp.stored_file)
    assert not School.objects.exists()


def test_the_sweeper_fails_a_stuck_school_import_and_drops_its_file(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    imp = _queued(world)
    SchoolImport.objects.filter(pk=imp.pk).update(
        status=SchoolImport.Status.IMPORTING, updated_at=timezone.now() - timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_sweep().running == {"recipients.SchoolImport": [imp.pk]}
    kept = imp.stored_file
    imp.refresh_from_db()
    assert (imp.status, imp.stored_file) == (SchoolImport.Status.FAILED, "")
    assert kept
    assert not evidence_storage().exists(kept)
