"""API routes of the sanitisation app (mounted under /api/v1/)."""

from django.urls import path

from devicebank.sanitisation import api

urlpatterns = [
    path("erasure-reports/", api.ErasureReportUploadApi.as_view(), name="api-erasure-report-upload"),
    path(
        "devices/<str:asset_tag>/sanitisation/",
        api.DeviceSanitisationApi.as_view(),
        name="api-device-sanitisation",
    ),
    path(
        "devices/<str:asset_tag>/sanitisation/sanitised/",
        api.DeviceSanitisedApi.as_view(),
        name="api-device-sanitised",
    ),
    path(
        "devices/<str:asset_tag>/sanitisation/destructions/",
        api.DriveDestructionApi.as_view(),
        name="api-drive-destruction",
    ),
    path(
        "devices/<str:asset_tag>/sanitisation/no-storage/", api.NoStorageApi.as_view(), name="api-no-storage"
    ),
    path(
        "devices/<str:asset_tag>/sanitisation/erasures/<int:pk>/review/",
        api.ErasureReviewApi.as_view(),
        name="api-erasure-review",
    ),
    path(
        "devices/<str:asset_tag>/certificates/",
        api.DeviceCertificateIssueApi.as_view(),
        name="api-device-certificate-issue",
    ),
    path("certificates/<str:number>/", api.CertificateDetailApi.as_view(), name="api-certificate"),
    path("certificates/<str:number>/pdf/", api.CertificatePdfApi.as_view(), name="api-certificate-pdf"),
    path(
        "donations/<int:pk>/certificates/",
        api.DonationCertificateBatchApi.as_view(),
        name="api-donation-certificates",
    ),
    path("certificate-batches/<int:pk>/", api.CertificateBatchApi.as_view(), name="api-certificate-batch"),
]
