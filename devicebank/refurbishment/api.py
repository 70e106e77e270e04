"""Workbench API: every workbench action has a twin here. One APIView per operation, nested serializers with
names unique across the project (drf-spectacular components)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from devicebank.core.forms import user_of
from devicebank.devices.api import ERRORS, MAX_ID
from devicebank.devices.models import Device, DeviceType
from devicebank.people.access import scope_for
from devicebank.programmes.selectors import programme_list
from devicebank.refurbishment import selectors, services
from devicebank.refurbishment.models import (
    CosmeticGrade,
    DeviceSecret,
    ItemOutcome,
    LicenceChannel,
    OperatingSystem,
    OsTarget,
    Part,
    PartKind,
    Recommendation,
    SecretKind,
    Specification,
    TpmVersion,
)
from devicebank.refurbishment.permissions import (
    can_manage_specifications,
    can_recycle,
    can_refurbish,
    can_reveal_secrets,
)

CONFLICT = {409: OpenApiResponse(description="Someone changed the device first (`expected_state`).")}


def _money(**extra: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=7, decimal_places=2, min_value=Decimal(0), max_value=Decimal(99999), **extra
    )


def _device(request: Request, asset_tag: str) -> Device:
    """A device whose refurbishment records the person may see (404 outside their scope, 403 without a role)."""
    return selectors.workbench_device_get(user=request.user, asset_tag=asset_tag)


def _device_to_change(view: APIView, request: Request, asset_tag: str) -> Device:
    """The device, then the view's capability (`permission_classes`) asked of its programme."""
    device = _device(request, asset_tag)
    view.check_object_permissions(request, device)
    return device


def _programme(request: Request, slug: str) -> Any:
    programme = programme_list(user=request.user).filter(slug=slug).first()
    if programme is None:
        raise serializers.ValidationError({"programme": ["No such programme in your scope."]})
    return programme


def _parts(device: Device, rows: list[dict[str, Any]]) -> list[tuple[Part, int]]:
    wanted = {row["part"] for row in rows}
    found = {p.pk: p for p in Part.objects.filter(pk__in=wanted, programme_id=device.programme_id)}
    missing = sorted(wanted - set(found))
    if missing:
        raise serializers.ValidationError({"parts": [f"Not in this programme's stock: {missing}."]})
    return [(found[row["part"]], row["quantity"]) for row in rows]


# -- readiness -------------------------------------------------------------------------------------------


class RefurbStepSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=["done", "to_do", "failed"])
    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class RefurbRuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    status = serializers.ChoiceField(choices=["pass", "fail", "not_known"])
    detail = serializers.CharField()


class RefurbEligibilitySerializer(serializers.Serializer):
    target = serializers.CharField(
        help_text="An operating-system target: windows_11, windows_10, chromeos_flex, chromeos or linux."
    )
    ok = serializers.BooleanField(allow_null=True)
    reason = serializers.CharField()


class RefurbItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    required = serializers.BooleanField()  # type: ignore[assignment]
    outcome = serializers.CharField(allow_null=True)
    note = serializers.CharField(allow_blank=True)


class RefurbGradeOutSerializer(serializers.Serializer):
    final = serializers.CharField()
    cosmetic = serializers.CharField()
    performance = serializers.CharField()
    functional_pass = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()


class RefurbOsOutSerializer(serializers.Serializer):
    os = serializers.CharField()
    image_name = serializers.CharField()
    image_version = serializers.CharField()
    licence_channel = serializers.CharField()
    mdm_note = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class RefurbDecisionOutSerializer(serializers.Serializer):
    decision = serializers.CharField()
    recommendation = serializers.CharField()
    estimated_cost = serializers.DecimalField(max_digits=9, decimal_places=2)
    working_value = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    reason = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class RefurbReadinessSerializer(serializers.Serializer):
    asset_tag = serializers.CharField()
    state = serializers.CharField()
    ready_to_finish = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    steps = RefurbStepSerializer(many=True)
    specification = RefurbRuleSerializer(many=True, allow_null=True)
    os_eligibility = RefurbEligibilitySerializer(many=True)
    tests = RefurbItemSerializer(many=True)
    grade = RefurbGradeOutSerializer(allow_null=True)
    os_install = RefurbOsOutSerializer(allow_null=True)
    decision = RefurbDecisionOutSerializer(allow_null=True)


