"""Workbench pages: scan a device, see what it still needs, record each step with the keyboard, mark it ready,
scan the next. Views parse, call a service or selector, and render; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from devicebank.core.errors import DomainError
from devicebank.core.forms import add_domain_error, user_of
from devicebank.core.viewlog import record_views_for
from devicebank.devices.models import Device, DeviceType
from devicebank.devices.states import DeviceState
from devicebank.people.access import scope_for
from devicebank.people.capabilities import CapabilityRequiredMixin
from devicebank.programmes.selectors import programme_get
from devicebank.refurbishment import forms as f
from devicebank.refurbishment import selectors, services
from devicebank.refurbishment.models import DeviceSecret, OsTarget, Specification
from devicebank.refurbishment.permissions import (
    can_manage_specifications,
    can_recycle,
    can_refurbish,
    can_reveal_secrets,
    can_see_refurbishment,
    can_see_throughput,
)

NOTICE = "refurbishment_notice"


def _notify(request: HttpRequest, text: str) -> None:
    """A status line for the next page, shown without taking the focus (unlike Django's success messages)."""
    request.session[NOTICE] = text


def _device_url(device: Device) -> str:
    return reverse("refurbishment:device", args=[device.asset_tag])


class WorkbenchView(CapabilityRequiredMixin, View):
    """The scan page: a focused input a barcode scanner types into, and the devices waiting for work."""

    capability = can_see_refurbishment

    def get(self, request: HttpRequest) -> HttpResponse:
        form = f.ScanForm(request.GET or None)
        status = 200
        if form.is_bound and form.is_valid():
            device = selectors.workbench_device_find(user=request.user, code=form.cleaned_data["code"])
            if device is not None:
                return HttpResponseRedirect(_device_url(device))
            form.add_error("code", "No single device in your programmes has that asset tag or serial number.")
            status = 404
        return render(
            request,
            "refurbishment/workbench.html",
            {
                "form": form,
                "queue": selectors.workbench_queue(user=request.user),
                "notice": request.session.pop(NOTICE, None),
            },
            status=status,
        )


class DeviceWorkbenchView(LoginRequiredMixin, View):
    """What one device still needs, step by step, with every failing rule; "Mark as ready" when nothing is left."""

    def get(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = selectors.workbench_device_get(user=request.user, asset_tag=asset_tag)
        return render(request, "refurbishment/device.html", _device_context(request, device))


def _device_context(request: HttpRequest, device: Device, **extra: Any) -> dict[str, Any]:
    scope = scope_for(request.user)
    state = selectors.readiness(device)
    next_step = next((s for s in state.steps if s.status != "done" and s.key in STEP_URLS), None)
    return {
        "device": device,
        "readiness": state,
        "next_step": next_step,
        "next_url": reverse(STEP_URLS[next_step.key], args=[device.asset_tag]) if next_step else "",
        "can_work": can_refurbish(scope, device.programme_id),
        "can_recycle": can_recycle(scope, device.programme_id),
        "can_reveal": can_reveal_secrets(scope, device.programme_id),
        "secrets": selectors.secrets_for(device=device),
        # who revealed them (core.viewlog): shown to those who may reveal them
        "secret_views": record_views_for(device, limit=10)
        if can_reveal_secrets(scope, device.programme_id)
        else [],
        "repairs": selectors.repairs_for(device=device)[:10],
        "recycling": selectors.recycling_for(device=device),
        "finish_form": f.FinishForm(initial={"expected_state": device.state}),
        "scan_form": f.NextScanForm(),
        "os_rows": [(OsTarget(t).label, a) for t, a in state.evaluation.os_eligibility.items()],
        "notice": request.session.pop(NOTICE, None),
        "work_states": (DeviceState.SANITISED, DeviceState.IN_REFURBISHMENT),
        **extra,
    }


STEP_URLS = {
    "tests": "refurbishment:tests",
    "grade": "refurbishment:grade",
    "os": "refurbishment:os",
    "label": "refurbishment:tests",
}


class _StepView(LoginRequiredMixin, View):
    """One short form for one step on one device; success returns to the device's workbench page."""

    template = "refurbishment/step.html"
    title = ""
    button = "Save"
    capability = can_refurbish

    def device(self, request: HttpRequest, asset_tag: str) -> Device:
        device = selectors.workbench_device_get(user=request.user, asset_tag=asset_tag)
        if not self.capability(scope_for(request.user), device.programme_id):
            raise PermissionDenied(self.capability.refusal)
        return device

    def form(self, request: HttpRequest, device: Device, data: Any = None) -> Any:
        raise NotImplementedError

    def act(self, request: HttpRequest, device: Device, form: Any) -> str:
        raise NotImplementedError

    def context(self, request: HttpRequest, device: Device, form: Any) -> dict[str, Any]:
        return {"device": device, "form": form, "title": self.title, "button": self.button}

    def get(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = self.device(request, asset_tag)
        form = self.form(request, device)
        return render(request, self.template, self.context(request, device, form))

    def post(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = self.device(request, asset_tag)
        form = self.form(request, device, request.POST)
        if form.is_valid():
            try:
                message = self.act(request, device, form)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                _notify(request, message)
                return HttpResponseRedirect(self.success_url(device))
        return render(request, self.template, self.context(request, device, form), status=400)

    def success_url(self, device: Device) -> str:
        return _device_url(device)


class TestsView(_StepView):
    template = "refurbishment/tests.html"
    title = "Test it"
    button = "Save results"

    def form(self, request: HttpRequest, device: Device, data: Any = None) -> f.TestRunForm:
        return f.TestRunForm(data, items=selectors.readiness(device).items)

    def act(self, request: HttpRequest, device: Device, form: Any) -> str:
        all_pass = "all_pass" in request.POST
        data = form.cleaned_data
        services.device_tests_record(
            device=device,
            by=user_of(request),
            results=[services.ItemInput(k, o, n) for k, o, n in form.results(all_pass=all_pass)],
            battery_health_percent=data.get("battery_health_percent"),
            screen_inches=data.get("screen_inches"),
            tpm_version=data.get("tpm_version") or "",
            notes=data.get("notes") or "",
        )
        return f"Test results recorded for {device.asset_tag}."


class GradeView(_StepView):
    title = "Grade it"
    button = "Save grade"

    def form(self, request: HttpRequest, device: Device, data: Any = None) -> f.GradeForm:
        return f.GradeForm(data)

    def act(self, request: HttpRequest, device: Device, form: Any) -> str:
        grade = services.grade_record(device=device, by=user_of(request), **form.cleaned_data)
        return f"{device.asset_tag} graded {grade.final}."


@method_decorator(sensitive_post_parameters("licence_key", "coa_number"), name="dispatch")
class OsView(_StepView):
    title = "Record the operating system"
    button = "Save install"

    def form(self, request: HttpRequest, device: Device, data: Any = None) -> f.OsInstallForm:
        return f.OsInstallForm(data)

    def act(self, request: HttpRequest, device: Device, form: Any) -> str:
        install = services.os_install_record(device=device, by=user_of(request), **form.cleaned_data)
        return f"{install.get_os_display()} recorded for {device.asset_tag}."


@method_decorator(sensitive_post_parameters("value"), name="dispatch")
class PasswordView(_StepView):
    title = "Keep a BIOS or administrator password"
    button = "Save password"

    def form(self, request: HttpRequest, device: Device, data: Any = None) -> f.PasswordForm:
        return f.PasswordForm(data)

    def act(self, request: HttpRequest, device: Device, form: Any) -> str:
        secret = services.device_secret_record(device=device, by=user_of(request), **form.cleaned_data)
        return f"{secret.get_kind_display()} kept, encrypted."


class RepairView(_StepView):
    title = "Record a repair"
    button = "Save repair"

    def form(self, request: HttpRequest, device: Device, data: Any = None) -> f.RepairForm:
        return f.RepairForm(data, parts=selectors.parts_for_device(device=device))

    def act(self, request: HttpRequest, device: Device, form: Any) -> str:
        data = form.cleaned_data
        services.repair_record(
            device=device,
            by=user_of(request),
            fault=data["fault"],
            action=data["action"],
            minutes=data["minutes"],
            cost=data["cost"],
            parts=[(data["part"], data["quantity"])] if data["part"] else [],
        )
        return f"Repair recorded for {device.asset_tag}."


class HarvestView(_StepView):
    title = "Harvest a part"
    button = "Add to stock"

    def form(self, request: HttpRequest, device: Device, data: Any = None) -> f.HarvestForm:
        return f.HarvestForm(data, parts=selectors.parts_for_device(device=device))

    def act(self, request: HttpRequest, device: Device, form: Any) -> str:
        data = form.cleaned_data
        services.parts_harvest(device=device, by=user_of(request), parts=[(data["part"], data["quantity"])])
        return f"{data['quantity']} × {data['part'].description} added to stock from {device.asset_tag}."


class DecisionView(_StepView):
    template = "refurbishment/decision.html"
    title = "Repair or recycle?"
    button = "Save decision"

    def form(self, request: HttpRequest, device: Device, data: Any = None) -> f.DecisionForm:
        return f.DecisionForm(data)

    def context(self, request: HttpRequest, device: Device, form: Any) -> dict[str, Any]:
        context = super().context(request, device, form)
        parts_cost = form.data.get("estimated_parts_cost") if form.is_bound else None
        minutes = form.data.get("estimated_minutes") if form.is_bound else None
        try:
            context["estimate"] = services.decision_estimate(
                device=device, parts_cost=parts_cost or 0, minutes=int(minutes or 0)
            )
        except (DomainError, ValueError):
            context["estimate"] = None
        context["spec"] = selectors.specification_for(device)
        return context

    def act(self, request: HttpRequest, device: Device, form: Any) -> str:
        record = services.decision_record(device=device, by=user_of(request), **form.cleaned_data)
        return f"Decision recorded for {device.asset_tag}: {record.get_decision_display().lower()}."


class RecycleView(_StepView):
    title = "Send to a licensed recycler"
    button = "Record recycling"
    capability = can_recycle

    def form(self, request: HttpRequest, device: Device, data: Any = None) -> f.RecycleForm:
        return f.RecycleForm(data, initial={"expected_state": device.state})

    def act(self, request: HttpRequest, device: Device, form: Any) -> str:
        data = form.cleaned_data
        services.device_recycle(
            device=device,
            by=user_of(request),
            recycler=data["recycler"],
            consignment_note=data["consignment_note"],
            weight_kg=data["weight_kg"],
            handed_over_on=data["handed_over_on"],
            expected_state=data.get("expected_state") or None,
        )
        return f"{device.asset_tag} is now recycled."


class FinishView(_StepView):
    """POST only: mark the device ready, then back to the scan page for the next device."""

    def post(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        device = self.device(request, asset_tag)
        form = f.FinishForm(request.POST)
        if not form.is_valid():
            raise Http404("Use the workbench page to mark a device ready.")
        try:
            device = services.device_mark_ready(
                device=device, by=user_of(request), expected_state=form.cleaned_data["expected_state"]
            )
        except DomainError as error:
            context = _device_context(request, device, finish_error=error.message)
            return render(
                request, "refurbishment/device.html", context, status=409 if error.code == "conflict" else 400
            )
        _notify(request, f"{device.asset_tag} is now ready. Scan the next device.")
        return HttpResponseRedirect(reverse("refurbishment:workbench"))

    def get(self, request: HttpRequest, asset_tag: str) -> HttpResponse:
        return HttpResponseRedirect(reverse("refurbishment:device", args=[asset_tag]))


@method_decorator(never_cache, name="dispatch")
class SecretRevealView(LoginRequiredMixin, View):
    """Show one secret to a technician or manager of its programme, after a POST; the reveal is logged."""

    def post(self, request: HttpRequest, asset_tag: str, pk: int) -> HttpResponse:
        device = selectors.workbench_device_get(user=request.user, asset_tag=asset_tag)
        secret = DeviceSecret.objects.filter(device=device, pk=pk).first()
        if secret is None:
            raise Http404("No such secret.")
        if not can_reveal_secrets(scope_for(request.user), device.programme_id):
            raise PermissionDenied(can_reveal_secrets.refusal)
        value = services.device_secret_reveal(secret=secret, by=user_of(request))
        return render(
            request, "refurbishment/secret.html", {"device": device, "secret": secret, "value": value}
        )


class BulkView(CapabilityRequiredMixin, View):
    """A pallet of identical models: one step for many devices, one outcome per device."""

    template = "refurbishment/bulk.html"
    capability = can_refurbish

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, {"form": f.BulkForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = f.BulkForm(request.POST)
        outcomes: list[services.BulkOutcome] = []
        if form.is_valid():
            devices, missing = [], []
            for tag in form.tags():
                try:
                    devices.append(selectors.workbench_device_get(user=request.user, asset_tag=tag))
                except (Http404, PermissionDenied):
                    missing.append(tag)
            if missing:
                form.add_error("codes", f"Not found in your programmes: {', '.join(missing[:20])}.")
            else:
                try:
                    outcomes = services.refurbishment_bulk_apply(
                        devices=devices,
                        by=user_of(request),
                        action=form.cleaned_data["action"],
                        params=form.params(),
                    )
                except DomainError as error:
                    add_domain_error(form, error)
        status = 200 if form.is_valid() and outcomes else 400
        done = sum(1 for o in outcomes if o.ok)
        return render(
            request, self.template, {"form": form, "outcomes": outcomes, "done": done}, status=status
        )


class SpecificationListView(CapabilityRequiredMixin, View):
    capability = can_see_refurbishment

    def get(self, request: HttpRequest) -> HttpResponse:
        specs = selectors.specification_list(user=request.user)
        programmes = selectors.manageable_programmes(user=request.user)
        return render(
            request,
            "refurbishment/specifications.html",
            {"specifications": specs, "programmes": programmes, "device_types": DeviceType.choices},
        )


class SpecificationEditView(LoginRequiredMixin, View):
    template = "refurbishment/specification_form.html"

    def _get(self, request: HttpRequest, slug: str, device_type: str) -> Any:
        programme = programme_get(user=request.user, slug=slug)
        if device_type not in DeviceType.values:
            raise Http404("No such device type.")
        if not can_manage_specifications(scope_for(request.user), programme.pk):
            raise PermissionDenied(can_manage_specifications.refusal)
        spec = Specification.objects.filter(programme=programme, device_type=device_type).first()
        return programme, spec

    def _context(self, programme: Any, device_type: str, form: Any) -> dict[str, Any]:
        return {"programme": programme, "device_type": DeviceType(device_type), "form": form}

    def get(self, request: HttpRequest, slug: str, device_type: str) -> HttpResponse:
        programme, spec = self._get(request, slug, device_type)
        form = f.SpecificationForm(initial=f.SpecificationForm.initial_for(spec, device_type))
        return render(request, self.template, self._context(programme, device_type, form))

    def post(self, request: HttpRequest, slug: str, device_type: str) -> HttpResponse:
        programme, _spec = self._get(request, slug, device_type)
        form = f.SpecificationForm(request.POST)
        if form.is_valid():
            try:
                services.specification_save(
                    programme=programme, device_type=device_type, values=form.to_values(), by=user_of(request)
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request, f"{programme.name}: {DeviceType(device_type).label.lower()} specification saved."
                )
                return HttpResponseRedirect(reverse("refurbishment:specifications"))
        return render(request, self.template, self._context(programme, device_type, form), status=400)


class PartListView(CapabilityRequiredMixin, View):
    template = "refurbishment/parts.html"
    capability = can_see_refurbishment

    def _form(self, request: HttpRequest, data: Any = None) -> f.PartForm:
        return f.PartForm(data, programmes=selectors.workable_programmes(user=request.user))

    def _context(self, request: HttpRequest, form: Any) -> dict[str, Any]:
        return {"parts": selectors.part_list(user=request.user), "form": form}

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, self._context(request, self._form(request)))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not can_refurbish.anywhere(scope_for(request.user)):
            raise PermissionDenied(can_refurbish.refusal_anywhere)
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                part = services.part_create(by=user_of(request), **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{part.description} added to the stock list.")
                return HttpResponseRedirect(reverse("refurbishment:parts"))
        return render(request, self.template, self._context(request, form), status=400)


class PartAdjustView(LoginRequiredMixin, View):
    template = "refurbishment/part_adjust.html"

    def _part(self, request: HttpRequest, pk: int) -> Any:
        part = selectors.part_get(user=request.user, pk=pk)
        if not can_refurbish(scope_for(request.user), part.programme_id):
            raise PermissionDenied(can_refurbish.refusal)
        return part

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        part = self._part(request, pk)
        return render(request, self.template, {"part": part, "form": f.PartAdjustForm()})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        part = self._part(request, pk)
        form = f.PartAdjustForm(request.POST)
        if form.is_valid():
            try:
                part = services.part_adjust(part=part, by=user_of(request), **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{part.description}: {part.quantity} in stock.")
                return HttpResponseRedirect(reverse("refurbishment:parts"))
        return render(request, self.template, {"part": part, "form": form}, status=400)


class ThroughputView(CapabilityRequiredMixin, View):
    capability = can_see_throughput

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "refurbishment/throughput.html", {"figures": selectors.throughput(user=request.user)}
        )
