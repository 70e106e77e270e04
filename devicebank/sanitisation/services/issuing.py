"""Certificates of sanitisation: one device's, or a whole donation's in the background."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.evidence import evidence_read, evidence_store
from devicebank.core.jobs import JobEnded, job_claim, job_fail
from devicebank.core.models import EventKind
from devicebank.core.tasks import enqueue_on_commit
from devicebank.devices.models import Device
from devicebank.people.access import acting_scope
from devicebank.people.models import User
from devicebank.sanitisation.models import (
    Certificate,
    CertificateBatch,
    SanitisationBasis,
    new_verification_code,
)
from devicebank.sanitisation.permissions import can_sanitise
from devicebank.sanitisation.services.records import ensure_can_sanitise
from devicebank.sanitisation.services.rule import pass_evidence

# Named, not imported: sanitisation.tasks imports these services (core.tasks.enqueue_on_commit).
RUN_CERTIFICATE_BATCH = "devicebank.sanitisation.tasks.run_certificate_batch"


def _certificate_page(device: Device) -> dict[str, Any]:
    """The facts and page for a device's certificate of its current sanitisation; refuses when the evidence
    does not (or no longer) satisfy the rule, so a failed wipe can never produce a certificate."""
    from devicebank.sanitisation import certificates

    outcome = device.sanitisation
    if outcome is None:
        raise DomainError(f"{device.asset_tag} has no sanitisation recorded for this pass: no certificate.")
    evidence = pass_evidence(
        device, until=outcome.recorded_at, mobile_reset=outcome.basis == SanitisationBasis.FACTORY_RESET
    )
    if not evidence.ok:
        raise DomainError(f"{device.asset_tag}'s evidence does not hold: " + " ".join(evidence.blockers))
    facts = certificates.device_facts(device, outcome, evidence)
    return {"facts": facts, "sha256": certificates.canonical_sha256(facts), "outcome": outcome}


def _supersede_and_save(
    cert: Certificate, previous: Certificate | None, by: User | None, programme_id: int | None, subject: Any
) -> None:
    record_event(
        kind=EventKind.CERTIFICATE_ISSUED,
        subject=subject,
        actor=by,
        programme_id=programme_id,
        data={
            "certificate": cert.number,
            "sha256": cert.content_sha256,
            "evidence": [{"type": "sanitisation.certificate", "id": cert.pk}],
        },
    )
    if previous is not None:
        previous.superseded_by, previous.superseded_at = cert, cert.issued_at
        previous.save(update_fields=["superseded_by", "superseded_at", "updated_at"])
        record_event(
            kind=EventKind.CERTIFICATE_SUPERSEDED,
            subject=subject,
            actor=by,
            programme_id=programme_id,
            data={"certificate": previous.number, "superseded_by": cert.number},
        )


@transaction.atomic
def certificate_issue_for_device(*, device: Device, by: User | None) -> Certificate:
    """Issue (or re-issue, superseding the current one) a device's certificate of sanitisation."""
    from devicebank.sanitisation import certificates

    locked = (
        Device.objects.select_for_update(of=("self",))
        .select_related(
            "programme", "donor", "custodian", "location__organisation", "sanitisation__recorded_by"
        )
        .get(pk=device.pk)
    )
    ensure_can_sanitise(by, locked)
    page = _certificate_page(locked)
    previous = (
        Certificate.objects.select_for_update().filter(device=locked, superseded_by__isnull=True).first()
    )
    number, code, now = certificates.next_number(), new_verification_code(), timezone.now()
    pdf = certificates.render_pdf(
        [certificates.page_context(number, code, "device", page["facts"], page["sha256"], now)]
    )
    stored = evidence_store(pdf, folder="certificates", suffix=".pdf")
    cert = Certificate.objects.create(
        number=number,
        verification_code=code,
        kind=Certificate.Kind.DEVICE,
        device=locked,
        outcome=page["outcome"],
        facts=page["facts"],
        content_sha256=page["sha256"],
        pdf_file=stored.name,
        pdf_sha256=stored.sha256,
        issued_at=now,
        issued_by=by,
    )
    _supersede_and_save(cert, previous, by, locked.programme_id, locked)
    return cert


@transaction.atomic
def certificate_batch_start(*, donation: Any, by: User | None) -> CertificateBatch:
    """Queue the certificates of a whole donation (every sanitised device, and one for the donation)."""
    can_sanitise.require(acting_scope(by), donation.programme_id)
    if not Device.objects.filter(donation=donation, sanitisation__isnull=False).exists():
        raise DomainError("No device of this donation is sanitised yet: there is nothing to certify.")
    batch = CertificateBatch.objects.create(donation=donation, requested_by=by)
    enqueue_on_commit(RUN_CERTIFICATE_BATCH, batch.pk)
    return batch


