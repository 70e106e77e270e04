from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from devicebank.people.models import Membership


class MeApi(APIView):
    class MeOutputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        full_name = serializers.CharField()
        memberships = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses={200: MeOutputSerializer}, summary="Who you are and your roles")
    def get(self, request: Request) -> Response:
        memberships = Membership.objects.filter(user=request.user).select_related("organisation")  # type: ignore[misc]
        return Response(
            {
                "email": request.user.email,  # type: ignore[union-attr]
                "full_name": request.user.full_name,  # type: ignore[union-attr]
                "memberships": [
                    {
                        "organisation": m.organisation.name,
                        "organisation_id": m.organisation_id,
                        "role": m.role,
                    }
                    for m in memberships
                ],
            }
        )
