from django.urls import path

from devicebank.recipients import views

app_name = "recipients"

urlpatterns = [
    path("", views.SchoolListView.as_view(), name="school-list"),
    path("<int:urn>/", views.SchoolDetailView.as_view(), name="school-detail"),
    path("import/", views.SchoolImportUploadView.as_view(), name="import-upload"),
    path("import/<int:pk>/", views.SchoolImportView.as_view(), name="import"),
    path("import/<int:pk>/status/", views.SchoolImportStatusView.as_view(), name="import-status"),
    path("import/<int:pk>/rejected.csv", views.SchoolImportRejectedView.as_view(), name="import-rejected"),
]
