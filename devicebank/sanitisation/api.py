"""Sanitisation API: erasure reports, evidence, marking sanitised, certificates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from devicebank.core.events import record_export
from devicebank.core.evidence import evidence_response
from devicebank.core.forms import user_of
from devicebank.devices.api import ERRORS, MAX_ID, DeviceOutputSerializer
from devicebank.devices.models import Device
from devicebank.devices.selectors import device_get
from devicebank.donations.selectors import donation_get
from devicebank.hardware.models import DeviceDrive
from devicebank.sanitisation import services
from devicebank.sanitisation.certificates import verify_url
from devicebank.sanitisation.models import Certificate, CertificateBatch, DestructionMethod, DriveErasure
from devicebank.sanitisation.permissions import can_sanitise
from devicebank.sanitisation.selectors import certificate_batch_get, certificate_get


def _writable(view: APIView, request: Request, asset_tag: str) -> Device:
    """The device, read in the person's scope (404 outside it), then checked against can_sanitise."""
    device = device_get(user=request.user, asset_tag=asset_tag)
    view.check_object_permissions(request, device)
    return device


class ErasureRecordOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = DriveErasure
        fields = [
            "id",
            "drive_model",
            "drive_serial",
            "size_bytes",
            "media_type",
            "nist_level",
            "technique",
            "method",
            "passes",
            "tool",
            "tool_version",
            "started_at",
            "finished_at",
            "verification",
            "result",
            "error",
            "warnings",
            "flagged",
            "reviewed_at",
            "review_note",
            "serial_supplied",
            "recorded_at",
        ]
        read_only_fields = fields


class CertificateOutputSerializer(serializers.ModelSerializer):
    superseded_by = serializers.CharField(source="superseded_by.number", allow_null=True, default=None)
    is_current = serializers.BooleanField()
    verify_url = serializers.SerializerMethodField(help_text="The public verification page (its QR code).")

    class Meta:
        model = Certificate
        fields = [
            "number",
            "kind",
            "issued_at",
            "content_sha256",
            "is_current",
            "superseded_by",
            "verify_url",
            "facts",
        ]
        read_only_fields = fields

    def get_verify_url(self, cert: Certificate) -> str | None:
        return verify_url(cert.verification_code) if cert.verification_code else None


class DeviceSanitisationOutputSerializer(serializers.Serializer):
    device = DeviceOutputSerializer()
    drives = serializers.ListField(child=serializers.DictField())
    erasures = ErasureRecordOutputSerializer(many=True)
    ready_to_mark_sanitised = serializers.BooleanField()
    blockers = serializers.ListField(child=serializers.CharField())
    certificates = CertificateOutputSerializer(many=True)


def _state(device: Device) -> dict[str, Any]:
    awaiting = device.state in ("received", "returned")
    evidence = services.pass_evidence(device) if awaiting else None
    return {
        "device": DeviceOutputSerializer(Device.objects.with_list_relations().get(pk=device.pk)).data,
        "drives": list(
            DeviceDrive.objects.filter(device=device).values(
                "id", "model", "serial", "size_bytes", "kind", "removed_at"
            )
        ),
        "erasures": ErasureRecordOutputSerializer(
            DriveErasure.objects.filter(device=device).order_by("recorded_at"), many=True
        ).data,
        "ready_to_mark_sanitised": bool(evidence and evidence.ok),
        "blockers": evidence.blockers if evidence else [],
        "certificates": CertificateOutputSerializer(
            device.certificates.order_by("issued_at"), many=True
        ).data,
    }


