"""Celery application.

With no broker configured (the embedded default) tasks run eagerly in-process, so `make run` needs nothing
but Python; set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) to hand them to a worker:
`celery -A devicebank worker`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devicebank.settings")

app = Celery("devicebank")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
