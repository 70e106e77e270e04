from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from devicebank.core import views as core_views
from devicebank.portal.views import HomeView
from devicebank.sanitisation.views import VerifyFindView, VerifyView

admin.site.site_header = "devicebank administration"
admin.site.site_title = "devicebank admin"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("devicebank.people.urls")),
    path("devices/", include("devicebank.devices.urls")),
    path("donations/", include("devicebank.donations.urls")),
    path("hardware/", include("devicebank.hardware.urls")),
    path("sanitisation/", include("devicebank.sanitisation.urls")),
    path("refurbishment/", include("devicebank.refurbishment.urls")),
    path("schools/", include("devicebank.recipients.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("devicebank.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", core_views.health, name="health"),
    path("verify/", VerifyFindView.as_view(), name="verify-find"),
    path("verify/<str:code>/", VerifyView.as_view(), name="verify"),
]

handler400 = "devicebank.core.views.bad_request"
handler403 = "devicebank.core.views.permission_denied"
handler404 = "devicebank.core.views.page_not_found"
handler500 = "devicebank.core.views.server_error"
