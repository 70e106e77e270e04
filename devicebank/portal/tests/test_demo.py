from __future__ import annotations

import pytest

from devicebank.core.models import Event
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.people.access import scope_for
from devicebank.people.models import User
from devicebank.portal.demo import PROGRAMME_SLUG, USERS, demo_email, seed_demo


@pytest.mark.django_db
def test_the_demo_has_every_state_every_role_and_is_idempotent() -> None:
    first = seed_demo(devices=120)
    assert first["devices_created"] == 120
    devices = Device.objects.filter(programme__slug=PROGRAMME_SLUG)
    assert devices.count() == 120
    assert set(devices.values_list("state", flat=True)) == set(DeviceState.values)
    # Histories are real: each device has its registration and one event per move, and ready ones are sanitised.
    assert Event.objects.filter(subject_type="devices.device").count() > 120 * 3
    assert not devices.filter(state=DeviceState.READY, sanitisation__isnull=True).exists()

    events = Event.objects.count()
    again = seed_demo(devices=120)
    assert again["devices_created"] == 0
    assert Device.objects.count() == 120
    assert Event.objects.count() == events

    for spec in USERS:
        user = User.objects.get(email=demo_email(spec.email))
        assert user.check_password("devicebank-demo")
        assert spec.role in scope_for(user).roles
