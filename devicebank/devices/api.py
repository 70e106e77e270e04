"""Device API: list, detail, events, register and change state. One view per operation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from devicebank.core.api import Pagination
from devicebank.core.forms import user_of
from devicebank.devices.models import Device, DeviceType, StorageKind
from devicebank.devices.permissions import can_change_devices, can_correct_devices, can_register_devices
from devicebank.devices.selectors import (
    DeviceFilters,
    device_get,
    device_list,
    device_timeline,
    programme_state_counts,
    timeline_entries,
)
from devicebank.devices.services import (
    DeviceSpec,
    HandoverKind,
    device_correct,
    device_register,
    device_transition,
)
from devicebank.devices.states import DeviceState
from devicebank.people.access import scope_for
from devicebank.people.models import Location
from devicebank.programmes.selectors import (
    location_list,
    programme_get,
    programme_list,
    programme_organisations,
)

ERRORS = {
    400: OpenApiResponse(description="Bad input; the body says why."),
    401: OpenApiResponse(description="Not signed in."),
    403: OpenApiResponse(description="Your role does not allow this."),
    404: OpenApiResponse(description="No such record in your scope."),
}


class MultipleChoiceCsvField(serializers.MultipleChoiceField):
    """Accepts `?state=ready&state=reserved` and `?state=ready,reserved`."""

    def to_internal_value(self, data: Any) -> Any:
        values: list[str] = []
        for item in data if isinstance(data, list) else [data]:
            values.extend(part for part in str(item).split(",") if part != "")
        if not values:
            raise serializers.ValidationError("Give at least one value.")
        return super().to_internal_value(values)  # type: ignore[arg-type]


MAX_ID = 2**63 - 1  # the database's bigint: larger numbers must be a 400, not an overflow


class DeviceFilterSerializer(serializers.Serializer):
    state = MultipleChoiceCsvField(choices=DeviceState.choices, required=False)
    device_type = MultipleChoiceCsvField(choices=DeviceType.choices, required=False)
    programme = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    location = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    custodian = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    donor = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500)

    def to_filters(self) -> DeviceFilters:
        data = self.validated_data
        return DeviceFilters(
            state=tuple(sorted(data.get("state", ()))),
            device_type=tuple(sorted(data.get("device_type", ()))),
            programme=data.get("programme"),
            location=data.get("location"),
            custodian=data.get("custodian"),
            donor=data.get("donor"),
            q=data.get("q", ""),
        )


def _query_params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        params[key] = values if key in ("state", "device_type") else values[-1]
    return params


class DeviceOutputSerializer(serializers.ModelSerializer):
    programme: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    location = serializers.SerializerMethodField()
    custodian = serializers.SerializerMethodField()

    class Meta:
        model = Device
        fields = [
            "asset_tag",
            "programme",
            "device_type",
            "manufacturer",
            "model",
            "serial_number",
            "cpu_model",
            "ram_bytes",
            "storage_bytes",
            "storage_kind",
            "state",
            "state_changed_at",
            "location",
            "custodian",
            "created_at",
        ]
        read_only_fields = fields

    def get_location(self, device: Device) -> dict[str, Any] | None:
        return {"id": device.location_id, "name": device.location.name} if device.location else None

    def get_custodian(self, device: Device) -> dict[str, Any] | None:
        return {"id": device.custodian_id, "name": device.custodian.name} if device.custodian else None


class EventOutputSerializer(serializers.Serializer):
    """One timeline entry as the reader's audience is shown it (core.audiences): `actor` and `reason` (the
    event's erasable note) only for the programme's staff and partners, `data` only the fields meant for them."""

    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    kind = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    reason = serializers.CharField(source="note")
    # DRF's metaclass takes declared fields off the class, so this does not hide Serializer.data at run time.
    data = serializers.DictField()  # type: ignore[assignment]
    area = serializers.CharField(
        allow_null=True, help_text="Handovers: the receiving organisation's district."
    )


class DeviceListApi(APIView):
    """GET lists the devices you can see; POST registers one."""

    permission_classes = [can_register_devices.api]

    @extend_schema(
        parameters=[DeviceFilterSerializer],
        responses={200: DeviceOutputSerializer(many=True), **ERRORS},
        summary="List devices you can see",
    )
    def get(self, request: Request) -> Response:
        params = DeviceFilterSerializer(data=_query_params(request))
        params.is_valid(raise_exception=True)
        devices = device_list(user=request.user, filters=params.to_filters())
        paginator = Pagination()
        page = paginator.paginate_queryset(devices, request, view=self)
        return paginator.get_paginated_response(DeviceOutputSerializer(page, many=True).data)

    class DeviceRegisterInputSerializer(serializers.Serializer):
        programme = serializers.SlugField()
        device_type = serializers.ChoiceField(choices=DeviceType.choices, default=DeviceType.LAPTOP)
        manufacturer = serializers.CharField(max_length=100)
        model = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        serial_number = serializers.CharField(
            max_length=100, required=False, allow_blank=True, allow_null=True
        )
        cpu_model = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        ram_bytes = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**50)
        storage_bytes = serializers.IntegerField(
            required=False, allow_null=True, min_value=0, max_value=2**60
        )
        storage_kind = serializers.ChoiceField(choices=StorageKind.choices, required=False, default="")
        state = serializers.ChoiceField(
            choices=[DeviceState.PLEDGED.value, DeviceState.RECEIVED.value],
            default=DeviceState.RECEIVED.value,
        )
        location = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)

    @extend_schema(
        request=DeviceRegisterInputSerializer,
        responses={201: DeviceOutputSerializer, 409: None, **ERRORS},
        summary="Register a device (pledged or received)",
    )
    def post(self, request: Request) -> Response:
        payload = self.DeviceRegisterInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        programme = programme_list(user=request.user).filter(slug=data["programme"]).first()
        if programme is None:
            raise serializers.ValidationError({"programme": ["No such programme in your scope."]})
        self.check_object_permissions(request, programme.pk)
        location = _location_or_error(request, data.get("location"))
        device = device_register(
            programme=programme,
            spec=DeviceSpec(
                device_type=data["device_type"],
                manufacturer=data["manufacturer"],
                model=data["model"],
                serial_number=data.get("serial_number"),
                cpu_model=data["cpu_model"],
                ram_bytes=data.get("ram_bytes"),
                storage_bytes=data.get("storage_bytes"),
                storage_kind=data["storage_kind"],
            ),
            by=user_of(request),
            state=DeviceState(data["state"]),
            location=location,
        )
        return Response(DeviceOutputSerializer(device).data, status=status.HTTP_201_CREATED)


def _location_or_error(request: Request, location_id: int | None) -> Location | None:
    if location_id is None:
        return None
    location = location_list(user=request.user).filter(pk=location_id).first()
    if location is None:
        raise serializers.ValidationError({"location": ["No such location in your scope."]})
    return location


class DeviceCorrectionInputSerializer(serializers.Serializer):
    """A hand correction: any of the details, and always a reason. A field left out is not changed."""

    reason = serializers.CharField(max_length=2000)
    device_type = serializers.ChoiceField(choices=DeviceType.choices, required=False)
    manufacturer = serializers.CharField(max_length=100, required=False)
    model = serializers.CharField(max_length=200, required=False, allow_blank=True)
    serial_number = serializers.CharField(max_length=100, required=False, allow_blank=True, allow_null=True)
    cpu_model = serializers.CharField(max_length=200, required=False, allow_blank=True)
    ram_bytes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**50)
    storage_bytes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**60)
    storage_kind = serializers.ChoiceField(choices=StorageKind.choices, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if len(attrs) == 1:
            raise serializers.ValidationError("Give at least one detail to correct.")
        return attrs


class DeviceDetailApi(APIView):
    """GET reads one device; PATCH corrects its details by hand. The capability is asked only of the PATCH
    (check_object_permissions), so reading stays open to everyone who may see the device."""

    permission_classes = [can_correct_devices.api]

    @extend_schema(responses={200: DeviceOutputSerializer, **ERRORS}, summary="One device")
    def get(self, request: Request, asset_tag: str) -> Response:
        return Response(DeviceOutputSerializer(device_get(user=request.user, asset_tag=asset_tag)).data)

    @extend_schema(
        request=DeviceCorrectionInputSerializer,
        responses={200: DeviceOutputSerializer, **ERRORS},
        summary="Correct a device's details by hand",
        description="Needs the capability to correct device details in the device's programme and a `reason`. "
        "Each changed field is recorded as an event with its old and new value; the reason is kept in the "
        "events' erasable notes. A serial another device already has is refused with 400 (naming that device "
        "only when you may see it); nothing is changed when anything is refused.",
    )
    def patch(self, request: Request, asset_tag: str) -> Response:
        device = device_get(user=request.user, asset_tag=asset_tag)
        self.check_object_permissions(request, device)
        payload = DeviceCorrectionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        changes = dict(payload.validated_data)
        reason = changes.pop("reason")
        device = device_correct(device=device, by=user_of(request), changes=changes, reason=reason)
        return Response(DeviceOutputSerializer(Device.objects.with_list_relations().get(pk=device.pk)).data)


class DeviceEventsApi(APIView):
    @extend_schema(responses={200: EventOutputSerializer(many=True), **ERRORS}, summary="A device's timeline")
    def get(self, request: Request, asset_tag: str) -> Response:
        device = device_get(user=request.user, asset_tag=asset_tag, reading=True)
        paginator = Pagination()
        page = paginator.paginate_queryset(
            device_timeline(user=request.user, device=device), request, view=self
        )
        entries = timeline_entries(user=request.user, device=device, events=page or [])
        return paginator.get_paginated_response(EventOutputSerializer(entries, many=True).data)


class DeviceTransitionApi(APIView):
    permission_classes = [can_change_devices.api]

    class DeviceTransitionInputSerializer(serializers.Serializer):
        to = serializers.ChoiceField(choices=DeviceState.choices)
        reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
        location = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
        custodian = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
        handover_kind = serializers.ChoiceField(choices=HandoverKind.choices, required=False, allow_null=True)
        expected_state = serializers.ChoiceField(choices=DeviceState.choices, required=False)

    @extend_schema(
        request=DeviceTransitionInputSerializer,
        responses={200: DeviceOutputSerializer, 409: None, **ERRORS},
        summary="Move a device to another state",
        description="Refused with 400 and the reason when the lifecycle does not allow the move; "
        "409 when `expected_state` no longer holds. Entering `sanitised` needs sanitisation evidence "
        "and is done through the sanitisation endpoints.",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = device_get(user=request.user, asset_tag=asset_tag)
        self.check_object_permissions(request, device)
        payload = self.DeviceTransitionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        custodian = None
        if data.get("custodian") is not None:
            # only the programme's organisations: any other id reads as unknown, and no name is echoed
            custodian = (
                programme_organisations(programme_id=device.programme_id).filter(pk=data["custodian"]).first()
            )
            if custodian is None:
                raise serializers.ValidationError({"custodian": ["No such organisation in this programme."]})
        device = device_transition(
            device=device,
            to=data["to"],
            by=user_of(request),
            reason=data["reason"],
            location=_location_or_error(request, data.get("location")),
            custodian=custodian,
            handover_kind=data.get("handover_kind"),
            expected_state=data.get("expected_state"),
        )
        return Response(DeviceOutputSerializer(Device.objects.with_list_relations().get(pk=device.pk)).data)


class DeviceLabelApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=["pdf", "zpl"]),
            OpenApiParameter("layout", str, enum=["a4-21", "a4-24"]),
            OpenApiParameter("skip", int),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, (200, "text/plain"): OpenApiTypes.STR},
        summary="A device's label: A4 sheet (PDF) or ZPL for thermal printers",
    )
    def get(self, request: Request, asset_tag: str) -> Any:
        from devicebank.devices.label_views import labels_response

        device = device_get(user=request.user, asset_tag=asset_tag)
        return labels_response(
            request._request,
            [device],
            f"label-{device.asset_tag}",
            subject=device,
            programme_id=device.programme_id,
        )


# A programme's figures are counts of its devices, so they are read here, where the devices are
# (devices.selectors.programme_state_counts); the route stays under /api/v1/programmes/.
class ProgrammeStockApi(APIView):
    class ProgrammeStockOutputSerializer(serializers.Serializer):
        programme = serializers.CharField()
        devices_by_state = serializers.DictField(child=serializers.IntegerField())

    @extend_schema(
        responses={200: ProgrammeStockOutputSerializer}, summary="A programme's devices counted by state"
    )
    def get(self, request: Request, slug: str) -> Response:
        programme = programme_get(user=request.user, slug=slug)
        scope_for(request.user)  # funders reach here: aggregates only
        counts = programme_state_counts(programme_ids={programme.pk})
        return Response({"programme": programme.slug, "devices_by_state": counts})
