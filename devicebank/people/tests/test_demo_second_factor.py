"""The demo's staff can try the app: a published authenticator key, in development only."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from devicebank.people.models import User
from devicebank.people.two_factor import DEMO_TOTP_KEY, SECOND_FACTOR_ROLES, authenticator_for, current_code
from devicebank.portal.demo import USERS, demo_email, seed_demo

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True, DEVICEBANK_DEMO_SECOND_FACTOR=True)
def test_in_development_the_demo_staff_share_the_published_key_and_others_get_none() -> None:
    seed_demo(devices=0)
    for spec in USERS:
        device = authenticator_for(User.objects.get(email=demo_email(spec.email)))
        if spec.role in SECOND_FACTOR_ROLES:
            assert device is not None
            assert device.key == DEMO_TOTP_KEY
        else:
            assert device is None
    out = StringIO()
    call_command("demo-code", stdout=out)
    assert out.getvalue().strip() == current_code(DEMO_TOTP_KEY)


def test_outside_development_the_demo_staff_set_up_their_own() -> None:
    seed_demo(devices=0)
    manager = User.objects.get(email=demo_email("manager"))
    assert authenticator_for(manager) is None
    with pytest.raises(CommandError, match="only in development"):
        call_command("demo-code")


def test_seed_demo_prints_the_key_only_in_development() -> None:
    out = StringIO()
    with override_settings(DEBUG=True, DEVICEBANK_DEMO_SECOND_FACTOR=True):
        call_command("seed-demo", "--devices", "0", stdout=out)
    assert "devicebank demo-code" in out.getvalue()
    out = StringIO()
    call_command("seed-demo", "--devices", "0", stdout=out)
    assert "set up two-factor sign-in the first time they sign in" in out.getvalue()
    assert "demo-code" not in out.getvalue()
