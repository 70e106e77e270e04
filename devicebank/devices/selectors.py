"""Reading devices: every view, API endpoint and export gets devices through these functions."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from devicebank.core.audiences import Audience, is_operational, visible_data
from devicebank.core.audiences import event_filter as audience_event_filter
from devicebank.core.events import events_for, note_text
from devicebank.core.models import Event
from devicebank.devices.identity import manufacturer_key, serial_key
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.people.access import AccessScope, scope_for
from devicebank.people.models import Location, Organisation, User


@dataclass(frozen=True)
class DeviceFilters:
    """The filters the device list accepts (UI form and API query string alike)."""

    state: tuple[str, ...] = ()
    device_type: tuple[str, ...] = ()
    programme: int | None = None
    location: int | None = None
    custodian: int | None = None
    donor: int | None = None
    q: str = ""


def device_list(*, user: User | Any, filters: DeviceFilters | None = None) -> QuerySet[Device]:
    """Devices this user may see, filtered, newest first, with what the list shows joined in."""
    scope = scope_for(user)
    qs = Device.objects.filter(scope.device_filter()).with_list_relations()
    if filters is None:
        return qs
    if filters.state:
        qs = qs.filter(state__in=filters.state)
    if filters.device_type:
        qs = qs.filter(device_type__in=filters.device_type)
    if filters.programme is not None:
        qs = qs.filter(programme_id=filters.programme)
    if filters.location is not None:
        qs = qs.filter(location_id=filters.location)
    if filters.custodian is not None:
        qs = qs.filter(custodian_id=filters.custodian)
    if filters.donor is not None:
        qs = qs.filter(donor_id=filters.donor)
    if filters.q.strip():
        # Found through the tag and serial indexes first, then checked against the scope: otherwise SQLite may
        # walk a whole programme looking for one serial.
        qs = qs.filter(pk__in=Device.objects.filter(_search_q(filters.q)).values("pk"))
    return qs


def _search_q(text: str) -> Q:
    """Match an asset tag or a serial, exactly or by prefix (what a person or a scanner types).

    Prefixes are ranges (`>= "5CG"` and `< "5CH"`), not LIKE, so both databases answer from the indexes.
    """
    term = text.strip()
    query = _prefix_q("asset_tag", term.upper())
    key = serial_key(term)
    if key:
        query |= _prefix_q("serial_key", key)
    return query


def _prefix_q(field: str, prefix: str) -> Q:
    if not prefix:
        return Q(pk__in=[])
    following = prefix_upper_bound(prefix)
    if following is None:  # every character is the last code point: nothing sorts after the prefix
        return Q(**{f"{field}__gte": prefix})
    return Q(**{field: prefix}) | Q(**{f"{field}__gte": prefix, f"{field}__lt": following})


_LAST_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)  # not characters: no database encodes them


def prefix_upper_bound(prefix: str) -> str | None:
    """The shortest string above every string that starts with `prefix` (in code-point order), or None.

    The last character is raised by one code point, skipping the surrogates; a last character that is already
    the last code point (U+10FFFF) is dropped and the one before it raised, so every code point has a bound.
    """
    text = prefix.rstrip(chr(_LAST_CODE_POINT))
    if not text:
        return None
    following = ord(text[-1]) + 1
    if following in _SURROGATES:
        following = _SURROGATES.stop
    return text[:-1] + chr(following)


def device_get(*, user: User | Any, asset_tag: str, reading: bool = False) -> Device:
    """One device by asset tag, or Http404 if it does not exist or is out of the user's scope.

    `reading=True` is for the device page and timeline only: a funder may read those for the programmes it
    funds (`AccessScope.device_read_filter`), shown only what the public audience is.
    """
    scope = scope_for(user)
    device = (
        Device.objects.filter(scope.device_read_filter() if reading else scope.device_filter())
        .select_related("programme", "location", "custodian", "donor", "sanitisation")
        .filter(asset_tag=asset_tag.strip().upper())
        .first()
    )
    if device is None:
        raise Http404("No device with that asset tag.")
    return device


def devices_visible(*, scope: AccessScope) -> QuerySet[Device]:
    """Every device this scope may read: what lookups by code (and by drive, in the apps above) search in."""
    return Device.objects.filter(scope.device_filter())


ASSET_TAG, SERIAL, DONOR_ASSET_NUMBER = "asset_tag", "serial", "donor_asset_number"
ANY_CODE = (ASSET_TAG, SERIAL, DONOR_ASSET_NUMBER)


def device_find(
    *,
    scope: AccessScope,
    code: str | None,
    kinds: Collection[str] = ANY_CODE,
    manufacturer: str | None = None,
    donation_id: int | None = None,
) -> Device | None:
    """The one device a code names among those this scope may see, or None: the only lookup by code.

    A code is tried, among `kinds`, as an asset tag, then as a serial (the one from `manufacturer` if given, else
    one unique across makers, as makers are spelt many ways), then, within `donation_id` only, as the donor's
    own asset number (donors number their devices their own way, so it names a device only in its donation).

    Outside the scope there is nothing: a device the scope may not see is "no match", exactly as a code no
    device has, so callers cannot tell the two apart and neither can the people they answer (messages, dry runs
    and reports alike). The uniqueness rule before a write is not a lookup: it asks
    `devices.services.find_device_by_serial` across every scheme, and `DuplicateDevice` names a clash only to
    someone who may see it.
    """
    text = " ".join((code or "").split())
    if not text:
        return None
    visible = devices_visible(scope=scope)
    if ASSET_TAG in kinds:
        device = visible.filter(asset_tag=text.upper()).first()
        if device is not None:
            return device
    key = serial_key(text) if SERIAL in kinds else None
    if key is not None:
        if manufacturer:
            device = visible.filter(manufacturer_key=manufacturer_key(manufacturer), serial_key=key).first()
            if device is not None:
                return device
        candidates = list(visible.filter(serial_key=key)[:2])
        if len(candidates) == 1:
            return candidates[0]
    if DONOR_ASSET_NUMBER in kinds and donation_id is not None:
        candidates = list(visible.filter(donation_id=donation_id, donor_asset_tag__iexact=text)[:2])
        if len(candidates) == 1:
            return candidates[0]
    return None


def device_audiences(*, user: User | Any, device: Device) -> frozenset[Audience]:
    """Which audiences (core.audiences) the user reads this device's events as."""
    return scope_for(user).audiences_for(
        programme_id=device.programme_id, custodian_id=device.custodian_id, donor_id=device.donor_id
    )


