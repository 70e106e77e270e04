"""API routes of the refurbishment app (mounted under /api/v1/). Each workbench action has its twin here."""

from django.urls import path

from devicebank.refurbishment import api

D = "refurbishment/devices/<str:asset_tag>/"

urlpatterns = [
    path(D, api.RefurbishmentDeviceApi.as_view(), name="api-refurbishment-device"),
    path(f"{D}tests/", api.RefurbishmentTestsApi.as_view(), name="api-refurbishment-tests"),
    path(f"{D}grade/", api.RefurbishmentGradeApi.as_view(), name="api-refurbishment-grade"),
    path(f"{D}os-installs/", api.RefurbishmentOsInstallApi.as_view(), name="api-refurbishment-os-install"),
    path(f"{D}secrets/", api.RefurbishmentSecretsApi.as_view(), name="api-refurbishment-secrets"),
    path(
        f"{D}secrets/<int:pk>/reveal/",
        api.RefurbishmentSecretRevealApi.as_view(),
        name="api-refurbishment-secret-reveal",
    ),
    path(f"{D}repairs/", api.RefurbishmentRepairApi.as_view(), name="api-refurbishment-repair"),
    path(f"{D}harvest/", api.RefurbishmentHarvestApi.as_view(), name="api-refurbishment-harvest"),
    path(f"{D}decision/", api.RefurbishmentDecisionApi.as_view(), name="api-refurbishment-decision"),
    path(f"{D}recycle/", api.RefurbishmentRecycleApi.as_view(), name="api-refurbishment-recycle"),
    path(f"{D}ready/", api.RefurbishmentReadyApi.as_view(), name="api-refurbishment-ready"),
    path("refurbishment/bulk/", api.RefurbishmentBulkApi.as_view(), name="api-refurbishment-bulk"),
    path(
        "refurbishment/specifications/",
        api.RefurbishmentSpecificationsApi.as_view(),
        name="api-refurbishment-specifications",
    ),
    path("refurbishment/parts/", api.RefurbishmentPartsApi.as_view(), name="api-refurbishment-parts"),
    path(
        "refurbishment/parts/<int:pk>/adjust/",
        api.RefurbishmentPartAdjustApi.as_view(),
        name="api-refurbishment-part-adjust",
    ),
    path(
        "refurbishment/throughput/",
        api.RefurbishmentThroughputApi.as_view(),
        name="api-refurbishment-throughput",
    ),
]
