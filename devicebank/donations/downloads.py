"""Downloads the donation pages and the API both serve: one place records the export and names the file."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from devicebank.core.events import record_export
from devicebank.core.evidence import evidence_response
from devicebank.core.forms import user_of
from devicebank.donations.models import RegisterImport


def rejected_rows_download(request: HttpRequest, imp: RegisterImport) -> HttpResponseBase:
    """The CSV of a register import's rejected rows, with their reasons; 404 when it rejected none.

    `imp` must come from `register_import_get`, which has already checked the caller may see it.
    """
    if not imp.report_file:
        raise Http404("This import rejected no rows.")
    record_export(
        by=user_of(request),
        subject=imp,
        what="rejected_rows_csv",
        rows=imp.rows_rejected,
        programme_id=imp.donation.programme_id,
    )
    return evidence_response(
        request,
        imp.report_file,
        imp.report_sha256,
        filename=f"rejected-rows-{imp.donation.reference}-{imp.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )
