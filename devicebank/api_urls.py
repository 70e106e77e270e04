"""/api/v1/: one view per operation, grouped by domain."""

from django.urls import path

from devicebank.devices import api as devices_api
from devicebank.hardware import api as hardware_api
from devicebank.people import api as people_api
from devicebank.programmes import api as programmes_api

urlpatterns = [
    path("me/", people_api.MeApi.as_view(), name="api-me"),
    path("programmes/", programmes_api.ProgrammeListApi.as_view(), name="api-programme-list"),
    path(
        "programmes/<slug:slug>/stock/",
        programmes_api.ProgrammeStockApi.as_view(),
        name="api-programme-stock",
    ),
    path("organisations/", programmes_api.OrganisationListApi.as_view(), name="api-organisation-list"),
    path("locations/", programmes_api.LocationListApi.as_view(), name="api-location-list"),
    path("devices/", devices_api.DeviceListApi.as_view(), name="api-device-list"),
    path("devices/<str:asset_tag>/", devices_api.DeviceDetailApi.as_view(), name="api-device-detail"),
    path("devices/<str:asset_tag>/events/", devices_api.DeviceEventsApi.as_view(), name="api-device-events"),
    path(
        "devices/<str:asset_tag>/transitions/",
        devices_api.DeviceTransitionApi.as_view(),
        name="api-device-transition",
    ),
    path(
        "hardware-reports/", hardware_api.HardwareReportUploadApi.as_view(), name="api-hardware-report-upload"
    ),
]
