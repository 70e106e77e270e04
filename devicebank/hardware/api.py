"""POST /api/v1/hardware-reports/: upload lshw, dmidecode, smartctl or eReuse reports."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from devicebank.core.forms import user_of
from devicebank.devices.api import MAX_ID
from devicebank.devices.selectors import device_get
from devicebank.hardware.models import HardwareReport
from devicebank.hardware.permissions import can_file_hardware_reports
from devicebank.hardware.selectors import hardware_report_get
from devicebank.hardware.services import hardware_report_decide, hardware_report_ingest
from devicebank.programmes.selectors import location_list, programme_list


class HardwareReportResultSerializer(serializers.Serializer):
    file = serializers.CharField()
    format = serializers.CharField(allow_null=True)
    manufacturer = serializers.CharField(allow_null=True)
    model = serializers.CharField(allow_null=True)
    serial = serializers.CharField(allow_null=True)
    device_type = serializers.CharField(allow_null=True)
    cpu_model = serializers.CharField(allow_null=True)
    cpu_cores = serializers.IntegerField(allow_null=True)
    ram_bytes = serializers.IntegerField(allow_null=True)
    drives = serializers.ListField(child=serializers.DictField())
    battery_health_percent = serializers.FloatField(allow_null=True)
    mac_addresses = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    error = serializers.CharField(allow_null=True)
    device = serializers.CharField(allow_null=True, help_text="Asset tag of the device it was filed against.")
    outcome = serializers.CharField(
        help_text="matched, registered, unchanged, held, would_match, would_register, would_hold, error"
    )
    held_report = serializers.IntegerField(
        allow_null=True,
        help_text="For outcome held: the report's id, to decide at /hardware-reports/{id}/decision/.",
    )
    differences = serializers.ListField(
        child=serializers.DictField(),
        help_text="What disagrees with the device: [{field, label, device, report}] (held, would_hold).",
    )


class HardwareReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    file_name = serializers.CharField()
    format = serializers.CharField()
    status = serializers.CharField(help_text="applied, held (waiting for a decision) or rejected")
    device = serializers.CharField(source="device.asset_tag", allow_null=True, default=None)
    held_for = serializers.CharField(source="held_for.asset_tag", allow_null=True, default=None)
    differences = serializers.ListField(child=serializers.DictField())
    decision = serializers.CharField(help_text="attach, register, reject, or empty while held")
    decided_at = serializers.DateTimeField(allow_null=True)
    parsed = serializers.DictField(help_text="What devicebank read from the file (docs/hardware-reports.md).")


class HardwareReportDetailApi(APIView):
    @extend_schema(
        responses={200: HardwareReportOutputSerializer}, summary="A kept hardware report and its status"
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(HardwareReportOutputSerializer(hardware_report_get(user=request.user, pk=pk)).data)


class HardwareReportDecisionApi(APIView):
    permission_classes = [can_file_hardware_reports.api]

    class HardwareReportDecisionInputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField(choices=HardwareReport.Decision.choices)
        reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
        location = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    @extend_schema(
        request=HardwareReportDecisionInputSerializer,
        responses={200: HardwareReportOutputSerializer},
        summary="Decide a held report: attach anyway (with a reason), register as another device, or reject",
    )
    def post(self, request: Request, pk: int) -> Response:
        report = hardware_report_get(user=request.user, pk=pk)
        held_for = report.held_for
        self.check_object_permissions(request, held_for if held_for is not None else report.programme_id)
        payload = self.HardwareReportDecisionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        location = None
        if data.get("location"):
            location = location_list(user=request.user).filter(pk=data["location"]).first()
            if location is None:
                raise serializers.ValidationError({"location": ["No such location in your scope."]})
        decided = hardware_report_decide(
            report=report,
            decision=data["decision"],
            by=user_of(request),
            reason=data["reason"],
            location=location,
        )
        return Response(HardwareReportOutputSerializer(decided).data)


class HardwareReportUploadApi(APIView):
    # The device each file describes is found from the file; the service asks the capability for each one.
    permission_classes = [can_file_hardware_reports.api]

    class HardwareReportUploadInputSerializer(serializers.Serializer):
        file = serializers.ListField(
            child=serializers.FileField(allow_empty_file=True), min_length=1, max_length=50
        )
        device = serializers.CharField(required=False, max_length=16, help_text="Asset tag, if known.")
        programme = serializers.SlugField(
            required=False, help_text="To register unknown devices as received."
        )
        location = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
        dry_run = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        request={"multipart/form-data": HardwareReportUploadInputSerializer},
        responses={
            200: HardwareReportResultSerializer(many=True),
            400: OpenApiResponse(description="No file could be read; each result says why."),
        },
        summary="Upload hardware reports (lshw -json, dmidecode, smartctl --json, eReuse Workbench)",
    )
    def post(self, request: Request) -> Response:
        raw = request.data
        fields = (
            raw.dict() if hasattr(raw, "dict") else {}
        )  # multipart form fields; JSON bodies carry no files
        payload = self.HardwareReportUploadInputSerializer(
            data={**fields, "file": request.FILES.getlist("file")}
        )
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        device = device_get(user=request.user, asset_tag=data["device"]) if data.get("device") else None
        if device is not None:
            self.check_object_permissions(request, device)
        programme = location = None
        if data.get("programme"):
            programme = programme_list(user=request.user).filter(slug=data["programme"]).first()
            if programme is None:
                raise serializers.ValidationError({"programme": ["No such programme in your scope."]})
            self.check_object_permissions(request, programme.pk)
        if data.get("location"):
            location = location_list(user=request.user).filter(pk=data["location"]).first()
            if location is None:
                raise serializers.ValidationError({"location": ["No such location in your scope."]})
        results: list[dict[str, Any]] = []
        for upload in data["file"]:
            if upload.size > settings.DEVICEBANK_MAX_UPLOAD_BYTES:
                raise serializers.ValidationError({"file": [f"{upload.name} is too big."]})
            result = hardware_report_ingest(
                data=upload.read(),
                file_name=upload.name,
                by=user_of(request),
                device=device,
                programme=programme,
                location=location,
                dry_run=data["dry_run"],
            )
            results.append(result.as_json())
        answer = status.HTTP_400_BAD_REQUEST if all(r["error"] for r in results) else status.HTTP_200_OK
        return Response(results, status=answer)
