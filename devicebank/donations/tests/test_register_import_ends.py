"""A register import ends completed or failed with a reason, whatever its job meets (core.jobs)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from devicebank.conftest import World
from devicebank.devices.models import Device
from devicebank.donations import services
from devicebank.donations.models import RegisterImport
from devicebank.donations.services import donation_create, register_import_run, register_import_start
from devicebank.donations.tests.test_donation_services import REGISTER


def _queued(world: World) -> RegisterImport:
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    imp, _ = register_import_start(
        donation=donation, file_name="r.csv", data=REGISTER, by=world.user("warehouse")
    )
    RegisterImport.objects.filter(pk=imp.pk).update(status=RegisterImport.Status.QUEUED)
    return imp


def test_an_unexpected_error_fails_the_import_with_a_reference_and_writes_no_device(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    imp = _queued(world)

    def broken(**kwargs: Any) -> list[str]:
        raise ZeroDivisionError("internal detail")

    monkeypatch.setattr(services, "device_bulk_register", broken)
    done = register_import_run(import_id=imp.pk)
    assert done.status == RegisterImport.Status.FAILED
    assert done.finished_at is not None
    assert "reference" in done.error
    assert "internal detail" not in done.error
    assert "ZeroDivisionError" not in done.error
    assert not Device.objects.filter(donation=imp.donation).exists()


def test_an_import_the_sweeper_ended_writes_nothing_when_it_comes_back(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    imp = _queued(world)
    real = services.device_bulk_register

    def slow(**kwargs: Any) -> list[str]:
        # The sweeper ends the job while it works. (Here its UPDATE runs inside the job's transaction and is
        # rolled back with it; in production it commits on its own, and the job's rollback leaves it standing.)
        RegisterImport.objects.filter(pk=imp.pk).update(status=RegisterImport.Status.FAILED, error="swept")
        return real(**kwargs)

    monkeypatch.setattr(services, "device_bulk_register", slow)
    with caplog.at_level(logging.WARNING, logger="devicebank.jobs"):
        done = register_import_run(import_id=imp.pk)
    assert done.status != RegisterImport.Status.COMPLETED
    assert not Device.objects.filter(donation=imp.donation).exists()
    assert "ended by the sweeper" in caplog.text


def test_a_second_delivery_of_the_same_job_does_nothing(world: World) -> None:
    imp = _queued(world)
    first = register_import_run(import_id=imp.pk)
    assert first.status == RegisterImport.Status.COMPLETED, first.error
    second = register_import_run(import_id=imp.pk)
    assert second.status == RegisterImport.Status.COMPLETED
    assert Device.objects.filter(donation=imp.donation).count() == 3
