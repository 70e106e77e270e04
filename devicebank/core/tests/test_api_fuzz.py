"""Schemathesis drives every operation in our OpenAPI schema with generated input: no input may cause a 500.

Runs in-process against the WSGI app, signed in with a programme manager's API token (the role with the most
write paths), so generated requests reach the services and not only the authentication layer. (Schemathesis'
own pytest plugin does not run on pytest 9 yet, so each operation's Hypothesis strategy is driven directly.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from devicebank.conftest import World
from devicebank.people.services import api_token_create
from devicebank.wsgi import application


@pytest.fixture
def _keep_test_connection() -> Iterator[None]:
    """Requests through the WSGI app close "old" DB connections when they finish, which would end the test's
    transaction on PostgreSQL; Django's own test client switches this off in the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_keep_test_connection")
def test_no_generated_request_causes_a_server_error(world: World) -> None:
    token = api_token_create(user=world.user("manager"), name="fuzz")[1]
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    failures: list[str] = []
    calls: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9

    def fuzz(operation: Any) -> None:
        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def exercise(case: Any) -> None:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            calls.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{operation.label}: {response.status_code} for {case.as_curl_command()}")

        exercise()

    for operation in operations:
        fuzz(operation)
    assert not failures, "\n".join(failures[:10])
    assert len(calls) >= 10 * len(operations)  # it really exercised every operation
    assert any(code < 300 for code in calls)  # and got past validation at least sometimes
