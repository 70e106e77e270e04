"""Pages of the sanitisation app (mounted at /sanitisation/; the public /verify/ page is in devicebank/urls.py)."""

from django.urls import path

from devicebank.sanitisation import views

app_name = "sanitisation"

urlpatterns = [
    path("", views.SanitisationQueueView.as_view(), name="queue"),
    path("devices/<str:asset_tag>/", views.DeviceEvidenceView.as_view(), name="device"),
    path("devices/<str:asset_tag>/outcome/", views.DeviceOutcomeView.as_view(), name="outcome"),
    path("evidence/<int:pk>/raw/", views.EvidenceRawView.as_view(), name="evidence-raw"),
    path("certificates/<str:number>/pdf/", views.CertificatePdfView.as_view(), name="certificate-pdf"),
    path(
        "donations/<int:pk>/certificates/",
        views.DonationCertificatesView.as_view(),
        name="donation-certificates",
    ),
    path("batches/<int:pk>/<str:kind>/", views.BatchDownloadView.as_view(), name="batch-download"),
]
