from django.urls import path

from devicebank.devices import label_views, views

app_name = "devices"

urlpatterns = [
    path("", views.DeviceListView.as_view(), name="list"),
    path("register/", views.DeviceRegisterView.as_view(), name="register"),
    path("<str:asset_tag>/", views.DeviceDetailView.as_view(), name="detail"),
    path("<str:asset_tag>/state/", views.DeviceTransitionView.as_view(), name="transition"),
    path("<str:asset_tag>/details/", views.DeviceCorrectView.as_view(), name="correct"),
    path("<str:asset_tag>/label/", label_views.DeviceLabelView.as_view(), name="label"),
]
