"""Sanitisation pages: the technician's queue, a device's evidence, certificates and public verification."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from devicebank.core.errors import DomainError
from devicebank.core.events import record_export
from devicebank.core.evidence import evidence_response
from devicebank.core.forms import add_domain_error, user_of
from devicebank.devices.models import Device
from devicebank.devices.selectors import device_get
from devicebank.devices.states import DeviceState
from devicebank.donations.selectors import donation_get
from devicebank.hardware.models import DeviceDrive
from devicebank.people.access import scope_for
from devicebank.people.capabilities import CapabilityRequiredMixin
from devicebank.people.throttling import PublicVerifyThrottle, ThrottledViewMixin
from devicebank.sanitisation import services
from devicebank.sanitisation.forms import (
    DestructionForm,
    ErasureUploadForm,
    NoStorageForm,
    ReviewForm,
    SanitisationOutcomeForm,
    VerifyFindForm,
)
from devicebank.sanitisation.models import Certificate, DriveErasure, ErasureEvidence
from devicebank.sanitisation.permissions import can_sanitise
from devicebank.sanitisation.selectors import (
    certificate_batch_get,
    certificate_get,
    certificate_public,
    certificate_public_by_number_and_hash,
    sanitisation_queue,
)


class SanitisationQueueView(CapabilityRequiredMixin, View):
    capability = can_sanitise

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(sanitisation_queue(user=request.user).select_related("location"), 50).get_page(
            request.GET.get("page")
        )
        erasures: dict[int, list[DriveErasure]] = {}
        for record in DriveErasure.objects.filter(device__in=[d.pk for d in page.object_list]).order_by(
            "recorded_at"
        ):
            erasures.setdefault(record.device_id, []).append(record)
        rows = [
            (device, [e for e in erasures.get(device.pk, []) if e.recorded_at >= device.state_changed_at])
            for device in page.object_list
        ]
        return render(
            request, "sanitisation/queue.html", {"page_obj": page, "rows": rows, "query_string": ""}
        )


class DeviceEvidenceView(LoginRequiredMixin, View):
    """One page for a device's sanitisation: drives, records, the forms to add evidence, certificates."""

    template = "sanitisation/device.html"

    def _device(self, request: HttpRequest, asset_tag: str, *, write: bool = False) -> Device:
        device = device_get(user=request.user, asset_tag=asset_tag)
        if write and not can_sanitise(scope_for(request.user), device.programme_id):
            raise PermissionDenied(can_sanitise.refusal)
        return device

    def _context(self, request: HttpRequest, device: Device, **forms: Any) -> dict[str, Any]:
        drives = DeviceDrive.objects.filter(device=device).order_by("id")
        awaiting = device.state in (DeviceState.RECEIVED, DeviceState.RETURNED)
        return {
            "device": device,
            "drives": drives,
            "erasures": DriveErasure.objects.filter(device=device)
            .select_related("evidence")
            .order_by("-recorded_at"),
            "destructions": device.drive_destructions.order_by("-recorded_at"),
            "attestations": device.no_storage_attestations.order_by("-attested_at"),
            "certificates": device.certificates.order_by("-issued_at"),
            "evidence": services.pass_evidence(device) if awaiting else None,
            "awaiting": awaiting,
            "can_sanitise": can_sanitise(scope_for(request.user), device.programme_id),
            "upload_form": forms.get("upload_form") or ErasureUploadForm(),
            "destruction_form": forms.get("destruction_form")
            or DestructionForm(drives=drives.filter(removed_at__isnull=True)),
            "no_storage_form": forms.get("no_storage_form") or NoStorageForm(),
            "review_form": forms.get("review_form") or ReviewForm(),
            "review_id": forms.get("review_id"),
        }

    def get(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = self._device(request, asset_tag)
        return render(request, self.template, self._context(request, device))

    def post(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = self._device(request, asset_tag, write=True)
        action = request.POST.get("action")
        handler = {
            "upload": self._upload,
            "destruction": self._destruction,
            "no_storage": self._no_storage,
            "review": self._review,
            "certificate": self._certificate,
        }.get(action or "")
        if handler is None:
            return render(request, self.template, self._context(request, device), status=400)
        return handler(request, device)

    def _done(self, request: HttpRequest, device: Device, message: str) -> HttpResponse:
        messages.success(request, message)
        return HttpResponseRedirect(reverse("sanitisation:device", args=[device.asset_tag]))

    def _upload(self, request: HttpRequest, device: Device) -> HttpResponse:
        form = ErasureUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["report"]
            if upload.size > settings.DEVICEBANK_MAX_UPLOAD_BYTES:
                form.add_error("report", f"{upload.name} is too big.")
            else:
                try:
                    result = services.erasure_report_import(
                        data=b"".join(upload.chunks()),
                        file_name=upload.name,
                        by=user_of(request),
                        device=device,
                    )
                except DomainError as error:
                    form.add_error("report", error.message)
                else:
                    if result.error:
                        form.add_error("report", result.error)
                    else:
                        flagged = sum(r.flagged for r in result.records)
                        note = f"; {flagged} flagged for a look" if flagged else ""
                        return self._done(
                            request, device, f"{upload.name}: {len(result.records)} drive records{note}."
                        )
        return render(request, self.template, self._context(request, device, upload_form=form), status=400)

    def _destruction(self, request: HttpRequest, device: Device) -> HttpResponse:
        drives = DeviceDrive.objects.filter(device=device, removed_at__isnull=True)
        form = DestructionForm(request.POST, drives=drives)
        if form.is_valid():
            try:
                services.drive_destruction_record(device=device, by=user_of(request), **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return self._done(request, device, "Destruction recorded.")
        return render(
            request, self.template, self._context(request, device, destruction_form=form), status=400
        )

    def _no_storage(self, request: HttpRequest, device: Device) -> HttpResponse:
        form = NoStorageForm(request.POST)
        if form.is_valid():
            try:
                services.no_storage_attest(
                    device=device, by=user_of(request), reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return self._done(request, device, "Recorded that the device has no storage.")
        return render(
            request, self.template, self._context(request, device, no_storage_form=form), status=400
        )

    def _review(self, request: HttpRequest, device: Device) -> HttpResponse:
        record = DriveErasure.objects.filter(device=device, pk=request.POST.get("record") or 0).first()
        if record is None:
            raise Http404("No such record.")
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.drive_erasure_review(
                    record=record,
                    by=user_of(request),
                    note=form.cleaned_data["note"],
                    serial=form.cleaned_data["serial"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return self._done(request, device, "Review recorded: the record now counts.")
        context = self._context(request, device, review_form=form, review_id=record.pk)
        return render(request, self.template, context, status=400)

    def _certificate(self, request: HttpRequest, device: Device) -> HttpResponse:
        try:
            cert = services.certificate_issue_for_device(device=device, by=user_of(request))
        except DomainError as error:
            messages.error(request, error.message)
            return render(request, self.template, self._context(request, device), status=400)
        return self._done(request, device, f"Certificate {cert.number} issued.")


def _programme(cert: Any) -> int | None:
    holder = cert.device or cert.donation
    return holder.programme_id if holder is not None else None


def certificate_pdf_response(request: HttpRequest, cert: Certificate, name: str) -> HttpResponseBase:
    """A certificate's PDF, streamed from evidence storage once its SHA-256 checks out (shown in the browser)."""
    return evidence_response(
        request,
        cert.pdf_file,
        cert.pdf_sha256,
        filename=f"{name}.pdf",
        content_type="application/pdf",
        attachment=False,
    )


class DeviceOutcomeView(LoginRequiredMixin, View):
    """Mark a device sanitised: the rule decides from this pass's evidence (services.sanitisation_record_outcome)."""

    template = "sanitisation/outcome.html"

    def _check(self, request: HttpRequest, asset_tag: str) -> Device:
        device = device_get(user=request.user, asset_tag=asset_tag)
        if not can_sanitise(scope_for(request.user), device.programme_id):
            raise PermissionDenied(can_sanitise.refusal)
        return device

    def _context(self, device: Device, form: SanitisationOutcomeForm) -> dict[str, Any]:
        evidence = (
            services.pass_evidence(device)
            if device.state in (DeviceState.RECEIVED, DeviceState.RETURNED)
            else None
        )
        return {"device": device, "form": form, "evidence": evidence}

    def get(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = self._check(request, asset_tag)
        return render(request, self.template, self._context(device, SanitisationOutcomeForm()))

    def post(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = self._check(request, asset_tag)
        form = SanitisationOutcomeForm(request.POST)
        if form.is_valid():
            try:
                device = services.sanitisation_record_outcome(
                    device=device,
                    by=user_of(request),
                    **form.cleaned_data,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Sanitisation recorded: {device.asset_tag} is now sanitised.")
                return HttpResponseRedirect(reverse("devices:detail", args=[device.asset_tag]))
        return render(request, self.template, self._context(device, form), status=400)


class CertificatePdfView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, number: str) -> HttpResponseBase:
        cert = certificate_get(user=request.user, number=number)
        record_export(
            by=user_of(request), subject=cert, what="certificate_pdf", rows=1, programme_id=_programme(cert)
        )
        return certificate_pdf_response(request, cert, cert.number)


class EvidenceRawView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        from devicebank.devices.selectors import device_list

        evidence = ErasureEvidence.objects.filter(
            pk=pk, device__in=device_list(user=request.user).values("pk")
        ).first()
        if evidence is None:
            raise Http404("No such report.")
        record_export(
            by=user_of(request),
            subject=evidence,
            what="erasure_report",
            rows=1,
            programme_id=evidence.device.programme_id if evidence.device is not None else None,
        )
        return evidence_response(
            request,
            evidence.raw_file,
            evidence.sha256,
            filename=evidence.file_name.rsplit("/", 1)[-1],
            content_type="application/octet-stream",
        )


class DonationCertificatesView(LoginRequiredMixin, View):
    """Certificates for a whole donation: made in the background, then one PDF and a ZIP to download."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        donation = donation_get(user=request.user, pk=pk)
        return render(
            request,
            "sanitisation/donation_certificates.html",
            {
                "donation": donation,
                "batches": donation.certificate_batches.order_by("-id")[:5],
                "sanitised": Device.objects.filter(donation=donation, sanitisation__isnull=False).count(),
                "total": Device.objects.filter(donation=donation).count(),
                "can_issue": can_sanitise(scope_for(request.user), donation.programme_id),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        donation = donation_get(user=request.user, pk=pk)
        if not can_sanitise(scope_for(request.user), donation.programme_id):
            raise PermissionDenied(can_sanitise.refusal)
        try:
            services.certificate_batch_start(donation=donation, by=user_of(request))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "The certificates are being made. This page shows when they are ready.")
        return HttpResponseRedirect(reverse("sanitisation:donation-certificates", args=[donation.pk]))


class BatchDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
        batch = certificate_batch_get(user=request.user, pk=pk)
        if batch.status != batch.Status.DONE or batch.certificate is None:
            raise Http404("These certificates are not ready.")
        name = f"certificates-{batch.donation.reference}"
        if kind not in ("pdf", "zip") or (kind == "zip" and not batch.archive_file):
            raise Http404("No such download.")
        record_export(
            by=user_of(request),
            subject=batch,
            what=f"certificates_{kind}",
            rows=batch.devices_done,
            programme_id=batch.donation.programme_id,
        )
        if kind == "pdf":
            return certificate_pdf_response(request, batch.certificate, name)
        if kind == "zip" and batch.archive_file:
            return evidence_response(
                request,
                batch.archive_file,
                batch.archive_sha256,
                filename=f"{name}.zip",
                content_type="application/zip",
            )
        raise Http404("No such download.")


class VerifyView(ThrottledViewMixin, View):
    """Public: anyone holding a certificate checks it by the verification code its QR code carries.

    What the certificate proves, no people's names, and the donor's name only if the donor asked for it. An
    unknown, stale or forged code (and an old sequential number) all get the same "no certificate with that
    code" page. Rate-limited per client address.
    """

    throttle_classes = [PublicVerifyThrottle]

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        cert = certificate_public(code=code)
        if cert is None:
            return _not_found(request)
        return render(request, "sanitisation/verify.html", {"cert": cert, "facts": public_facts(cert)})


class VerifyFindView(ThrottledViewMixin, View):
    """Public: find a certificate by a typed verification code, or by the number and SHA-256 printed on a
    certificate issued before verification codes existed. Found: a redirect to its page; not: the same 404
    page as an unknown code."""

    throttle_classes = [PublicVerifyThrottle]

    def get(self, request: HttpRequest) -> HttpResponse:
        form = VerifyFindForm(request.GET or None)
        if not request.GET:
            return render(request, "sanitisation/verify_find.html", {"form": form})
        cert = None
        if form.is_valid():
            data = form.cleaned_data
            if data["code"]:
                cert = certificate_public(code=data["code"])
            elif data["number"] and data["sha256"]:
                cert = certificate_public_by_number_and_hash(number=data["number"], sha256=data["sha256"])
        if cert is None or not cert.verification_code:
            return _not_found(request, form)
        return HttpResponseRedirect(reverse("verify", args=[cert.verification_code]))


def _not_found(request: HttpRequest, form: VerifyFindForm | None = None) -> HttpResponse:
    """One page for every miss, whatever was asked, so a miss tells nothing about what exists."""
    return render(
        request,
        "sanitisation/verify_find.html",
        {"form": form or VerifyFindForm(), "not_found": True},
        status=404,
    )


_PUBLIC_DRIVE_FIELDS = (
    "manufacturer_model",
    "serial_number",
    "media_type",
    "sanitization_description",
    "method",
    "tool",
    "verification",
    "result",
    "date",
    "third_party_certificate",
)


def public_facts(cert: Certificate) -> dict[str, Any]:
    """What the public page may show, picked field by field from the certificate's facts: the devices, drives,
    methods, results and dates it proves and who issued it. Never people's names or free text (a no-storage
    attestation's reason is a person's words); the donor's name only while the donor opts in
    (`Organisation.name_on_public_certificates`)."""
    facts = cert.facts
    donor = cert.device.donor if cert.device_id and cert.device else None
    if cert.donation_id and cert.donation:
        donor = cert.donation.donor
    shown: dict[str, Any] = {
        "donor": donor.name if donor is not None and donor.name_on_public_certificates else "",
    }
    if "device" in facts:
        device = facts["device"]
        shown |= {
            "device": {
                k: device.get(k, "") for k in ("manufacturer", "model", "type", "asset_tag", "serial_number")
            },
            "issuer": facts.get("programme", ""),
            "outcome": {k: facts["outcome"].get(k, "") for k in ("basis", "nist_level", "recorded_at")},
            "sanitised_by": facts.get("sanitised_by", {}).get("organisation", ""),
            "drives": [{k: d.get(k, "") for k in _PUBLIC_DRIVE_FIELDS} for d in facts.get("drives", [])],
        }
    if "donation" in facts:
        shown |= {
            "donation": facts["donation"].get("reference", ""),
            "issuer": facts["donation"].get("programme", ""),
            "devices": [
                {
                    k: d.get(k, "")
                    for k in ("asset_tag", "manufacturer", "model", "serial_number", "nist_level")
                }
                for d in facts.get("devices", [])
            ],
            "devices_not_yet_sanitised": facts.get("devices_not_yet_sanitised", 0),
        }
    return shown