class ErasureReportUploadApi(APIView):
    permission_classes = [can_sanitise.api]

    class ErasureUploadInputSerializer(serializers.Serializer):
        file = serializers.ListField(
            child=serializers.FileField(allow_empty_file=True), min_length=1, max_length=50
        )
        device = serializers.CharField(required=False, max_length=16, help_text="Asset tag, if known.")
        dry_run = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        request={"multipart/form-data": ErasureUploadInputSerializer},
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        summary="Upload erasure reports (nwipe/ShredOS logs, eReuse snapshots); one result per drive",
    )
    def post(self, request: Request) -> Response:
        raw = request.data
        fields = raw.dict() if hasattr(raw, "dict") else {}
        payload = self.ErasureUploadInputSerializer(data={**fields, "file": request.FILES.getlist("file")})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        device = _writable(self, request, data["device"]) if data.get("device") else None
        rows: list[dict[str, Any]] = []
        failed = 0
        for upload in data["file"]:
            if upload.size > settings.DEVICEBANK_MAX_UPLOAD_BYTES:
                raise serializers.ValidationError({"file": [f"{upload.name} is too big."]})
            result = services.erasure_report_import(
                data=upload.read(),
                file_name=upload.name,
                by=user_of(request),
                device=device,
                dry_run=data["dry_run"],
            )
            failed += bool(result.error)
            rows += [
                {**row, "device": result.device.asset_tag if result.device else None} for row in result.rows
            ]
        answer = status.HTTP_400_BAD_REQUEST if failed == len(data["file"]) else status.HTTP_200_OK
        return Response({"drives": rows}, status=answer)


class DeviceSanitisationApi(APIView):
    @extend_schema(
        responses={200: DeviceSanitisationOutputSerializer, **ERRORS},
        summary="A device's drives, erasure records, what is still needed, and its certificates",
    )
    def get(self, request: Request, asset_tag: str) -> Response:
        return Response(_state(device_get(user=request.user, asset_tag=asset_tag)))