def device_timeline(*, user: User | Any, device: Device) -> QuerySet[Event]:
    """The events about the device this user may see, oldest first (core.audiences decides which)."""
    audiences = device_audiences(user=user, device=device)
    return events_for(device).filter(audience_event_filter(audiences))


@dataclass(frozen=True)
class TimelineEntry:
    """One event as a reader is shown it: only the fields meant for their audience; the person who acted, the
    note and the place only for the programme's staff and partners."""

    id: int
    occurred_at: datetime
    kind: str
    kind_label: str
    data: dict[str, Any] = field(default_factory=dict)
    actor: str | None = None
    note: str = ""
    place: str | None = None
    area: str | None = None


def timeline_entries(*, user: User | Any, device: Device, events: Iterable[Event]) -> list[TimelineEntry]:
    """Present events (from `device_timeline`) to this user: names are read now, by id, never from the event."""
    audiences = device_audiences(user=user, device=device)
    events = list(events)
    operational = is_operational(audiences)
    places = _names(Location, _ids(events, "location")) if operational else {}
    areas = _areas(_ids([e for e in events if e.data.get("new") == "with_recipient"], "custodian"))
    entries = []
    for event in events:
        data = visible_data(event.kind, event.data, audiences)
        custodian = _ref_id(event.data.get("custodian"))
        handed_over = event.data.get("new") == "with_recipient"
        entries.append(
            TimelineEntry(
                id=event.pk,
                occurred_at=event.occurred_at,
                kind=event.kind,
                kind_label=event.kind_label,
                data=_ids_only(data),
                actor=str(event.actor) if operational and event.actor_id else None,
                note=note_text(event) if operational else "",
                place=places.get(_ref_id(event.data.get("location")) or 0),
                area=areas.get(custodian or 0) if handed_over else None,
            )
        )
    return entries


def _ids_only(data: dict[str, Any]) -> dict[str, Any]:
    """References to places and holders as ids: events written before issue 8 also copied their names."""
    for key in ("location", "custodian"):
        if key in data:
            data[key] = {"id": _ref_id(data[key])} if data[key] is not None else None
    return data


def _ref_id(ref: Any) -> int | None:
    """The id in an event's reference to a record ({"id": 3}; rows before issue 8 also held its name)."""
    if isinstance(ref, dict) and isinstance(ref.get("id"), int):
        return int(ref["id"])
    return None


def _ids(events: Iterable[Event], key: str) -> set[int]:
    return {i for e in events if (i := _ref_id(e.data.get(key))) is not None}


def _names(model: type[Location] | type[Organisation], ids: set[int]) -> dict[int, str]:
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _areas(organisation_ids: set[int]) -> dict[int, str]:
    """Where a device was handed over, as the postcode district of the organisation that took it (never a
    person's address): "LS6"."""
    if not organisation_ids:
        return {}
    rows = Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "postcode")
    return {pk: postcode.split()[0].upper() for pk, postcode in rows if postcode.strip()}


def device_state_counts(*, user: User | Any, programme_id: int | None = None) -> dict[str, int]:
    """How many devices the user can see in each state (every state present, zero when none)."""
    scope = scope_for(user)
    qs = Device.objects.filter(scope.device_filter())
    if programme_id is not None:
        qs = qs.filter(programme_id=programme_id)
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {state.value: counts.get(state.value, 0) for state in DeviceState}


def programme_state_counts(*, programme_ids: frozenset[int] | set[int]) -> dict[str, int]:
    """Aggregate counts by state for programmes (used by funders, who see no individual devices)."""
    qs = Device.objects.filter(programme_id__in=programme_ids)
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {state.value: counts.get(state.value, 0) for state in DeviceState}
