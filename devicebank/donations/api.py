"""Donation API: donations, their lifecycle, register imports and scan-to-receive."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from devicebank.core.api import Pagination
from devicebank.core.errors import DomainError
from devicebank.core.forms import user_of
from devicebank.devices.api import ERRORS, MAX_ID, DeviceOutputSerializer
from devicebank.donations import services
from devicebank.donations.downloads import rejected_rows_download
from devicebank.donations.models import Donation, RegisterImport
from devicebank.donations.permissions import can_manage_donations
from devicebank.donations.register import REGISTER_FIELDS, check_size
from devicebank.donations.selectors import (
    donation_devices,
    donation_get,
    donation_list,
    donation_reconciliation,
    register_import_get,
)
from devicebank.donations.states import DonationState
from devicebank.people.models import Organisation
from devicebank.people.roles import OrganisationKind
from devicebank.programmes.selectors import location_list, programme_list


class DonationOutputSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    programme = serializers.CharField(source="programme.slug", read_only=True)
    donor = serializers.CharField(source="donor.name", read_only=True)
    reconciliation = serializers.SerializerMethodField()

    class Meta:
        model = Donation
        fields = [
            "id",
            "reference",
            "programme",
            "donor",
            "state",
            "description",
            "expected_count",
            "collection_date",
            "collection_address",
            "collector",
            "drop_point",
            "received_at",
            "received_on",
            "created_at",
            "reconciliation",
        ]
        read_only_fields = fields

    def get_reconciliation(self, donation: Donation) -> dict[str, int]:
        return vars(donation_reconciliation(donation=donation))


class RegisterImportOutputSerializer(serializers.ModelSerializer):
    donation = serializers.IntegerField(source="donation_id", read_only=True)
    progress_percent = serializers.IntegerField(read_only=True)
    unmapped_headers = serializers.SerializerMethodField()

    class Meta:
        model = RegisterImport
        fields = [
            "id",
            "donation",
            "file_name",
            "file_sha256",
            "file_format",
            "encoding",
            "headers",
            "mapping",
            "unmapped_headers",
            "status",
            "mode",
            "rows_total",
            "rows_done",
            "rows_valid",
            "rows_rejected",
            "rows_already_imported",
            "devices_created",
            "progress_percent",
            "warnings",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_unmapped_headers(self, imp: RegisterImport) -> list[str]:
        mapped = set(imp.mapping.values())
        return [header for index, header in enumerate(imp.headers) if index not in mapped]


def _managed(view: APIView, request: Request, pk: int) -> Donation:
    """The donation, read in the person's scope (404 outside it), then checked against can_manage_donations."""
    donation = donation_get(user=request.user, pk=pk)
    view.check_object_permissions(request, donation)
    return donation


class DonationListApi(APIView):
    """GET lists the donations you can see; POST records one."""

    permission_classes = [can_manage_donations.api]

    class DonationCreateInputSerializer(serializers.Serializer):
        programme = serializers.SlugField()
        donor = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        description = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
        expected_count = serializers.IntegerField(
            required=False, allow_null=True, min_value=0, max_value=10**7
        )
        drop_point = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)

    @extend_schema(
        responses={200: DonationOutputSerializer(many=True), **ERRORS}, summary="Donations you can see"
    )
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(
            donation_list(user=request.user).order_by("-id"), request, view=self
        )
        return paginator.get_paginated_response(DonationOutputSerializer(page, many=True).data)

    @extend_schema(
        request=DonationCreateInputSerializer,
        responses={201: DonationOutputSerializer, **ERRORS},
        summary="Record a donation",
    )
    def post(self, request: Request) -> Response:
        payload = self.DonationCreateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        programme = programme_list(user=request.user).filter(slug=data["programme"]).first()
        if programme is None:
            raise serializers.ValidationError({"programme": ["No such programme in your scope."]})
        self.check_object_permissions(request, programme.pk)
        donor = Organisation.objects.filter(pk=data["donor"], kind=OrganisationKind.DONOR).first()
        if donor is None:
            raise serializers.ValidationError({"donor": ["No such donor organisation."]})
        drop_point = None
        if data.get("drop_point"):
            drop_point = location_list(user=request.user).filter(pk=data["drop_point"]).first()
            if drop_point is None:
                raise serializers.ValidationError({"drop_point": ["No such location in your scope."]})
        donation = services.donation_create(
            programme=programme,
            donor=donor,
            by=user_of(request),
            description=data["description"],
            expected_count=data.get("expected_count"),
            drop_point=drop_point,
        )
        return Response(DonationOutputSerializer(donation).data, status=status.HTTP_201_CREATED)


