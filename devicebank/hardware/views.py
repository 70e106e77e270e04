"""Hardware report pages: upload reports and see what each said; download a kept raw report."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from devicebank.core.errors import DomainError
from devicebank.core.events import record_export
from devicebank.core.evidence import evidence_response
from devicebank.core.forms import add_domain_error, user_of
from devicebank.devices.permissions import can_correct_devices
from devicebank.devices.selectors import device_get
from devicebank.hardware.forms import HardwareUploadForm, ReportDecisionForm
from devicebank.hardware.models import HardwareReport
from devicebank.hardware.permissions import can_file_hardware_reports
from devicebank.hardware.selectors import hardware_report_get
from devicebank.hardware.services import IngestResult, hardware_report_decide, hardware_report_ingest
from devicebank.people.access import scope_for
from devicebank.programmes.selectors import location_list, programme_list


class HardwareUploadView(LoginRequiredMixin, View):
    template = "hardware/upload.html"

    def _form(self, request: HttpRequest, data: object = None, files: object = None) -> HardwareUploadForm:
        programmes = programme_list(user=request.user)
        allowed = can_file_hardware_reports.programme_ids(scope_for(request.user))
        if allowed is not None:
            programmes = programmes.filter(pk__in=allowed)
        if not programmes.exists():
            raise PermissionDenied(can_file_hardware_reports.refusal_anywhere)
        return HardwareUploadForm(
            data, files, programmes=programmes, locations=location_list(user=request.user)
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, {"form": self._form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST, request.FILES)
        results: list[IngestResult] = []
        if form.is_valid():
            data = form.cleaned_data
            try:
                device = device_get(user=request.user, asset_tag=data["device"]) if data["device"] else None
            except Http404:
                form.add_error("device", "No device with that asset tag in your scope")
            else:
                for upload in data["reports"]:
                    if upload.size > settings.DEVICEBANK_MAX_UPLOAD_BYTES:
                        form.add_error("reports", f"{upload.name} is too big.")
                        continue
                    try:
                        results.append(
                            hardware_report_ingest(
                                data=b"".join(upload.chunks()),
                                file_name=upload.name,
                                by=user_of(request),
                                device=device,
                                programme=data["programme"],
                                location=data["location"],
                                dry_run=data["dry_run"],
                            )
                        )
                    except DomainError as error:
                        add_domain_error(form, error)
        status = 200 if results and not form.errors else 400
        return render(request, self.template, {"form": form, "results": results}, status=status)


class HardwareReportRawView(LoginRequiredMixin, View):
    """The kept report exactly as uploaded, after checking it against its SHA-256."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        report = hardware_report_get(user=request.user, pk=pk)
        programme_id = report.device.programme_id if report.device is not None else None
        record_export(
            by=user_of(request), subject=report, what="hardware_report", rows=1, programme_id=programme_id
        )
        response = evidence_response(
            request,
            report.raw_file,
            report.sha256,
            filename=report.file_name.rsplit("/", 1)[-1],
            content_type="application/octet-stream",
        )
        response["X-Content-SHA256"] = report.sha256
        return response


class HardwareReportView(LoginRequiredMixin, View):
    """One kept report: what it says beside what the device's record says, and, while it is held, the decision
    (attach anyway with a reason, register as another device, or reject)."""

    template = "hardware/report.html"

    def _context(
        self, request: HttpRequest, report: HardwareReport, form: ReportDecisionForm | None
    ) -> dict[str, object]:
        programme_id = report.held_for.programme_id if report.held_for else report.programme_id
        may_decide = (
            report.status == HardwareReport.Status.HELD
            and programme_id is not None
            and can_file_hardware_reports(scope_for(request.user), programme_id)
        )
        if may_decide and form is None:
            form = self._form(request, report)
        # the warnings that say "set it by hand" link to the device's correction form, for those who may use it
        device = report.device
        may_correct = device is not None and can_correct_devices(scope_for(request.user), device.programme_id)
        return {
            "report": report,
            "form": form if may_decide else None,
            "parsed": report.parsed,
            "correct_url": reverse("devices:correct", args=[device.asset_tag])
            if device and may_correct
            else "",
        }

    def _form(self, request: HttpRequest, report: HardwareReport, data: object = None) -> ReportDecisionForm:
        return ReportDecisionForm(
            data, locations=location_list(user=request.user), can_attach=report.held_for_id is not None
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = hardware_report_get(user=request.user, pk=pk)
        return render(request, self.template, self._context(request, report, None))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = hardware_report_get(user=request.user, pk=pk)
        context = self._context(request, report, None)
        if context["form"] is None:
            raise PermissionDenied(
                "This report has already been decided."
                if report.status != HardwareReport.Status.HELD
                else can_file_hardware_reports.refusal
            )
        form = self._form(request, report, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                hardware_report_decide(
                    report=report,
                    decision=data["decision"],
                    by=user_of(request),
                    reason=data["reason"],
                    location=data["location"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return HttpResponseRedirect(reverse("hardware:report", args=[report.pk]))
        return render(request, self.template, self._context(request, report, form), status=400)