class RefurbishmentDeviceApi(APIView):
    """What a device still needs before ready, with every rule and its reason."""

    @classmethod
    def payload(cls, device: Device) -> dict[str, Any]:
        state = selectors.readiness(device)
        return {
            "asset_tag": device.asset_tag,
            "state": device.state,
            "ready_to_finish": state.ready_to_finish,
            "reasons": state.reasons,
            "steps": RefurbStepSerializer(state.steps, many=True).data,
            "specification": RefurbRuleSerializer(state.evaluation.rules, many=True).data
            if state.specification
            else None,
            "os_eligibility": [
                {"target": target, "ok": answer.ok, "reason": answer.reason}
                for target, answer in state.evaluation.os_eligibility.items()
            ],
            "tests": [
                {
                    "key": r.item.key,
                    "label": r.item.label,
                    "required": r.item.required,
                    "outcome": r.outcome,
                    "note": r.note,
                }
                for r in state.items
            ],
            "grade": RefurbGradeOutSerializer(state.grade).data if state.grade else None,
            "os_install": RefurbOsOutSerializer(state.os_install).data if state.os_install else None,
            "decision": RefurbDecisionOutSerializer(state.decision).data if state.decision else None,
        }

    @extend_schema(responses={200: RefurbReadinessSerializer, **ERRORS}, summary="What a device still needs")
    def get(self, request: Request, asset_tag: str) -> Response:
        return Response(self.payload(_device(request, asset_tag)))


def _readiness_response(device: Device, code: int = status.HTTP_200_OK) -> Response:
    device.refresh_from_db()
    return Response(RefurbishmentDeviceApi.payload(device), status=code)


# -- bench steps -----------------------------------------------------------------------------------------


