from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top layer: what composes the domains for people (home pages per role, the service navigation) and
    for development (the demo seed, synthetic data). Nothing below imports it (docs/architecture.md)."""

    name = "devicebank.portal"
    label = "portal"
    verbose_name = "Portal: home pages, navigation, demo"
