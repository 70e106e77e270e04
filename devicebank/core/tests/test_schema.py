from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def test_the_openapi_schema_is_valid_and_warning_free() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out)
    assert '"openapi": "3' in out.getvalue()
