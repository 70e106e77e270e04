from __future__ import annotations

import pytest

from devicebank.core.models import Event
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.portal.synthetic import SANITISED_STATES, generate_synthetic


@pytest.mark.django_db
def test_synthetic_devices_keep_the_lifecycles_rules_and_have_histories() -> None:
    result = generate_synthetic(devices=300, batch=120)
    devices = Device.objects.filter(programme__slug="synthetic")
    assert result.devices == devices.count() == 300
    assert len(set(devices.values_list("asset_tag", flat=True))) == 300
    # every device past `sanitised` points at its own sanitisation outcome; none before it does
    assert not devices.filter(state__in=SANITISED_STATES, sanitisation__isnull=True).exists()
    assert not devices.exclude(state__in=SANITISED_STATES).filter(sanitisation__isnull=False).exists()
    assert all(d.sanitisation.device_id == d.pk for d in devices.filter(state=DeviceState.READY)[:20])
    assert Event.objects.filter(subject_type="devices.device").count() == result.events >= 300
    # the next device registered the normal way gets a fresh id and asset number
    from devicebank.devices.services import DeviceSpec, device_register

    highest = max(devices.values_list("id", flat=True))
    extra = device_register(
        programme=devices.first().programme, spec=DeviceSpec(manufacturer="Dell"), by=None
    )
    assert extra.pk > highest
