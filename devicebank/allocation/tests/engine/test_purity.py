"""The engine is pure: importing and running it loads no Django models, no database layer and no other app."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, sys
from devicebank.allocation.engine import DeviceClass, Problem, Request, allocate
allocate(Problem((DeviceClass("C", "laptop", "s", "a", 1),), (Request("R", "o", "a", "laptop", 1, 1.0),)))
print(json.dumps(sorted(sys.modules)))
"""


def test_the_engine_loads_no_django_models_database_or_other_app():
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    )
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert not [m for m in modules if m.startswith(("django.db", "django.apps", "rest_framework"))]
    ours = {m for m in modules if m.startswith("devicebank.")}
    # devicebank/__init__ loads the Celery app (devicebank.celery); the engine itself needs only core.errors.
    assert ours - {m for m in ours if m.startswith("devicebank.allocation")} == {
        "devicebank.celery",
        "devicebank.core",
        "devicebank.core.errors",
    }
