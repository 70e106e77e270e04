from typing import Any

from django.conf import settings
from django.http import HttpRequest

from devicebank.portal.navigation import navigation_for


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.DEVICEBANK_SERVICE_NAME,
        "navigation": navigation_for(request),
    }
