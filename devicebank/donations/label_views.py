"""Labels for every device of a donation, as an A4 sheet (PDF) or ZPL (devices.label_views draws them)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.views import View

from devicebank.devices.label_views import labels_response
from devicebank.devices.selectors import device_list
from devicebank.donations.selectors import donation_get


class DonationLabelsView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        donation = donation_get(user=request.user, pk=pk)
        devices = device_list(user=request.user).filter(donation=donation).order_by("asset_tag")
        return labels_response(
            request,
            devices,
            f"labels-{donation.reference}",
            subject=donation,
            programme_id=donation.programme_id,
        )