class DonationDetailApi(APIView):
    @extend_schema(responses={200: DonationOutputSerializer, **ERRORS}, summary="One donation, reconciled")
    def get(self, request: Request, pk: int) -> Response:
        return Response(DonationOutputSerializer(donation_get(user=request.user, pk=pk)).data)


class DonationTransitionApi(APIView):
    permission_classes = [can_manage_donations.api]

    class DonationTransitionInputSerializer(serializers.Serializer):
        to = serializers.ChoiceField(
            choices=[s for s in DonationState.choices if s[0] != DonationState.PLEDGED]
        )
        collection_date = serializers.DateField(required=False)
        collection_address = serializers.CharField(
            required=False, allow_blank=True, max_length=1000, default=""
        )
        collector = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
        collected_by = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
        location = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
        reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    @extend_schema(
        request=DonationTransitionInputSerializer,
        responses={200: DonationOutputSerializer, **ERRORS},
        summary="Move a donation on: arrange collection, collected, received, cancelled",
    )
    def post(self, request: Request, pk: int) -> Response:
        donation = _managed(self, request, pk)
        payload = self.DonationTransitionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        by = user_of(request)
        target = data["to"]
        if target == DonationState.COLLECTION_ARRANGED:
            if "collection_date" not in data:
                raise serializers.ValidationError({"collection_date": ["Give the collection date."]})
            donation = services.donation_arrange_collection(
                donation=donation,
                by=by,
                collection_date=data["collection_date"],
                address=data["collection_address"],
                collector=data["collector"],
            )
        elif target == DonationState.COLLECTED:
            donation = services.donation_mark_collected(
                donation=donation, by=by, collected_by=data["collected_by"]
            )
        elif target == DonationState.RECEIVED:
            location = location_list(user=request.user).filter(pk=data.get("location") or 0).first()
            if location is None:
                raise serializers.ValidationError({"location": ["Give a location in your scope."]})
            donation = services.donation_mark_received(donation=donation, by=by, location=location)
        else:
            donation = services.donation_cancel(donation=donation, by=by, reason=data["reason"])
        return Response(DonationOutputSerializer(donation).data)


class DonationDevicesApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("show", str, enum=["all", "missing", "received", "unexpected"])],
        responses={200: DeviceOutputSerializer(many=True), **ERRORS},
        summary="A donation's devices, reconciled",
    )
    def get(self, request: Request, pk: int) -> Response:
        donation = donation_get(user=request.user, pk=pk)
        show = request.query_params.get("show", "all")
        if show not in ("all", "missing", "received", "unexpected"):
            raise serializers.ValidationError({"show": ["Choose all, missing, received or unexpected."]})
        devices = (
            donation_devices(donation=donation, which=show).select_related("programme").order_by("asset_tag")
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(devices, request, view=self)
        return paginator.get_paginated_response(DeviceOutputSerializer(page, many=True).data)


class DonationReceiveApi(APIView):
    permission_classes = [can_manage_donations.api]

    class DonationReceiveInputSerializer(serializers.Serializer):
        code = serializers.CharField(max_length=100)
        location = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    class DonationReceiveOutputSerializer(serializers.Serializer):
        outcome = serializers.CharField()
        message = serializers.CharField()
        asset_tag = serializers.CharField(allow_null=True)

    @extend_schema(
        request=DonationReceiveInputSerializer,
        responses={200: DonationReceiveOutputSerializer, **ERRORS},
        summary="Receive one scanned device (asset tag or serial) into a location",
    )
    def post(self, request: Request, pk: int) -> Response:
        donation = _managed(self, request, pk)
        payload = self.DonationReceiveInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        location = location_list(user=request.user).filter(pk=payload.validated_data["location"]).first()
        if location is None:
            raise serializers.ValidationError({"location": ["No such location in your scope."]})
        result = services.donation_receive_scan(
            donation=donation, code=payload.validated_data["code"], location=location, by=user_of(request)
        )
        return Response(
            {
                "outcome": result.outcome,
                "message": result.message,
                "asset_tag": result.device.asset_tag if result.device else None,
            }
        )


class RegisterImportUploadApi(APIView):
    permission_classes = [can_manage_donations.api]

    class RegisterUploadInputSerializer(serializers.Serializer):
        file = serializers.FileField()

    @extend_schema(
        request={"multipart/form-data": RegisterUploadInputSerializer},
        responses={201: RegisterImportOutputSerializer, 200: RegisterImportOutputSerializer, **ERRORS},
        summary="Upload an asset register (CSV or XLSX); it is checked, not yet imported",
        description="200 when the same file was already imported into this donation (nothing changes).",
    )
    def post(self, request: Request, pk: int) -> Response:
        donation = _managed(self, request, pk)
        payload = self.RegisterUploadInputSerializer(data={"file": request.FILES.get("file")})
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        from django.conf import settings

        try:
            check_size(upload.size, settings.DEVICEBANK_MAX_UPLOAD_BYTES)
            imp, duplicate = services.register_import_start(
                donation=donation, file_name=upload.name, data=b"".join(upload.chunks()), by=user_of(request)
            )
        except DomainError as error:
            raise serializers.ValidationError({"file": [f"{upload.name}: {error.message}"]}) from error
        return Response(
            RegisterImportOutputSerializer(imp).data,
            status=status.HTTP_200_OK if duplicate else status.HTTP_201_CREATED,
        )


class RegisterImportDetailApi(APIView):
    @extend_schema(
        responses={200: RegisterImportOutputSerializer, **ERRORS}, summary="An import and its progress"
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(RegisterImportOutputSerializer(register_import_get(user=request.user, pk=pk)).data)


def _managed_import(view: APIView, request: Request, pk: int) -> RegisterImport:
    imp = register_import_get(user=request.user, pk=pk)
    view.check_object_permissions(request, imp.donation)
    return imp


class RegisterImportMappingApi(APIView):
    permission_classes = [can_manage_donations.api]

    class RegisterMappingInputSerializer(serializers.Serializer):
        columns = serializers.DictField(
            child=serializers.ChoiceField(choices=list(REGISTER_FIELDS), allow_null=True),
            help_text="header -> register field, or null to ignore the column",
        )

    @extend_schema(
        request=RegisterMappingInputSerializer,
        responses={200: RegisterImportOutputSerializer, **ERRORS},
        summary="Say which register field each column holds",
    )
    def post(self, request: Request, pk: int) -> Response:
        imp = _managed_import(self, request, pk)
        payload = self.RegisterMappingInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        imp = services.register_import_set_mapping(
            imp=imp, choice=dict(payload.validated_data["columns"]), by=user_of(request)
        )
        return Response(RegisterImportOutputSerializer(imp).data)


class RegisterImportConfirmApi(APIView):
    permission_classes = [can_manage_donations.api]

    class RegisterConfirmInputSerializer(serializers.Serializer):
        mode = serializers.ChoiceField(choices=RegisterImport.Mode.choices)

    @extend_schema(
        request=RegisterConfirmInputSerializer,
        responses={202: RegisterImportOutputSerializer, **ERRORS},
        summary="Import: the whole file (or nothing), or only the valid rows; runs in the background",
    )
    def post(self, request: Request, pk: int) -> Response:
        imp = _managed_import(self, request, pk)
        payload = self.RegisterConfirmInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.register_import_queue(imp=imp, mode=payload.validated_data["mode"], by=user_of(request))
        imp.refresh_from_db()
        return Response(RegisterImportOutputSerializer(imp).data, status=status.HTTP_202_ACCEPTED)


class RegisterImportRejectedRowsApi(APIView):
    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR},
        summary="The rows that were not imported, with reasons (CSV)",
    )
    def get(self, request: Request, pk: int) -> Any:
        return rejected_rows_download(request, register_import_get(user=request.user, pk=pk))


class DonationLabelsApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=["pdf", "zpl"]),
            OpenApiParameter("layout", str, enum=["a4-21", "a4-24"]),
            OpenApiParameter("skip", int),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, (200, "text/plain"): OpenApiTypes.STR},
        summary="Labels for every device of a donation",
    )
    def get(self, request: Request, pk: int) -> Any:
        from devicebank.devices.label_views import labels_response
        from devicebank.devices.selectors import device_list

        donation = donation_get(user=request.user, pk=pk)
        devices = device_list(user=request.user).filter(donation=donation).order_by("asset_tag")
        return labels_response(
            request._request,
            devices,
            f"labels-{donation.reference}",
            subject=donation,
            programme_id=donation.programme_id,
        )
