"""Label downloads: one device as an A4 sheet (PDF) or ZPL, and the response every label download shares
(a donation's labels page is donations.label_views)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views import View

from devicebank.core.events import record_export
from devicebank.devices.labels import LAYOUTS, Label, LabelError, render_sheet_pdf, render_zpl
from devicebank.devices.models import Device
from devicebank.devices.selectors import device_get


def label_for(device: Device) -> Label:
    line1 = (
        " ".join(part for part in (device.manufacturer, device.model) if part)
        or device.get_device_type_display()
    )
    line2 = f"SN {device.serial_number}" if device.serial_number else ""
    url = settings.SITE_URL + reverse("devices:detail", args=[device.asset_tag])
    return Label(asset_tag=device.asset_tag, url=url, lines=tuple(line for line in (line1, line2) if line))


def labels_response(
    request: HttpRequest, devices: Iterable[Device], name: str, *, subject: Any, programme_id: int
) -> HttpResponse:
    """?format=pdf|zpl, ?layout=a4-21|a4-24, ?skip=N (labels already used on the first sheet).

    `subject` (a device, a donation) is what the download is recorded against (`DATA_EXPORTED`)."""
    fmt = request.GET.get("format", "pdf")
    try:
        labels = [label_for(device) for device in devices]
        skip = int(request.GET.get("skip", "0") or 0)
        if fmt == "zpl":
            body: bytes = render_zpl(labels).encode()
            _record(request, subject, "labels_zpl", len(labels), programme_id)
            response = HttpResponse(body, content_type="text/plain; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.zpl"'
            return response
        if fmt != "pdf":
            raise LabelError("Choose format=pdf or format=zpl.")
        layout = request.GET.get("layout", "a4-21")
        body = render_sheet_pdf(labels, layout=layout, skip=skip)
    except (LabelError, ValueError) as error:
        layouts = ", ".join(LAYOUTS)
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse(
                {
                    "error": {
                        "code": "invalid",
                        "message": f"Cannot make these labels: {error} (layouts: {layouts}).",
                        "fields": {},
                    }
                },
                status=400,
            )
        return HttpResponse(
            f"Cannot make these labels: {error} (layouts: {layouts}).",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    _record(request, subject, "labels_pdf", len(labels), programme_id)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _record(request: HttpRequest, subject: Any, what: str, rows: int, programme_id: int) -> None:
    user = request.user if request.user.is_authenticated else None
    record_export(by=user, subject=subject, what=what, rows=rows, programme_id=programme_id)


class DeviceLabelView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = device_get(user=request.user, asset_tag=asset_tag)
        return labels_response(
            request, [device], f"label-{device.asset_tag}", subject=device, programme_id=device.programme_id
        )
