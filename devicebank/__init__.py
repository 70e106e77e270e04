"""devicebank: run device-reuse schemes for digital inclusion end to end."""

from devicebank.celery import app as celery_app

__all__ = ["celery_app"]
