"""A donation's certificate pack ends done or failed with a reason, whatever its job meets (core.jobs)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from devicebank.conftest import World
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import make_device
from devicebank.donations.services import donation_create
from devicebank.sanitisation import certificates
from devicebank.sanitisation.models import Certificate, CertificateBatch
from devicebank.sanitisation.services import certificate_batch_run


def _batch(world: World) -> CertificateBatch:
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    device = make_device(programme=world.programme, location=world.warehouse, state=DeviceState.SANITISED)
    Device.objects.filter(pk=device.pk).update(donation=donation)
    return CertificateBatch.objects.create(donation=donation, requested_by=world.user("technician"))


def test_an_unexpected_error_fails_the_pack_with_a_reference_and_issues_no_certificate(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = _batch(world)

    def broken(pages: Any) -> list[bytes]:
        raise OSError("/usr/share/fonts/secret-path missing")

    monkeypatch.setattr(certificates, "render_each", broken)
    done = certificate_batch_run(batch_id=batch.pk)
    assert done.status == CertificateBatch.Status.FAILED
    assert done.finished_at is not None
    assert "reference" in done.error
    assert "secret-path" not in done.error
    assert not Certificate.objects.exists()


def test_a_pack_the_sweeper_ended_issues_nothing_when_it_comes_back(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    batch = _batch(world)
    real = certificates.render_each

    def slow(pages: Any) -> list[bytes]:
        # The sweeper ends the job while it works. (Here its UPDATE runs inside the job's transaction and is
        # rolled back with it; in production it commits on its own, and the job's rollback leaves it standing.)
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=CertificateBatch.Status.FAILED, error="swept"
        )
        return real(pages)

    monkeypatch.setattr(certificates, "render_each", slow)
    with caplog.at_level(logging.WARNING, logger="devicebank.jobs"):
        done = certificate_batch_run(batch_id=batch.pk)
    assert done.status != CertificateBatch.Status.DONE
    assert not Certificate.objects.exists()
    assert "ended by the sweeper" in caplog.text


def test_a_second_delivery_of_the_same_job_does_nothing(world: World) -> None:
    batch = _batch(world)
    assert certificate_batch_run(batch_id=batch.pk).status == CertificateBatch.Status.DONE
    assert certificate_batch_run(batch_id=batch.pk).status == CertificateBatch.Status.DONE
    assert Certificate.objects.count() == 2  # the device's and the donation's, once
