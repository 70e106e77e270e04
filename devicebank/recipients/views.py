"""School pages: the list and a school, and the GIAS import (upload -> check -> import -> result)."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from devicebank.core.errors import DomainError
from devicebank.core.events import record_export
from devicebank.core.forms import add_domain_error, user_of
from devicebank.people.access import scope_for
from devicebank.places.selectors import lsoa_get
from devicebank.recipients import forms as f
from devicebank.recipients import services
from devicebank.recipients.models import SchoolImport
from devicebank.recipients.permissions import can_import_schools
from devicebank.recipients.selectors import school_get, school_import_get, school_import_list, school_list


def _ensure_importer(request: HttpRequest) -> None:
    if not can_import_schools.anywhere(scope_for(request.user)):
        raise PermissionDenied(can_import_schools.refusal_anywhere)


class SchoolListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = f.SchoolSearchForm(request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        schools = school_list(user=request.user, query=query)
        page = Paginator(schools, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "recipients/school_list.html",
            {
                "page_obj": page,
                "form": form,
                "query": query,
                "query_string": urlencode({"q": query}) if query else "",
                "can_import": can_import_schools.anywhere(scope_for(request.user)),
            },
        )


class SchoolDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, urn: int) -> HttpResponse:
        school = school_get(user=request.user, urn=urn)
        return render(
            request,
            "recipients/school_detail.html",
            {"school": school, "lsoa": lsoa_get(school.lsoa_code), "parent": school.organisation.parent},
        )


class SchoolImportUploadView(LoginRequiredMixin, View):
    template = "recipients/import_upload.html"

    def _context(self, request: HttpRequest, form: f.GiasUploadForm) -> dict[str, Any]:
        return {"form": form, "imports": school_import_list(user=request.user)[:10]}

    def get(self, request: HttpRequest) -> HttpResponse:
        _ensure_importer(request)
        return render(request, self.template, self._context(request, f.GiasUploadForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        _ensure_importer(request)
        form = f.GiasUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            limit = int(settings.DEVICEBANK_MAX_UPLOAD_BYTES)
            if upload.size > limit:
                form.add_error(
                    "file",
                    f"{upload.name} is larger than {limit // (1024 * 1024)} MB. Download the establishments of "
                    "your area only, or ask an administrator to run devicebank import-schools.",
                )
            else:
                try:
                    imp = services.school_import_start(
                        file_name=upload.name, data=b"".join(upload.chunks()), by=user_of(request)
                    )
                except DomainError as error:
                    form.add_error("file", f"{upload.name}: {error.message}")
                else:
                    return HttpResponseRedirect(reverse("recipients:import", args=[imp.pk]))
        return render(request, self.template, self._context(request, form), status=400)


class SchoolImportView(LoginRequiredMixin, View):
    """One page for an import's life: check and choose how, progress, result."""

    template = "recipients/import.html"

    def _context(self, imp: SchoolImport, mode_form: f.ImportModeForm | None = None) -> dict[str, Any]:
        return {
            "imp": imp,
            "mode_form": mode_form
            or f.ImportModeForm(initial={"mode": "valid_rows" if imp.rejected else "all_or_nothing"}),
            "preview": imp.rejected_rows[:20],
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        imp = school_import_get(user=request.user, pk=pk)
        return render(request, self.template, self._context(imp))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        imp = school_import_get(user=request.user, pk=pk)
        form = f.ImportModeForm(request.POST)
        if form.is_valid():
            try:
                services.school_import_queue(imp=imp, mode=form.cleaned_data["mode"], by=user_of(request))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return HttpResponseRedirect(request.path)
        return render(request, self.template, self._context(imp, form), status=400)


class SchoolImportStatusView(LoginRequiredMixin, View):
    """The progress bar polls this."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        imp = school_import_get(user=request.user, pk=pk)
        return JsonResponse(
            {
                "status": imp.status,
                "status_label": imp.get_status_display(),
                "progress_percent": imp.progress_percent,
                "rows_total": imp.rows_total,
                "error": imp.error,
            }
        )


class SchoolImportRejectedView(LoginRequiredMixin, View):
    """The refused rows and why, as CSV (GIAS data is public; the names are schools')."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        imp = school_import_get(user=request.user, pk=pk)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["row", "URN", "EstablishmentName", "reason"])
        for row in imp.rejected_rows:
            writer.writerow([row["row"], row["urn"] or "", _safe(row["name"] or ""), row["error"]])
        # GIAS imports belong to no programme
        record_export(by=user_of(request), subject=imp, what="rejected_rows_csv", rows=len(imp.rejected_rows))
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="gias-import-{imp.pk}-rejected-rows.csv"'
        return response


def _safe(cell: str) -> str:
    """A leading apostrophe where a spreadsheet would run the cell as a formula."""
    return "'" + cell if cell.startswith(("=", "+", "-", "@", "\t", "\r")) else cell
