"""/api/v1/: one view per operation, grouped by domain."""

from django.urls import include, path

from devicebank.devices import api as devices_api
from devicebank.donations import api as donations_api
from devicebank.hardware import api as hardware_api
from devicebank.people import api as people_api
from devicebank.programmes import api as programmes_api
from devicebank.recipients import api as recipients_api

urlpatterns = [
    path("me/", people_api.MeApi.as_view(), name="api-me"),
    path("programmes/", programmes_api.ProgrammeListApi.as_view(), name="api-programme-list"),
    path(
        "programmes/<slug:slug>/stock/",
        devices_api.ProgrammeStockApi.as_view(),
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
    path(
        "hardware-reports/<int:pk>/",
        hardware_api.HardwareReportDetailApi.as_view(),
        name="api-hardware-report-detail",
    ),
    path(
        "hardware-reports/<int:pk>/decision/",
        hardware_api.HardwareReportDecisionApi.as_view(),
        name="api-hardware-report-decision",
    ),
    path("donations/", donations_api.DonationListApi.as_view(), name="api-donation-list"),
    path("donations/<int:pk>/", donations_api.DonationDetailApi.as_view(), name="api-donation-detail"),
    path(
        "donations/<int:pk>/transitions/",
        donations_api.DonationTransitionApi.as_view(),
        name="api-donation-transition",
    ),
    path(
        "donations/<int:pk>/devices/", donations_api.DonationDevicesApi.as_view(), name="api-donation-devices"
    ),
    path(
        "donations/<int:pk>/receive/", donations_api.DonationReceiveApi.as_view(), name="api-donation-receive"
    ),
    path(
        "donations/<int:pk>/register-imports/",
        donations_api.RegisterImportUploadApi.as_view(),
        name="api-register-import-upload",
    ),
    path(
        "register-imports/<int:pk>/",
        donations_api.RegisterImportDetailApi.as_view(),
        name="api-register-import",
    ),
    path(
        "register-imports/<int:pk>/mapping/",
        donations_api.RegisterImportMappingApi.as_view(),
        name="api-register-import-mapping",
    ),
    path(
        "register-imports/<int:pk>/confirm/",
        donations_api.RegisterImportConfirmApi.as_view(),
        name="api-register-import-confirm",
    ),
    path(
        "register-imports/<int:pk>/rejected-rows/",
        donations_api.RegisterImportRejectedRowsApi.as_view(),
        name="api-register-import-rejected-rows",
    ),
    path("devices/<str:asset_tag>/label/", devices_api.DeviceLabelApi.as_view(), name="api-device-label"),
    path("donations/<int:pk>/labels/", donations_api.DonationLabelsApi.as_view(), name="api-donation-labels"),
    path("schools/", recipients_api.SchoolListApi.as_view(), name="api-school-list"),
    path("schools/<int:urn>/", recipients_api.SchoolDetailApi.as_view(), name="api-school-detail"),
    path("school-imports/", recipients_api.SchoolImportUploadApi.as_view(), name="api-school-import-upload"),
    path(
        "school-imports/<int:pk>/", recipients_api.SchoolImportDetailApi.as_view(), name="api-school-import"
    ),
    path(
        "school-imports/<int:pk>/confirm/",
        recipients_api.SchoolImportConfirmApi.as_view(),
        name="api-school-import-confirm",
    ),
    path("", include("devicebank.sanitisation.api_urls")),
    path("", include("devicebank.refurbishment.api_urls")),
]
