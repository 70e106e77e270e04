from django.urls import path

from devicebank.hardware import views

app_name = "hardware"

urlpatterns = [
    path("upload/", views.HardwareUploadView.as_view(), name="upload"),
    path("reports/<int:pk>/", views.HardwareReportView.as_view(), name="report"),
    path("reports/<int:pk>/raw/", views.HardwareReportRawView.as_view(), name="raw"),
]
