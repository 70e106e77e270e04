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
from devicebank.hardware.permissions import can_file_hardware_reports
from devicebank.hardware.services import hardware_report_ingest
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
        help_text="matched, registered, unchanged, would_match, would_register, error"
    )


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
