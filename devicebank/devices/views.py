"""Device pages: list, page with timeline, register, change state (sanitisation has its own pages)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from devicebank.core.audiences import is_operational
from devicebank.core.errors import DomainError
from devicebank.core.forms import add_domain_error, user_of
from devicebank.core.pagination import CappedPaginator
from devicebank.devices.forms import (
    DeviceCorrectionForm,
    DeviceFilterForm,
    DeviceRegisterForm,
    DeviceTransitionForm,
)
from devicebank.devices.models import Device
from devicebank.devices.permissions import (
    can_change_devices,
    can_correct_devices,
    can_register_devices,
    transition_targets_for,
)
from devicebank.devices.selectors import (
    device_audiences,
    device_get,
    device_list,
    device_timeline,
    timeline_entries,
)
from devicebank.devices.services import DeviceSpec, device_correct, device_register, device_transition
from devicebank.devices.states import TRANSITIONS, DeviceState
from devicebank.people.access import scope_for
from devicebank.programmes.selectors import (
    location_list,
    organisation_list,
    programme_list,
    programme_organisations,
)

PAGE_SIZE = 50
GB = 1_000_000_000


class DeviceListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = DeviceFilterForm(
            request.GET or None,
            programmes=programme_list(user=request.user),
            locations=location_list(user=request.user),
            organisations=organisation_list(user=request.user),
        )
        filters = form.to_filters() if form.is_bound and form.is_valid() else None
        devices = (
            device_list(user=request.user, filters=filters) if not form.errors else Device.objects.none()
        )
        paginator = CappedPaginator(devices, PAGE_SIZE)
        requested = request.GET.get("page")
        page = paginator.get_page(paginator.num_pages if requested == "last" else requested)
        query = request.GET.copy()
        query.pop("page", None)
        can_register = can_register_devices.anywhere(scope_for(request.user))
        return render(
            request,
            "devices/device_list.html",
            {"form": form, "page_obj": page, "query_string": query.urlencode(), "can_register": can_register},
        )


class DeviceDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = device_get(user=request.user, asset_tag=asset_tag, reading=True)
        scope = scope_for(request.user)
        targets = _targets(request, device)
        events = device_timeline(user=request.user, device=device)
        audiences = device_audiences(user=request.user, device=device)
        return render(
            request,
            "devices/device_detail.html",
            {
                "device": device,
                "timeline": timeline_entries(user=request.user, device=device, events=events),
                # a funder reads the public milestones only: no serial, places, donor, evidence or panels
                "sees_details": device_list(user=request.user).filter(pk=device.pk).exists(),
                "operational": is_operational(audiences),
                "targets": targets,
                "can_edit": can_change_devices(scope, device.programme_id),
                "can_correct": can_correct_devices(scope, device.programme_id),
            },
        )


def _targets(request: HttpRequest, device: Device) -> list[DeviceState]:
    allowed = transition_targets_for(scope_for(request.user), device.programme_id)
    # Entering `sanitised` needs evidence, which has its own page.
    return [
        state
        for state in DeviceState
        if state in TRANSITIONS[DeviceState(device.state)]
        and state in allowed
        and state != DeviceState.SANITISED
    ]


class DeviceTransitionView(LoginRequiredMixin, View):
    template = "devices/device_transition.html"

    def _form(self, request: HttpRequest, device: Device, data: Any = None) -> DeviceTransitionForm:
        return DeviceTransitionForm(
            data,
            targets=_targets(request, device),
            # only where the device's programme works (devices.services refuses anywhere else)
            locations=location_list(user=request.user).filter(
                organisation__in=programme_organisations(programme_id=device.programme_id)
            ),
            initial={"expected_state": device.state, "to": request.GET.get("to")},
        )

    def _device(self, request: HttpRequest, asset_tag: str) -> Device:
        device = device_get(user=request.user, asset_tag=asset_tag)
        if not can_change_devices(scope_for(request.user), device.programme_id):
            raise PermissionDenied(can_change_devices.refusal)
        return device

    def get(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = self._device(request, asset_tag)
        return render(request, self.template, {"device": device, "form": self._form(request, device)})

    def post(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = self._device(request, asset_tag)
        form = self._form(request, device, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                device = device_transition(
                    device=device,
                    to=data["to"],
                    by=user_of(request),
                    reason=data["reason"],
                    location=data["location"],
                    handover_kind=data["handover_kind"] or None,
                    expected_state=data["expected_state"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{device.asset_tag} is now {device.state_label.lower()}.")
                return HttpResponseRedirect(reverse("devices:detail", args=[device.asset_tag]))
        return render(request, self.template, {"device": device, "form": form}, status=400)


class DeviceCorrectView(LoginRequiredMixin, View):
    """Correct a device's recorded details by hand, with a reason (devices.services.device_correct)."""

    template = "devices/device_correct.html"

    def _device(self, request: HttpRequest, asset_tag: str) -> Device:
        device = device_get(user=request.user, asset_tag=asset_tag)
        if not can_correct_devices(scope_for(request.user), device.programme_id):
            raise PermissionDenied(can_correct_devices.refusal)
        return device

    def get(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = self._device(request, asset_tag)
        form = DeviceCorrectionForm(initial=DeviceCorrectionForm.initial_for(device))
        return render(request, self.template, {"device": device, "form": form})

    def post(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = self._device(request, asset_tag)
        form = DeviceCorrectionForm(request.POST, initial=DeviceCorrectionForm.initial_for(device))
        if form.is_valid():
            try:
                device = device_correct(
                    device=device,
                    by=user_of(request),
                    changes=form.changes(),
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"The details of {device.asset_tag} are corrected.")
                return HttpResponseRedirect(reverse("devices:detail", args=[device.asset_tag]))
        return render(request, self.template, {"device": device, "form": form}, status=400)


class DeviceRegisterView(LoginRequiredMixin, View):
    template = "devices/device_register.html"

    def _form(self, request: HttpRequest, data: Any = None) -> DeviceRegisterForm:
        programmes = programme_list(user=request.user)
        allowed = can_register_devices.programme_ids(scope_for(request.user))
        if allowed is not None:
            programmes = programmes.filter(pk__in=allowed)
        if not programmes.exists():
            raise PermissionDenied(can_register_devices.refusal_anywhere)
        return DeviceRegisterForm(data, programmes=programmes, locations=location_list(user=request.user))

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, {"form": self._form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            spec = DeviceSpec(
                device_type=data["device_type"],
                manufacturer=data["manufacturer"],
                model=data["model"],
                serial_number=data["serial_number"] or None,
                cpu_model=data["cpu_model"],
                ram_bytes=_gb_to_bytes(data["ram_gb"]),
                storage_bytes=_gb_to_bytes(data["storage_gb"]),
                storage_kind=data["storage_kind"] or "",
            )
            try:
                device = device_register(
                    programme=data["programme"],
                    spec=spec,
                    by=user_of(request),
                    state=DeviceState.RECEIVED,
                    location=data["location"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Registered {device.asset_tag}.")
                return HttpResponseRedirect(reverse("devices:detail", args=[device.asset_tag]))
        return render(request, self.template, {"form": form}, status=400)


def _gb_to_bytes(value: Decimal | None) -> int | None:
    return None if value is None else int(value * GB)
