"""Donation pages: list, create, lifecycle, register upload -> mapping -> progress -> result, scan to receive."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from devicebank.core.errors import DomainError
from devicebank.core.forms import add_domain_error, user_of
from devicebank.devices.services import DeviceSpec
from devicebank.donations import forms as f
from devicebank.donations import services
from devicebank.donations.downloads import rejected_rows_download
from devicebank.donations.models import Donation, RegisterImport
from devicebank.donations.permissions import can_manage_donations
from devicebank.donations.register import check_size
from devicebank.donations.selectors import (
    donation_devices,
    donation_get,
    donation_list,
    donation_reconciliation,
    register_import_get,
)
from devicebank.donations.states import TRANSITIONS, DonationState
from devicebank.people.access import scope_for
from devicebank.people.models import Organisation
from devicebank.people.roles import OrganisationKind
from devicebank.programmes.selectors import location_list, programme_list


def can_manage(user: Any, programme_id: int) -> bool:
    return can_manage_donations(scope_for(user), programme_id)


def _managed(request: HttpRequest, pk: int) -> Donation:
    donation = donation_get(user=request.user, pk=pk)
    if not can_manage(request.user, donation.programme_id):
        raise PermissionDenied(can_manage_donations.refusal)
    return donation


def _detail(donation: Donation) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("donations:detail", args=[donation.pk]))


class DonationListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        donations = donation_list(user=request.user).annotate(device_count=Count("devices")).order_by("-id")
        page = Paginator(donations, 50).get_page(request.GET.get("page"))
        can_create = can_manage_donations.anywhere(scope_for(request.user))
        return render(
            request,
            "donations/donation_list.html",
            {"page_obj": page, "can_create": can_create, "query_string": ""},
        )


class DonationCreateView(LoginRequiredMixin, View):
    template = "donations/donation_form.html"

    def _form(self, request: HttpRequest, data: Any = None) -> f.DonationForm:
        programmes = programme_list(user=request.user)
        allowed = can_manage_donations.programme_ids(scope_for(request.user))
        if allowed is not None:
            programmes = programmes.filter(pk__in=allowed)
        if not programmes.exists():
            raise PermissionDenied(can_manage_donations.refusal_anywhere)
        return f.DonationForm(
            data,
            programmes=programmes,
            donors=Organisation.objects.filter(kind=OrganisationKind.DONOR, is_active=True).order_by("name"),
            locations=location_list(user=request.user),
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, {"form": self._form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                donation = services.donation_create(by=user_of(request), **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Donation {donation.reference} recorded.")
                return _detail(donation)
        return render(request, self.template, {"form": form}, status=400)


class DonationDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        donation = donation_get(user=request.user, pk=pk)
        which = request.GET.get("show", "all")
        if which not in ("all", "missing", "received", "unexpected"):
            which = "all"
        devices = Paginator(donation_devices(donation=donation, which=which).order_by("asset_tag"), 50)
        return render(
            request,
            "donations/donation_detail.html",
            {
                "donation": donation,
                "reconciliation": donation_reconciliation(donation=donation),
                "page_obj": devices.get_page(request.GET.get("page")),
                "query_string": f"show={which}",
                "show": which,
                "imports": donation.register_imports.order_by("-id")[:10],
                "can_manage": can_manage(request.user, donation.programme_id),
                "next_states": sorted(TRANSITIONS[DonationState(donation.state)]),
            },
        )


class _DonationStepView(LoginRequiredMixin, View):
    """A one-form step in the donation's life; subclasses name the form, template and service call."""

    template = ""
    form_class: Any = None
    title = ""

    def form(self, request: HttpRequest, donation: Donation, data: Any = None) -> Any:
        return self.form_class(data)

    def act(self, request: HttpRequest, donation: Donation, data: dict[str, Any]) -> Donation:
        raise NotImplementedError

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        donation = _managed(request, pk)
        return render(
            request,
            "donations/donation_step.html",
            {"donation": donation, "form": self.form(request, donation), "title": self.title},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        donation = _managed(request, pk)
        form = self.form(request, donation, request.POST)
        if form.is_valid():
            try:
                donation = self.act(request, donation, form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{donation.reference} is now {donation.state_label.lower()}.")
                return _detail(donation)
        return render(
            request,
            "donations/donation_step.html",
            {"donation": donation, "form": form, "title": self.title},
            status=400,
        )


class DonationCollectionView(_DonationStepView):
    form_class = f.CollectionForm
    title = "Arrange the collection"

    def act(self, request: HttpRequest, donation: Donation, data: dict[str, Any]) -> Donation:
        return services.donation_arrange_collection(
            donation=donation,
            by=user_of(request),
            collection_date=data["collection_date"],
            address=data["collection_address"],
            collector=data["collector"],
        )


class DonationCollectedView(_DonationStepView):
    form_class = f.CollectedForm
    title = "Record the collection"

    def act(self, request: HttpRequest, donation: Donation, data: dict[str, Any]) -> Donation:
        return services.donation_mark_collected(
            donation=donation,
            by=user_of(request),
            collected_by=data["collected_by"],
        )


class DonationReceivedView(_DonationStepView):
    title = "Record the arrival"

    def form(self, request: HttpRequest, donation: Donation, data: Any = None) -> Any:
        return f.ReceivedForm(
            data, locations=location_list(user=request.user), initial={"location": donation.drop_point_id}
        )

    def act(self, request: HttpRequest, donation: Donation, data: dict[str, Any]) -> Donation:
        return services.donation_mark_received(
            donation=donation,
            by=user_of(request),
            location=data["location"],
        )


class DonationCancelView(_DonationStepView):
    form_class = f.CancelForm
    title = "Cancel the donation"

    def act(self, request: HttpRequest, donation: Donation, data: dict[str, Any]) -> Donation:
        return services.donation_cancel(donation=donation, by=user_of(request), reason=data["reason"])


class RegisterUploadView(LoginRequiredMixin, View):
    template = "donations/register_upload.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(
            request, self.template, {"donation": _managed(request, pk), "form": f.RegisterUploadForm()}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        donation = _managed(request, pk)
        form = f.RegisterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_size(upload.size, _max_bytes())  # before reading a byte of a huge file
                imp, duplicate = services.register_import_start(
                    donation=donation,
                    file_name=upload.name,
                    data=b"".join(upload.chunks()),
                    by=user_of(request),
                )
            except DomainError as error:
                form.add_error("file", f"{upload.name}: {error.message}")
            else:
                if duplicate:
                    messages.success(request, f"{upload.name} was already imported: nothing has changed.")
                return HttpResponseRedirect(reverse("donations:import", args=[donation.pk, imp.pk]))
        return render(request, self.template, {"donation": donation, "form": form}, status=400)


def _max_bytes() -> int:
    from django.conf import settings

    return int(settings.DEVICEBANK_MAX_UPLOAD_BYTES)


class RegisterImportView(LoginRequiredMixin, View):
    """One page for an import's whole life: confirm columns, check, confirm, progress, result."""

    template = "donations/register_import.html"

    def _get(self, request: HttpRequest, pk: int, import_pk: int) -> RegisterImport:
        imp = register_import_get(user=request.user, pk=import_pk)
        if imp.donation_id != pk:
            raise Http404("No such import.")
        return imp

    def _context(self, request: HttpRequest, imp: RegisterImport, **extra: Any) -> dict[str, Any]:
        mapping_form = extra.pop("mapping_form", None) or f.MappingForm(
            headers=list(imp.headers),
            initial_choice={imp.headers[i]: name for name, i in imp.mapping.items()},
        )
        return {
            "imp": imp,
            "donation": imp.donation,
            "mapping_form": mapping_form,
            "mode_form": extra.pop("mode_form", None)
            or f.ImportModeForm(initial={"mode": "valid_rows" if imp.rows_rejected else "all_or_nothing"}),
            "can_manage": can_manage(request.user, imp.donation.programme_id),
            **extra,
        }

    def get(self, request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
        imp = self._get(request, pk, import_pk)
        return render(request, self.template, self._context(request, imp))

    def post(self, request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
        imp = self._get(request, pk, import_pk)
        if not can_manage(request.user, imp.donation.programme_id):
            raise PermissionDenied(can_manage_donations.refusal)
        if request.POST.get("action") == "mapping":
            mapping_form = f.MappingForm(request.POST, headers=list(imp.headers), initial_choice={})
            if mapping_form.is_valid():
                try:
                    services.register_import_set_mapping(
                        imp=imp, choice=mapping_form.choice(), by=user_of(request)
                    )
                except DomainError as error:
                    mapping_form.add_error(None, error.message)
                else:
                    return HttpResponseRedirect(request.path)
            return render(
                request, self.template, self._context(request, imp, mapping_form=mapping_form), status=400
            )
        mode_form = f.ImportModeForm(request.POST)
        if mode_form.is_valid():
            try:
                services.register_import_queue(
                    imp=imp, mode=mode_form.cleaned_data["mode"], by=user_of(request)
                )
            except DomainError as error:
                add_domain_error(mode_form, error)
            else:
                return HttpResponseRedirect(request.path)
        return render(request, self.template, self._context(request, imp, mode_form=mode_form), status=400)


class RegisterImportStatusView(LoginRequiredMixin, View):
    """The progress bar polls this."""

    def get(self, request: HttpRequest, pk: int, import_pk: int) -> JsonResponse:
        imp = register_import_get(user=request.user, pk=import_pk)
        if imp.donation_id != pk:
            raise Http404("No such import.")
        return JsonResponse(
            {
                "status": imp.status,
                "status_label": imp.get_status_display(),
                "progress_percent": imp.progress_percent,
                "rows_total": imp.rows_total,
                "devices_created": imp.devices_created,
                "error": imp.error,
            }
        )


class RegisterImportReportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, import_pk: int) -> HttpResponseBase:
        imp = register_import_get(user=request.user, pk=import_pk)
        if imp.donation_id != pk:
            raise Http404("No report for this import.")
        return rejected_rows_download(request, imp)


class ScanReceiveView(LoginRequiredMixin, View):
    """A focused input a USB barcode scanner types into; each scan receives one device and says what happened."""

    template = "donations/scan_receive.html"
    session_key = "scan_results"

    def _forms(self, request: HttpRequest, donation: Donation, data: Any = None) -> tuple[f.ScanForm, Any]:
        locations = location_list(user=request.user)
        location_id = request.session.get("scan_location") or (
            donation.received_at_id or donation.drop_point_id
        )
        scan = f.ScanForm(data, locations=locations, initial={"location": location_id})
        return scan, locations

    def _context(
        self, request: HttpRequest, donation: Donation, form: f.ScanForm, **extra: Any
    ) -> dict[str, Any]:
        results = request.session.get(f"{self.session_key}_{donation.pk}", [])
        return {
            "donation": donation,
            "form": form,
            "results": results,
            "reconciliation": donation_reconciliation(donation=donation),
            **extra,
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        donation = _managed(request, pk)
        form, _ = self._forms(request, donation)
        return render(request, self.template, self._context(request, donation, form))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        donation = _managed(request, pk)
        if request.POST.get("action") == "add":
            return self._add(request, donation)
        form, locations = self._forms(request, donation, request.POST)
        if not form.is_valid():
            return render(request, self.template, self._context(request, donation, form), status=400)
        location = form.cleaned_data["location"]
        request.session["scan_location"] = location.pk
        try:
            result = services.donation_receive_scan(
                donation=donation, code=form.cleaned_data["code"], location=location, by=user_of(request)
            )
        except DomainError as error:
            add_domain_error(form, error)
            return render(request, self.template, self._context(request, donation, form), status=400)
        self._remember(
            request,
            donation,
            result.outcome,
            result.message,
            result.device.asset_tag if result.device else None,
        )
        if result.outcome == "unknown":
            add_form = f.UnexpectedDeviceForm(
                locations=locations,
                initial={"serial_number": form.cleaned_data["code"], "location": location.pk},
            )
            fresh, _ = self._forms(request, donation)
            return render(request, self.template, self._context(request, donation, fresh, add_form=add_form))
        return HttpResponseRedirect(request.path)

    def _add(self, request: HttpRequest, donation: Donation) -> HttpResponse:
        locations = location_list(user=request.user)
        add_form = f.UnexpectedDeviceForm(request.POST, locations=locations)
        if add_form.is_valid():
            data = add_form.cleaned_data
            try:
                device = services.donation_add_unexpected(
                    donation=donation,
                    location=data["location"],
                    by=user_of(request),
                    spec=DeviceSpec(
                        device_type=data["device_type"],
                        manufacturer=data["manufacturer"],
                        model=data["model"],
                        serial_number=data["serial_number"] or None,
                    ),
                )
            except DomainError as error:
                add_domain_error(add_form, error)
            else:
                self._remember(
                    request,
                    donation,
                    "added",
                    f"{device.asset_tag} added and received (not on the register).",
                    device.asset_tag,
                )
                return HttpResponseRedirect(request.path)
        form, _ = self._forms(request, donation)
        return render(
            request, self.template, self._context(request, donation, form, add_form=add_form), status=400
        )

    def _remember(
        self, request: HttpRequest, donation: Donation, outcome: str, message: str, tag: str | None
    ) -> None:
        key = f"{self.session_key}_{donation.pk}"
        results = [{"outcome": outcome, "message": message, "asset_tag": tag}, *request.session.get(key, [])]
        request.session[key] = results[:20]