def certificate_batch_run(*, batch_id: int) -> CertificateBatch:
    """Make a donation's certificates in the background. Safe to run twice: only the run that claims it works.

    Ends done, or failed with a reason whatever goes wrong (core.jobs); the certificates land all together or
    not at all.
    """
    S = CertificateBatch.Status
    claimed = job_claim(CertificateBatch, batch_id, waiting=S.QUEUED, running=S.RUNNING)
    batch = CertificateBatch.objects.select_related(
        "donation__donor", "donation__programme", "requested_by"
    ).get(pk=batch_id)
    if not claimed:
        return batch
    try:
        with transaction.atomic():
            _build_batch(batch)
    except Exception as error:  # a job must end, whatever it meets: job_fail keeps a reason a person can read
        job_fail(CertificateBatch, batch.pk, error, expected=[S.RUNNING])
    batch.refresh_from_db()
    return batch


def _build_batch(batch: CertificateBatch) -> None:
    import io
    import zipfile

    from devicebank.sanitisation import certificates

    donation, by = batch.donation, batch.requested_by
    devices = list(
        Device.objects.filter(donation=donation)
        .select_related(
            "programme", "donor", "custodian", "location__organisation", "sanitisation__recorded_by"
        )
        .order_by("asset_tag")
    )
    sanitised = [d for d in devices if d.sanitisation_id]
    CertificateBatch.objects.filter(pk=batch.pk).update(devices_total=len(sanitised))
    current = {
        c.device_id: c for c in Certificate.objects.filter(device__in=sanitised, superseded_by__isnull=True)
    }
    fresh: list[tuple[Device, dict[str, Any], Certificate | None]] = []
    for device in sanitised:
        existing = current.get(device.pk)
        if existing is not None and existing.outcome_id == device.sanitisation_id:
            continue  # its certificate already states this pass
        fresh.append((device, _certificate_page(device), existing))
    now = timezone.now()
    year_prefix = certificates.next_number()
    first = int(year_prefix.rsplit("-", 1)[1])
    contexts = [
        certificates.page_context(
            f"{year_prefix.rsplit('-', 1)[0]}-{first + i:06d}",
            new_verification_code(),
            "device",
            page["facts"],
            page["sha256"],
            now,
        )
        for i, (_, page, _) in enumerate(fresh)
    ]
    pdfs = certificates.render_each(contexts) if contexts else []
    pdf_of: dict[int, bytes] = {}
    for (device, page, previous), context, pdf in zip(fresh, contexts, pdfs, strict=True):
        stored = evidence_store(pdf, folder="certificates", suffix=".pdf")
        pdf_of[device.pk] = pdf
        cert = Certificate.objects.create(
            number=context["number"],
            verification_code=context["verification_code"],
            kind=Certificate.Kind.DEVICE,
            device=device,
            outcome=page["outcome"],
            facts=page["facts"],
            content_sha256=page["sha256"],
            pdf_file=stored.name,
            pdf_sha256=stored.sha256,
            issued_at=now,
            issued_by=by,
        )
        _supersede_and_save(cert, previous, by, device.programme_id, device)
        current[device.pk] = cert
    CertificateBatch.objects.filter(pk=batch.pk).update(devices_done=len(sanitised))
    device_certs = [current[d.pk] for d in sanitised]
    facts = certificates.donation_facts(donation, device_certs, pending=len(devices) - len(sanitised))
    sha, number, code = (
        certificates.canonical_sha256(facts),
        certificates.next_number(),
        new_verification_code(),
    )
    donation_pdf = certificates.render_pdf(
        [certificates.page_context(number, code, "donation", facts, sha, now)]
    )
    previous_donation = Certificate.objects.filter(donation=donation, superseded_by__isnull=True).first()
    stored = evidence_store(donation_pdf, folder="certificates", suffix=".pdf")
    donation_cert = Certificate.objects.create(
        number=number,
        verification_code=code,
        kind=Certificate.Kind.DONATION,
        donation=donation,
        facts=facts,
        content_sha256=sha,
        pdf_file=stored.name,
        pdf_sha256=stored.sha256,
        issued_at=now,
        issued_by=by,
    )
    _supersede_and_save(donation_cert, previous_donation, by, donation.programme_id, donation)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{donation_cert.number}-{donation.reference}.pdf", donation_pdf)
        for cert in device_certs:
            # Made in this run: still in memory. Kept from an earlier run: read back, checked.
            pdf = pdf_of.get(cert.device_id or 0) or evidence_read(cert.pdf_file, cert.pdf_sha256)
            archive.writestr(f"{cert.number}-{cert.facts['device']['asset_tag']}.pdf", pdf)
    pack = evidence_store(buffer.getvalue(), folder="certificate-packs", suffix=".zip")
    now = timezone.now()
    finished = CertificateBatch.objects.filter(pk=batch.pk, status=CertificateBatch.Status.RUNNING).update(
        certificate=donation_cert,
        archive_file=pack.name,
        archive_sha256=pack.sha256,
        status=CertificateBatch.Status.DONE,
        finished_at=now,
        updated_at=now,
    )
    if not finished:
        # The sweeper ended this job while it ran (it took longer than the timeout): it has been told it failed,
        # so none of its certificates may stand.
        raise JobEnded(f"Certificate pack {batch.pk} was ended by the sweeper before it finished.")
