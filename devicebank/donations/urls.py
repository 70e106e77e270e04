from django.urls import path

from devicebank.donations import views
from devicebank.donations.label_views import DonationLabelsView

app_name = "donations"

urlpatterns = [
    path("", views.DonationListView.as_view(), name="list"),
    path("new/", views.DonationCreateView.as_view(), name="create"),
    path("<int:pk>/", views.DonationDetailView.as_view(), name="detail"),
    path("<int:pk>/collection/", views.DonationCollectionView.as_view(), name="collection"),
    path("<int:pk>/collected/", views.DonationCollectedView.as_view(), name="collected"),
    path("<int:pk>/arrived/", views.DonationReceivedView.as_view(), name="arrived"),
    path("<int:pk>/cancel/", views.DonationCancelView.as_view(), name="cancel"),
    path("<int:pk>/labels/", DonationLabelsView.as_view(), name="labels"),
    path("<int:pk>/receive/", views.ScanReceiveView.as_view(), name="receive"),
    path("<int:pk>/register/", views.RegisterUploadView.as_view(), name="register-upload"),
    path("<int:pk>/register/<int:import_pk>/", views.RegisterImportView.as_view(), name="import"),
    path(
        "<int:pk>/register/<int:import_pk>/status/",
        views.RegisterImportStatusView.as_view(),
        name="import-status",
    ),
    path(
        "<int:pk>/register/<int:import_pk>/rejected.csv",
        views.RegisterImportReportView.as_view(),
        name="import-report",
    ),
]