class RefurbishmentTestsApi(APIView):
    permission_classes = [can_refurbish.api]

    class RefurbTestResultInputSerializer(serializers.Serializer):
        key = serializers.CharField(max_length=40)
        outcome = serializers.ChoiceField(choices=ItemOutcome.choices)
        note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    class RefurbTestsInputSerializer(serializers.Serializer):
        results = serializers.ListField(
            child=serializers.DictField(), max_length=40, required=False, default=list
        )
        battery_health_percent = serializers.DecimalField(
            max_digits=4, decimal_places=1, min_value=0, max_value=110, required=False, allow_null=True
        )
        screen_inches = serializers.DecimalField(
            max_digits=4, decimal_places=1, min_value=5, max_value=40, required=False, allow_null=True
        )
        tpm_version = serializers.ChoiceField(choices=TpmVersion.choices, required=False, default="")
        notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    @extend_schema(
        request=RefurbTestsInputSerializer,
        responses={201: RefurbReadinessSerializer, **ERRORS},
        summary="Record test results (some or all checklist items) and measurements",
        description="`results`: [{key, outcome: pass|fail|n/a, note}]. A sanitised device moves into refurbishment.",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _device_to_change(self, request, asset_tag)
        payload = self.RefurbTestsInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        rows = []
        for raw in data["results"]:
            row = self.RefurbTestResultInputSerializer(data=raw)
            row.is_valid(raise_exception=True)
            rows.append(services.ItemInput(**row.validated_data))
        services.device_tests_record(
            device=device,
            by=user_of(request),
            results=rows,
            battery_health_percent=data.get("battery_health_percent"),
            screen_inches=data.get("screen_inches"),
            tpm_version=data["tpm_version"],
            notes=data["notes"],
        )
        return _readiness_response(device, status.HTTP_201_CREATED)


class RefurbishmentGradeApi(APIView):
    permission_classes = [can_refurbish.api]

    class RefurbGradeInputSerializer(serializers.Serializer):
        cosmetic = serializers.ChoiceField(choices=CosmeticGrade.choices)
        notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    @extend_schema(
        request=RefurbGradeInputSerializer,
        responses={201: RefurbReadinessSerializer, **ERRORS},
        summary="Grade a tested device",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _device_to_change(self, request, asset_tag)
        payload = self.RefurbGradeInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.grade_record(device=device, by=user_of(request), **payload.validated_data)
        return _readiness_response(device, status.HTTP_201_CREATED)


@method_decorator(sensitive_post_parameters("licence_key", "coa_number"), name="dispatch")
class RefurbishmentOsInstallApi(APIView):
    permission_classes = [can_refurbish.api]

    class RefurbOsInstallInputSerializer(serializers.Serializer):
        os = serializers.ChoiceField(choices=OperatingSystem.choices)
        licence_channel = serializers.ChoiceField(choices=LicenceChannel.choices)
        image_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        image_version = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        licence_key = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
        coa_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
        mdm_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    @extend_schema(
        request=RefurbOsInstallInputSerializer,
        responses={201: RefurbReadinessSerializer, **ERRORS},
        summary="Record the operating system installed; licence key and COA number are kept encrypted",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _device_to_change(self, request, asset_tag)
        payload = self.RefurbOsInstallInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.os_install_record(device=device, by=user_of(request), **payload.validated_data)
        return _readiness_response(device, status.HTTP_201_CREATED)


class RefurbSecretOutputSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text="licence_key, coa_number, bios_password or admin_password."
    )
    hint = serializers.SerializerMethodField()

    class Meta:
        model = DeviceSecret
        fields = ["id", "kind", "hint", "recorded_at"]
        read_only_fields = fields

    def get_hint(self, secret: DeviceSecret) -> str | None:
        """The masked hint, only for those who may reveal the secret."""
        return secret.masked if self.context.get("can_reveal") else None


@method_decorator(sensitive_post_parameters("value"), name="dispatch")
class RefurbishmentSecretsApi(APIView):
    """GET lists a device's secrets (never their values); POST keeps a BIOS or administrator password."""

    permission_classes = [can_refurbish.api]

    class RefurbPasswordInputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(
            choices=[SecretKind.BIOS_PASSWORD.value, SecretKind.ADMIN_PASSWORD.value]
        )
        value = serializers.CharField(max_length=200, trim_whitespace=False)

    @extend_schema(
        responses={200: RefurbSecretOutputSerializer(many=True), **ERRORS}, summary="A device's secrets"
    )
    def get(self, request: Request, asset_tag: str) -> Response:
        device = _device(request, asset_tag)
        context = {"can_reveal": can_reveal_secrets(scope_for(request.user), device.programme_id)}
        return Response(
            RefurbSecretOutputSerializer(
                selectors.secrets_for(device=device), many=True, context=context
            ).data
        )

    @extend_schema(
        request=RefurbPasswordInputSerializer,
        responses={201: RefurbSecretOutputSerializer, **ERRORS},
        summary="Keep a BIOS or administrator password, encrypted",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _device_to_change(self, request, asset_tag)
        payload = self.RefurbPasswordInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        secret = services.device_secret_record(device=device, by=user_of(request), **payload.validated_data)
        context = {"can_reveal": can_reveal_secrets(scope_for(request.user), device.programme_id)}
        return Response(
            RefurbSecretOutputSerializer(secret, context=context).data, status=status.HTTP_201_CREATED
        )


class RefurbishmentSecretRevealApi(APIView):
    permission_classes = [can_reveal_secrets.api]

    class RefurbRevealOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        kind = serializers.CharField()
        value = serializers.CharField()

    @extend_schema(
        request=None,
        responses={200: RefurbRevealOutputSerializer, **ERRORS},
        summary="Reveal a licence key, COA number or password (technicians and managers; logged)",
    )
    def post(self, request: Request, asset_tag: str, pk: int) -> Response:
        device = _device(request, asset_tag)
        secret = DeviceSecret.objects.filter(device=device, pk=pk).first() if pk <= MAX_ID else None
        if secret is None:
            raise Http404("No such secret.")
        self.check_object_permissions(request, device)
        value = services.device_secret_reveal(secret=secret, by=user_of(request))
        response = Response({"id": secret.pk, "kind": secret.kind, "value": value})
        response["Cache-Control"] = "no-store"
        return response


class RefurbPartUseSerializer(serializers.Serializer):
    part = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = serializers.IntegerField(min_value=1, max_value=10_000)


class RefurbishmentRepairApi(APIView):
    permission_classes = [can_refurbish.api]

    class RefurbRepairInputSerializer(serializers.Serializer):
        fault = serializers.CharField(max_length=500)
        action = serializers.CharField(max_length=500)
        minutes = serializers.IntegerField(min_value=0, max_value=100_000, default=0)
        cost = _money(default=0)
        parts = RefurbPartUseSerializer(many=True, required=False, default=list, max_length=20)  # type: ignore[call-arg]

    @extend_schema(
        request=RefurbRepairInputSerializer,
        responses={201: RefurbReadinessSerializer, **ERRORS},
        summary="Record a repair; the parts used leave stock (never below zero)",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _device_to_change(self, request, asset_tag)
        payload = self.RefurbRepairInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.repair_record(
            device=device,
            by=user_of(request),
            fault=data["fault"],
            action=data["action"],
            minutes=data["minutes"],
            cost=data["cost"],
            parts=_parts(device, data["parts"]),
        )
        return _readiness_response(device, status.HTTP_201_CREATED)


class RefurbPartOutputSerializer(serializers.ModelSerializer):
    programme: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    # A plain string: the enum is on the input (one component per choice set keeps the schema warning-free).
    kind = serializers.CharField(read_only=True, help_text="The kind of part, one of the input's choices.")

    class Meta:
        model = Part
        fields = ["id", "programme", "kind", "description", "compatible_models", "quantity"]
        read_only_fields = fields


class RefurbishmentHarvestApi(APIView):
    permission_classes = [can_refurbish.api]

    class RefurbHarvestInputSerializer(serializers.Serializer):
        parts = RefurbPartUseSerializer(many=True, max_length=20)  # type: ignore[call-arg]

    @extend_schema(
        request=RefurbHarvestInputSerializer,
        responses={200: RefurbPartOutputSerializer(many=True), **ERRORS},
        summary="Harvest parts from a sanitised device into stock",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _device_to_change(self, request, asset_tag)
        payload = self.RefurbHarvestInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        parts = services.parts_harvest(
            device=device, by=user_of(request), parts=_parts(device, payload.validated_data["parts"])
        )
        return Response(RefurbPartOutputSerializer(parts, many=True).data)


class RefurbishmentDecisionApi(APIView):
    permission_classes = [can_refurbish.api]

    class RefurbDecisionInputSerializer(serializers.Serializer):
        estimated_parts_cost = _money()
        estimated_minutes = serializers.IntegerField(min_value=0, max_value=100_000)
        decision = serializers.ChoiceField(choices=Recommendation.choices)
        reason = serializers.CharField(max_length=2000)

    @extend_schema(
        request=RefurbDecisionInputSerializer,
        responses={201: RefurbReadinessSerializer, **ERRORS},
        summary="Record repair, harvest or recycle with its reason (the recommendation is kept beside it)",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _device_to_change(self, request, asset_tag)
        payload = self.RefurbDecisionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.decision_record(device=device, by=user_of(request), **payload.validated_data)
        return _readiness_response(device, status.HTTP_201_CREATED)


class RefurbishmentRecycleApi(APIView):
    permission_classes = [can_recycle.api]

    class RefurbRecycleInputSerializer(serializers.Serializer):
        recycler = serializers.CharField(max_length=200)
        consignment_note = serializers.CharField(max_length=100)
        weight_kg = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=1000)
        handed_over_on = serializers.DateField()
        reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
        expected_state = serializers.CharField(max_length=20, required=False, allow_null=True, default=None)

    class RefurbRecyclingOutputSerializer(serializers.Serializer):
        asset_tag = serializers.CharField(source="device.asset_tag")
        state = serializers.CharField(source="device.state")
        recycler = serializers.CharField()
        consignment_note = serializers.CharField()
        weight_kg = serializers.DecimalField(max_digits=7, decimal_places=2)
        handed_over_on = serializers.DateField()

    @extend_schema(
        request=RefurbRecycleInputSerializer,
        responses={201: RefurbRecyclingOutputSerializer, **CONFLICT, **ERRORS},
        summary="Hand a device to a licensed recycler with WEEE evidence; it ends recycled",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _device_to_change(self, request, asset_tag)
        payload = self.RefurbRecycleInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record = services.device_recycle(device=device, by=user_of(request), **payload.validated_data)
        record.device.refresh_from_db()
        return Response(self.RefurbRecyclingOutputSerializer(record).data, status=status.HTTP_201_CREATED)


class RefurbishmentReadyApi(APIView):
    permission_classes = [can_refurbish.api]

    class RefurbReadyInputSerializer(serializers.Serializer):
        expected_state = serializers.CharField(max_length=20, required=False, default="in_refurbishment")

    @extend_schema(
        request=RefurbReadyInputSerializer,
        responses={200: RefurbReadinessSerializer, **CONFLICT, **ERRORS},
        summary="Mark a refurbished device ready",
        description="400 names every rule that still fails; 409 when someone else moved the device first.",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _device_to_change(self, request, asset_tag)
        payload = self.RefurbReadyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        device = services.device_mark_ready(
            device=device, by=user_of(request), expected_state=payload.validated_data["expected_state"]
        )
        return _readiness_response(device)


class RefurbishmentBulkApi(APIView):
    # Each device is checked by the service, which reports a refusal as that device's outcome.
    permission_classes = [can_refurbish.api]

    class RefurbBulkInputSerializer(serializers.Serializer):
        asset_tags = serializers.ListField(
            child=serializers.CharField(max_length=20), min_length=1, max_length=500
        )
        action = serializers.ChoiceField(choices=services.BulkAction.CHOICES)
        not_applicable = serializers.ListField(
            child=serializers.CharField(max_length=40), required=False, default=list, max_length=40
        )
        cosmetic = serializers.ChoiceField(choices=CosmeticGrade.choices, required=False, default="")
        os = serializers.ChoiceField(choices=OperatingSystem.choices, required=False, default="")
        licence_channel = serializers.ChoiceField(choices=LicenceChannel.choices, required=False, default="")
        image_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        image_version = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    class RefurbBulkOutcomeSerializer(serializers.Serializer):
        asset_tag = serializers.CharField()
        ok = serializers.BooleanField()
        message = serializers.CharField()

    @extend_schema(
        request=RefurbBulkInputSerializer,
        responses={200: RefurbBulkOutcomeSerializer(many=True), **ERRORS},
        summary="One step for a pallet of identical models: one outcome per device",
    )
    def post(self, request: Request) -> Response:
        if not can_refurbish.anywhere(scope_for(request.user)):
            raise PermissionDenied(can_refurbish.refusal_anywhere)
        payload = self.RefurbBulkInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        devices, missing = [], []
        for tag in dict.fromkeys(t.strip().upper() for t in data.pop("asset_tags")):
            try:
                devices.append(selectors.workbench_device_get(user=request.user, asset_tag=tag))
            except (Http404, PermissionDenied):
                missing.append(tag)
        if missing:
            raise serializers.ValidationError(
                {"asset_tags": [f"Not found in your programmes: {missing[:20]}."]}
            )
        outcomes = services.refurbishment_bulk_apply(
            devices=devices, by=user_of(request), action=data.pop("action"), params=data
        )
        return Response(self.RefurbBulkOutcomeSerializer(outcomes, many=True).data)


# -- specifications, parts, throughput -------------------------------------------------------------------


class RefurbChecklistItemSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=40)
    label = serializers.CharField(max_length=120)  # type: ignore[assignment]
    required = serializers.BooleanField(default=False)  # type: ignore[assignment]


class RefurbSpecificationOutputSerializer(serializers.ModelSerializer):
    programme: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Specification
        fields = [
            "programme",
            "device_type",
            "min_ram_bytes",
            "min_storage_bytes",
            "require_ssd",
            "min_intel_generation",
            "min_ryzen_series",
            "cpu_families",
            "min_battery_percent",
            "min_screen_inches",
            "require_webcam",
            "os_targets",
            "require_os_install",
            "checklist",
            "working_value",
            "labour_rate",
            "updated_at",
        ]
        read_only_fields = fields


class RefurbishmentSpecificationsApi(APIView):
    """GET lists the specifications you can see; POST creates or replaces one (programme managers)."""

    permission_classes = [can_manage_specifications.api]

    class RefurbSpecificationInputSerializer(serializers.Serializer):
        programme = serializers.SlugField(max_length=60)
        device_type = serializers.ChoiceField(choices=DeviceType.choices)
        min_ram_bytes = serializers.IntegerField(
            required=False, allow_null=True, min_value=0, max_value=2**50
        )
        min_storage_bytes = serializers.IntegerField(
            required=False, allow_null=True, min_value=0, max_value=2**60
        )
        require_ssd = serializers.BooleanField(default=False)
        min_intel_generation = serializers.IntegerField(
            required=False, allow_null=True, min_value=1, max_value=30
        )
        min_ryzen_series = serializers.IntegerField(
            required=False, allow_null=True, min_value=1000, max_value=20000
        )
        cpu_families = serializers.ListField(
            child=serializers.CharField(max_length=60), required=False, default=list, max_length=30
        )
        min_battery_percent = serializers.IntegerField(
            required=False, allow_null=True, min_value=0, max_value=100
        )
        min_screen_inches = serializers.DecimalField(
            max_digits=4, decimal_places=1, required=False, allow_null=True, min_value=5, max_value=40
        )
        require_webcam = serializers.BooleanField(default=False)
        os_targets = serializers.ListField(
            child=serializers.ChoiceField(choices=OsTarget.choices),
            required=False,
            default=list,
            max_length=5,
        )
        require_os_install = serializers.BooleanField(default=True)
        checklist = RefurbChecklistItemSerializer(many=True, required=False, default=list, max_length=40)  # type: ignore[call-arg]
        working_value = _money(required=False, allow_null=True)
        labour_rate = _money(required=False, default=Decimal("25.00"))

    @extend_schema(
        responses={200: RefurbSpecificationOutputSerializer(many=True), **ERRORS},
        summary="Programme specifications",
    )
    def get(self, request: Request) -> Response:
        if not selectors.workbench_visible(user=request.user):
            raise PermissionDenied("Specifications are for people who work in a programme.")
        return Response(
            RefurbSpecificationOutputSerializer(
                selectors.specification_list(user=request.user), many=True
            ).data
        )

    @extend_schema(
        request=RefurbSpecificationInputSerializer,
        responses={200: RefurbSpecificationOutputSerializer, **ERRORS},
        summary="Create or replace a programme's specification for one device type",
    )
    def post(self, request: Request) -> Response:
        payload = self.RefurbSpecificationInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        programme = _programme(request, data.pop("programme"))
        self.check_object_permissions(request, programme.pk)
        device_type = data.pop("device_type")
        data["checklist"] = [dict(item) for item in data["checklist"]]
        spec = services.specification_save(
            programme=programme,
            device_type=device_type,
            values=services.SpecificationValues(**data),
            by=user_of(request),
        )
        return Response(RefurbSpecificationOutputSerializer(spec).data)


class RefurbishmentPartsApi(APIView):
    """GET lists the parts stock you can see; POST adds a kind of part to a programme's stock list."""

    permission_classes = [can_refurbish.api]

    class RefurbPartInputSerializer(serializers.Serializer):
        programme = serializers.SlugField(max_length=60)
        kind = serializers.ChoiceField(choices=PartKind.choices)
        description = serializers.CharField(max_length=200)
        compatible_models = serializers.CharField(
            max_length=500, required=False, allow_blank=True, default=""
        )
        quantity = serializers.IntegerField(min_value=0, max_value=100_000, default=0)

    @extend_schema(
        parameters=[OpenApiParameter("programme", str, required=False)],
        responses={200: RefurbPartOutputSerializer(many=True), **ERRORS},
        summary="Parts stock",
    )
    def get(self, request: Request) -> Response:
        if not selectors.workbench_visible(user=request.user):
            raise PermissionDenied("Parts stock is for people who work in a programme.")
        parts = selectors.part_list(user=request.user)
        slug = request.query_params.get("programme")
        if slug:
            parts = parts.filter(programme__slug=slug[:60])
        return Response(RefurbPartOutputSerializer(parts, many=True).data)

    @extend_schema(
        request=RefurbPartInputSerializer,
        responses={201: RefurbPartOutputSerializer, **ERRORS},
        summary="Add a part",
    )
    def post(self, request: Request) -> Response:
        payload = self.RefurbPartInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        programme = _programme(request, data.pop("programme"))
        self.check_object_permissions(request, programme.pk)
        part = services.part_create(programme=programme, by=user_of(request), **data)
        return Response(RefurbPartOutputSerializer(part).data, status=status.HTTP_201_CREATED)


class RefurbishmentPartAdjustApi(APIView):
    permission_classes = [can_refurbish.api]

    class RefurbPartAdjustInputSerializer(serializers.Serializer):
        delta = serializers.IntegerField(min_value=-100_000, max_value=100_000)
        reason = serializers.CharField(max_length=500)

    @extend_schema(
        request=RefurbPartAdjustInputSerializer,
        responses={200: RefurbPartOutputSerializer, **ERRORS},
        summary="Count stock in or out (never below zero)",
    )
    def post(self, request: Request, pk: int) -> Response:
        part = selectors.part_get(user=request.user, pk=pk) if pk <= MAX_ID else None
        if part is None:
            raise Http404("No such part.")
        self.check_object_permissions(request, part)
        payload = self.RefurbPartAdjustInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        part = services.part_adjust(part=part, by=user_of(request), **payload.validated_data)
        return Response(RefurbPartOutputSerializer(part).data)


class RefurbishmentThroughputApi(APIView):
    class RefurbThroughputRowSerializer(serializers.Serializer):
        day = serializers.DateField()
        technician = serializers.CharField()
        devices = serializers.IntegerField()

    class RefurbThroughputSerializer(serializers.Serializer):
        since = serializers.DateField()
        until = serializers.DateField()
        rows = serializers.ListField(child=serializers.DictField())
        by_person = serializers.DictField(child=serializers.IntegerField())
        landfill_diverted_kg = serializers.DecimalField(max_digits=12, decimal_places=2)
        recycled_devices = serializers.IntegerField()

    class RefurbThroughputQuerySerializer(serializers.Serializer):
        days = serializers.IntegerField(min_value=1, max_value=366, required=False, default=14)
        programme = serializers.SlugField(max_length=60, required=False)

    @extend_schema(
        parameters=[RefurbThroughputQuerySerializer],
        responses={200: RefurbThroughputSerializer, **ERRORS},
        summary="Devices made ready per day per person (programme managers), and kg recycled",
    )
    def get(self, request: Request) -> Response:
        query = self.RefurbThroughputQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        programme_id = None
        if query.validated_data.get("programme"):
            programme_id = _programme(request, query.validated_data["programme"]).pk
        figures = selectors.throughput(
            user=request.user, days=query.validated_data["days"], programme_id=programme_id
        )
        return Response(
            {
                "since": figures.since,
                "until": figures.until,
                "rows": self.RefurbThroughputRowSerializer(figures.rows, many=True).data,
                "by_person": figures.by_person,
                "landfill_diverted_kg": str(figures.landfill_diverted_kg),
                "recycled_devices": figures.recycled_devices,
            }
        )
