"""Programme, organisation and location lists for API clients (scoped like everything else)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from devicebank.core.api import Pagination
from devicebank.people.models import Location, Organisation
from devicebank.programmes.models import Programme
from devicebank.programmes.selectors import location_list, organisation_list, programme_list


class ProgrammeOutputSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.name")

    class Meta:
        model = Programme
        fields = ["slug", "name", "owner", "area", "starts_on", "ends_on", "asset_tag_prefix"]
        read_only_fields = fields


class ProgrammeListApi(APIView):
    @extend_schema(responses={200: ProgrammeOutputSerializer(many=True)}, summary="Programmes you can see")
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(programme_list(user=request.user), request, view=self)
        return paginator.get_paginated_response(ProgrammeOutputSerializer(page, many=True).data)


class OrganisationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "parent"]
        read_only_fields = fields


class OrganisationListApi(APIView):
    @extend_schema(
        responses={200: OrganisationOutputSerializer(many=True)}, summary="Organisations you can see"
    )
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(organisation_list(user=request.user), request, view=self)
        return paginator.get_paginated_response(OrganisationOutputSerializer(page, many=True).data)


class LocationOutputSerializer(serializers.ModelSerializer):
    organisation = serializers.IntegerField(source="organisation_id")

    class Meta:
        model = Location
        fields = ["id", "name", "kind", "organisation", "postcode"]
        read_only_fields = fields


class LocationListApi(APIView):
    @extend_schema(responses={200: LocationOutputSerializer(many=True)}, summary="Locations you can see")
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(
            location_list(user=request.user).order_by("id"), request, view=self
        )
        return paginator.get_paginated_response(LocationOutputSerializer(page, many=True).data)
