"""Pages of the refurbishment app (mounted at /refurbishment/)."""

from django.urls import path

from devicebank.refurbishment import views

app_name = "refurbishment"

urlpatterns = [
    path("", views.WorkbenchView.as_view(), name="workbench"),
    path("bulk/", views.BulkView.as_view(), name="bulk"),
    path("specifications/", views.SpecificationListView.as_view(), name="specifications"),
    path(
        "specifications/<slug:slug>/<str:device_type>/",
        views.SpecificationEditView.as_view(),
        name="specification",
    ),
    path("parts/", views.PartListView.as_view(), name="parts"),
    path("parts/<int:pk>/adjust/", views.PartAdjustView.as_view(), name="part-adjust"),
    path("throughput/", views.ThroughputView.as_view(), name="throughput"),
    path("devices/<str:asset_tag>/", views.DeviceWorkbenchView.as_view(), name="device"),
    path("devices/<str:asset_tag>/tests/", views.TestsView.as_view(), name="tests"),
    path("devices/<str:asset_tag>/grade/", views.GradeView.as_view(), name="grade"),
    path("devices/<str:asset_tag>/os/", views.OsView.as_view(), name="os"),
    path("devices/<str:asset_tag>/passwords/", views.PasswordView.as_view(), name="password"),
    path("devices/<str:asset_tag>/secrets/<int:pk>/reveal/", views.SecretRevealView.as_view(), name="reveal"),
    path("devices/<str:asset_tag>/repairs/", views.RepairView.as_view(), name="repair"),
    path("devices/<str:asset_tag>/harvest/", views.HarvestView.as_view(), name="harvest"),
    path("devices/<str:asset_tag>/decision/", views.DecisionView.as_view(), name="decision"),
    path("devices/<str:asset_tag>/recycle/", views.RecycleView.as_view(), name="recycle"),
    path("devices/<str:asset_tag>/ready/", views.FinishView.as_view(), name="ready"),
]
