"""Sanitisation pages: the technician's queue, a device's evidence, certificates and public verification."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from devicebank.core.errors import DomainError
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
)
from devicebank.sanitisation.models import Certificate, DriveErasure, ErasureEvidence
from devicebank.sanitisation.permissions import can_sanitise
from devicebank.sanitisation.selectors import (
    certificate_batch_get,
    certificate_get,
    certificate_public,
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
                    record=record, by=user_of(request), note=form.cleaned_data["note"]
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


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


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
    def get(self, request: HttpRequest, number: str) -> HttpResponse:
        cert = certificate_get(user=request.user, number=number)
        return _pdf(bytes(cert.pdf), cert.number)


class EvidenceRawView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from devicebank.devices.selectors import device_list

        evidence = ErasureEvidence.objects.filter(
            pk=pk, device__in=device_list(user=request.user).values("pk")
        ).first()
        if evidence is None:
            raise Http404("No such report.")
        response = HttpResponse(services.evidence_bytes(evidence), content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{evidence.file_name.rsplit("/", 1)[-1]}"'
        return response


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
    def get(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        batch = certificate_batch_get(user=request.user, pk=pk)
        if batch.status != batch.Status.DONE or batch.certificate is None:
            raise Http404("These certificates are not ready.")
        name = f"certificates-{batch.donation.reference}"
        if kind == "pdf":
            return _pdf(bytes(batch.certificate.pdf), name)
        if kind == "zip" and batch.zip_file:
            response = HttpResponse(bytes(batch.zip_file), content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
            return response
        raise Http404("No such download.")


class VerifyView(ThrottledViewMixin, View):
    """Public: anyone holding a certificate can check it. Facts only, no personal data. Rate-limited per
    client address, so walking certificate numbers is slow."""

    throttle_classes = [PublicVerifyThrottle]

    def get(self, request: HttpRequest, number: str) -> HttpResponse:
        cert = certificate_public(number=number.strip().upper())
        return render(request, "sanitisation/verify.html", {"cert": cert, "facts": _public_facts(cert)})


def _public_facts(cert: Certificate) -> dict[str, Any]:
    """What the verification page may show: devices and drives, never the names of people."""
    facts = dict(cert.facts)
    if "sanitised_by" in facts:
        facts["sanitised_by"] = {k: v for k, v in facts["sanitised_by"].items() if k != "name"}
    return facts