class DeviceSanitisedApi(APIView):
    permission_classes = [can_sanitise.api]

    class DeviceSanitisedInputSerializer(serializers.Serializer):
        mobile_reset = serializers.BooleanField(required=False, default=False)
        summary = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    @extend_schema(
        request=DeviceSanitisedInputSerializer,
        responses={200: DeviceSanitisationOutputSerializer, **ERRORS},
        summary="Mark a device sanitised: refused with every failing rule when the evidence is incomplete",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _writable(self, request, asset_tag)
        payload = self.DeviceSanitisedInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        device = services.sanitisation_record_outcome(
            device=device, by=user_of(request), **payload.validated_data
        )
        return Response(_state(device))


class DriveDestructionApi(APIView):
    permission_classes = [can_sanitise.api]

    class DriveDestructionInputSerializer(serializers.Serializer):
        drive = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
        drive_model = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
        drive_serial = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
        method = serializers.ChoiceField(choices=DestructionMethod.choices)
        destroyed_on = serializers.DateField()
        destroyed_by = serializers.CharField(max_length=200)
        certificate_number = serializers.CharField(
            required=False, allow_blank=True, max_length=100, default=""
        )

    @extend_schema(
        request=DriveDestructionInputSerializer,
        responses={201: DeviceSanitisationOutputSerializer, **ERRORS},
        summary="Record a drive taken out and destroyed",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _writable(self, request, asset_tag)
        payload = self.DriveDestructionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        drive = None
        if data.pop("drive", None):
            drive = DeviceDrive.objects.filter(device=device, pk=payload.validated_data["drive"]).first()
            if drive is None:
                raise serializers.ValidationError({"drive": ["No such drive in this device."]})
        elif not (data["drive_model"] or data["drive_serial"]):
            raise serializers.ValidationError({"drive": ["Give the drive, or its model or serial."]})
        services.drive_destruction_record(device=device, by=user_of(request), drive=drive, **data)
        return Response(_state(device), status=status.HTTP_201_CREATED)


class NoStorageApi(APIView):
    permission_classes = [can_sanitise.api]

    class NoStorageInputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000)

    @extend_schema(
        request=NoStorageInputSerializer,
        responses={201: DeviceSanitisationOutputSerializer, **ERRORS},
        summary="Attest that a device has no storage",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _writable(self, request, asset_tag)
        payload = self.NoStorageInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.no_storage_attest(
            device=device, by=user_of(request), reason=payload.validated_data["reason"]
        )
        return Response(_state(device), status=status.HTTP_201_CREATED)


class ErasureReviewApi(APIView):
    permission_classes = [can_sanitise.api]

    class ErasureReviewInputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=2000)
        serial = serializers.CharField(
            max_length=100,
            required=False,
            allow_blank=True,
            help_text="The drive's serial from its label, when the log has none; the certificate marks it as supplied.",
        )

    @extend_schema(
        request=ErasureReviewInputSerializer,
        responses={200: ErasureRecordOutputSerializer, **ERRORS},
        summary="Accept a flagged erasure record after review, saying why",
    )
    def post(self, request: Request, asset_tag: str, pk: int) -> Response:
        device = _writable(self, request, asset_tag)
        record = DriveErasure.objects.filter(device=device, pk=pk).first()
        if record is None:
            raise Http404("No such record.")
        payload = self.ErasureReviewInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record = services.drive_erasure_review(
            record=record,
            by=user_of(request),
            note=payload.validated_data["note"],
            serial=payload.validated_data.get("serial", ""),
        )
        return Response(ErasureRecordOutputSerializer(record).data)


class DeviceCertificateIssueApi(APIView):
    permission_classes = [can_sanitise.api]

    @extend_schema(
        request=None,
        responses={201: CertificateOutputSerializer, **ERRORS},
        summary="Issue (or re-issue, superseding) a device's certificate of sanitisation",
    )
    def post(self, request: Request, asset_tag: str) -> Response:
        device = _writable(self, request, asset_tag)
        cert = services.certificate_issue_for_device(device=device, by=user_of(request))
        return Response(CertificateOutputSerializer(cert).data, status=status.HTTP_201_CREATED)


class CertificateDetailApi(APIView):
    @extend_schema(
        responses={200: CertificateOutputSerializer, **ERRORS}, summary="A certificate you can see"
    )
    def get(self, request: Request, number: str) -> Response:
        return Response(CertificateOutputSerializer(certificate_get(user=request.user, number=number)).data)


class CertificatePdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="A certificate as PDF")
    def get(self, request: Request, number: str) -> Any:
        cert = certificate_get(user=request.user, number=number)
        holder = cert.device or cert.donation
        record_export(
            by=user_of(request),
            subject=cert,
            what="certificate_pdf",
            rows=1,
            programme_id=holder.programme_id if holder is not None else None,
        )
        return evidence_response(
            request,
            cert.pdf_file,
            cert.pdf_sha256,
            filename=f"{cert.number}.pdf",
            content_type="application/pdf",
        )


class CertificateBatchOutputSerializer(serializers.ModelSerializer):
    donation = serializers.IntegerField(source="donation_id")
    certificate = serializers.CharField(source="certificate.number", allow_null=True, default=None)

    class Meta:
        model = CertificateBatch
        fields = [
            "id",
            "donation",
            "status",
            "devices_total",
            "devices_done",
            "certificate",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class DonationCertificateBatchApi(APIView):
    permission_classes = [can_sanitise.api]

    @extend_schema(
        request=None,
        responses={202: CertificateBatchOutputSerializer, **ERRORS},
        summary="Make every certificate of a donation in the background (one PDF and a ZIP)",
    )
    def post(self, request: Request, pk: int) -> Response:
        donation = donation_get(user=request.user, pk=pk)
        self.check_object_permissions(request, donation)
        batch = services.certificate_batch_start(donation=donation, by=user_of(request))
        batch.refresh_from_db()
        return Response(CertificateBatchOutputSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


class CertificateBatchApi(APIView):
    @extend_schema(responses={200: CertificateBatchOutputSerializer, **ERRORS}, summary="Progress of a batch")
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            CertificateBatchOutputSerializer(certificate_batch_get(user=request.user, pk=pk)).data
        )
