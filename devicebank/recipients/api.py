"""Recipients API: schools (scoped reads) and GIAS imports (upload and check, confirm, follow)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from devicebank.core.api import Pagination
from devicebank.core.errors import DomainError, NotPermitted
from devicebank.core.forms import user_of
from devicebank.recipients import services
from devicebank.recipients.models import School, SchoolImport
from devicebank.recipients.permissions import can_import_schools
from devicebank.recipients.selectors import school_get, school_import_get, school_list

ERRORS = {
    400: OpenApiResponse(description="Bad input; the body says why."),
    401: OpenApiResponse(description="Not signed in."),
    403: OpenApiResponse(description="Your role does not allow this."),
    404: OpenApiResponse(description="No such record in your scope."),
}
MAX_URN = 99_999_999


class SchoolOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name")
    postcode = serializers.CharField(source="organisation.postcode")
    organisation = serializers.IntegerField(source="organisation_id")
    responsible_body = serializers.IntegerField(source="organisation.parent_id", allow_null=True)
    la_code = serializers.CharField(source="local_authority.gias_code", allow_null=True, default=None)
    la_name = serializers.CharField(source="local_authority.name", allow_null=True, default=None)
    fsm_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, allow_null=True
    )

    class Meta:
        model = School
        fields = [
            "urn",
            "name",
            "organisation",
            "responsible_body",
            "la_code",
            "la_name",
            "type_name",
            "type_group",
            "is_independent",
            "status",
            "is_open",
            "phase",
            "opened_on",
            "closed_on",
            "low_age",
            "high_age",
            "pupils",
            "fsm_percent",
            "postcode",
            "lsoa_code",
            "district_code",
        ]


class SchoolListApi(APIView):
    class SchoolFilterSerializer(serializers.Serializer):
        q = serializers.CharField(
            required=False, allow_blank=True, max_length=100, help_text="name, URN or postcode"
        )

    @extend_schema(
        parameters=[SchoolFilterSerializer],
        responses={200: SchoolOutputSerializer(many=True), **ERRORS},
        summary="List the schools you can see",
    )
    def get(self, request: Request) -> Response:
        params = self.SchoolFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        schools = school_list(user=request.user, query=params.validated_data.get("q", "")).order_by("urn")
        paginator = Pagination()
        page = paginator.paginate_queryset(schools, request, view=self)
        return paginator.get_paginated_response(SchoolOutputSerializer(page, many=True).data)


class SchoolDetailApi(APIView):
    @extend_schema(responses={200: SchoolOutputSerializer, **ERRORS}, summary="One school by URN")
    def get(self, request: Request, urn: int) -> Response:
        if urn > MAX_URN:
            raise DomainError("A URN has at most 8 digits.", field="urn")
        return Response(SchoolOutputSerializer(school_get(user=request.user, urn=urn)).data)


class SchoolImportOutputSerializer(serializers.ModelSerializer):
    progress_percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = SchoolImport
        fields = [
            "id",
            "file_name",
            "status",
            "mode",
            "rows_total",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "rejected_rows",
            "warnings",
            "error",
            "progress_percent",
            "created_at",
            "finished_at",
        ]


class SchoolImportUploadApi(APIView):
    permission_classes = [can_import_schools.api_anywhere]

    class SchoolImportUploadInputSerializer(serializers.Serializer):
        file = serializers.FileField()

    @extend_schema(
        request={"multipart/form-data": SchoolImportUploadInputSerializer},
        responses={201: SchoolImportOutputSerializer, **ERRORS},
        summary="Upload a GIAS establishment CSV; it is checked, not yet imported",
        description="The counts say what importing would do; confirm to import.",
    )
    def post(self, request: Request) -> Response:
        payload = self.SchoolImportUploadInputSerializer(data={"file": request.FILES.get("file")})
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        if upload.size > int(settings.DEVICEBANK_MAX_UPLOAD_BYTES):
            raise serializers.ValidationError({"file": [f"{upload.name} is over the upload limit."]})
        try:
            imp = services.school_import_start(
                file_name=upload.name, data=b"".join(upload.chunks()), by=user_of(request)
            )
        except DomainError as error:
            if isinstance(error, NotPermitted):
                raise
            raise serializers.ValidationError({"file": [f"{upload.name}: {error.message}"]}) from error
        return Response(SchoolImportOutputSerializer(imp).data, status=status.HTTP_201_CREATED)


class SchoolImportDetailApi(APIView):
    @extend_schema(
        responses={200: SchoolImportOutputSerializer, **ERRORS}, summary="A GIAS import and its progress"
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(SchoolImportOutputSerializer(school_import_get(user=request.user, pk=pk)).data)


class SchoolImportConfirmApi(APIView):
    permission_classes = [can_import_schools.api_anywhere]

    class SchoolImportConfirmInputSerializer(serializers.Serializer):
        mode = serializers.ChoiceField(choices=SchoolImport.Mode.choices)

    @extend_schema(
        request=SchoolImportConfirmInputSerializer,
        responses={202: SchoolImportOutputSerializer, **ERRORS},
        summary="Import a checked GIAS file (all or nothing, or valid rows only); it runs in the background",
    )
    def post(self, request: Request, pk: int) -> Response:
        imp = school_import_get(user=request.user, pk=pk)
        payload = self.SchoolImportConfirmInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        imp = services.school_import_queue(imp=imp, mode=payload.validated_data["mode"], by=user_of(request))
        imp.refresh_from_db()
        return Response(SchoolImportOutputSerializer(imp).data, status=status.HTTP_202_ACCEPTED)
