"""createEvent, publishEvent and cancelEvent: who may, what is validated, and who hears of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from circles import services as circle_services
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification
from events import services
from events.models import Event, Signup
from tests.circles.factories import make_circle, membership
from tests.events.factories import make_event, move
from tests.events.helpers import CANCEL_EVENT, CREATE, PUBLISH
from tests.factories import UserFactory
from tests.helpers import codes, gid, run

pytestmark = pytest.mark.django_db


def event_input(circle=None, **overrides) -> dict:
    starts = timezone.now() + timedelta(days=7)
    fields = {
        "title": "川西自驾",
        "description": "成都出发，走G318到新都桥，三天两晚，车况良好的SUV优先。",
        "kind": "ROAD_TRIP",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(days=2)).isoformat(),
        "capacity": 20,
        "maxGuestsPerSignup": 3,
    }
    if circle is not None:
        fields["circleId"] = gid(circle)
    fields.update(overrides)
    return fields


def test_a_host_and_a_co_host_create_host_led_events_for_their_circle(gql, on_commit):
    co_host, member = UserFactory(), UserFactory()
    circle = make_circle(city="成都", co_hosts=[co_host], members=[member])
    payload = run(gql, CREATE, "createEvent", user=circle.created_by, **event_input(circle))
    assert payload["errors"] == []
    event = payload["event"]
    assert (event["origin"], event["status"], event["city"], event["circle"]["id"]) == (
        "HOST",
        "DRAFT",
        "成都",
        gid(circle),
    )
    assert (event["capacity"], event["seatsLeft"], event["confirmedSeats"], event["waitlistCount"]) == (20, 20, 0, 0)
    by_co_host = run(gql, CREATE, "createEvent", user=co_host, **event_input(circle, publish=True))
    assert by_co_host["event"]["status"] == "PUBLISHED" and by_co_host["event"]["origin"] == "HOST"
    assert Activity.objects.filter(verb=Verb.EVENT_PUBLISHED, circle_id=circle.pk).count() == 1
    # the circle's members hear of the published event, the organizer does not
    notified = set(
        Notification.objects.filter(verb=NotificationVerb.EVENT_PUBLISHED).values_list("recipient_id", flat=True)
    )
    assert notified == {circle.created_by_id, member.pk}


def test_brand_staff_create_brand_led_events_with_or_without_a_circle(gql, brand_staff):
    circle = make_circle()
    official = run(gql, CREATE, "createEvent", user=brand_staff, **event_input(title="欧尚Style 车主节"))
    in_circle = run(gql, CREATE, "createEvent", user=brand_staff, **event_input(circle))
    assert official["event"]["origin"] == "BRAND" and official["event"]["circle"] is None
    assert in_circle["event"]["origin"] == "BRAND" and in_circle["event"]["circle"]["id"] == gid(circle)


def test_who_may_not_create_events(gql):
    member, outsider = UserFactory(), UserFactory()
    circle = make_circle(members=[member])
    pending = make_circle(approve=False)
    assert codes(run(gql, CREATE, "createEvent", **event_input(circle))) == ["UNAUTHENTICATED"]
    assert codes(run(gql, CREATE, "createEvent", user=member, **event_input(circle))) == ["FORBIDDEN"]
    assert codes(run(gql, CREATE, "createEvent", user=outsider, **event_input())) == ["FORBIDDEN"]
    unknown = event_input(circleId="Q2lyY2xlOjk5OTk5")  # Circle:99999
    assert codes(run(gql, CREATE, "createEvent", user=member, **unknown)) == ["NOT_FOUND"]
    assert codes(run(gql, CREATE, "createEvent", user=member, **event_input(circleId="garbage"))) == ["INVALID"]
    assert codes(run(gql, CREATE, "createEvent", user=pending.created_by, **event_input(pending))) == ["CLOSED"]
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10_001}, "capacity"),
        ({"maxGuestsPerSignup": 6}, "maxGuestsPerSignup"),
        ({"maxGuestsPerSignup": -1}, "maxGuestsPerSignup"),
        ({"title": " "}, "title"),
        ({"kind": "DRIVE", "description": ""}, "description"),
        ({"endsAt": (timezone.now() + timedelta(days=6)).isoformat()}, "endsAt"),
        ({"endsAt": (timezone.now() + timedelta(days=30)).isoformat()}, "endsAt"),
        ({"startsAt": (timezone.now() - timedelta(hours=1)).isoformat()}, "startsAt"),
        (
            {
                "startsAt": (timezone.now() + timedelta(days=400)).isoformat(),
                "endsAt": (timezone.now() + timedelta(days=401)).isoformat(),
            },
            "startsAt",
        ),
        ({"signupOpensAt": (timezone.now() + timedelta(days=8)).isoformat()}, "signupOpensAt"),
        ({"signupClosesAt": (timezone.now() - timedelta(days=1)).isoformat()}, "signupClosesAt"),
        ({"signupClosesAt": (timezone.now() + timedelta(days=20)).isoformat()}, "signupClosesAt"),
        ({"latitude": 29.5}, "latitude"),
        ({"latitude": 95.0, "longitude": 106.5}, "latitude"),
    ],
)
def test_what_is_validated(gql, overrides, field):
    circle = make_circle()
    payload = run(gql, CREATE, "createEvent", user=circle.created_by, **event_input(circle, **overrides))
    assert payload["event"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID", field)]
    assert all(e["message"] for e in payload["errors"])
    assert not Event.objects.exists()


def test_several_problems_are_reported_at_once_in_the_readers_language(gql):
    circle = make_circle()
    bad = event_input(circle, capacity=0, maxGuestsPerSignup=9)
    chinese = run(gql, CREATE, "createEvent", user=circle.created_by, **bad)
    assert [e["field"] for e in chinese["errors"]] == ["capacity", "maxGuestsPerSignup"]
    assert "座位" in chinese["errors"][0]["message"]
    english = gql(CREATE, {"input": bad}, user=circle.created_by, language="en")["data"]["createEvent"]
    assert english["errors"][0]["message"] == "Capacity must be between 1 and 10000 seats."


def test_publishing_a_draft(gql, on_commit):
    co_host, member = UserFactory(), UserFactory()
    circle = make_circle(co_hosts=[co_host], members=[member])
    draft = make_event(circle=circle, publish=False)
    assert codes(run(gql, PUBLISH, "publishEvent", user=member, eventId=gid(draft))) == ["NOT_FOUND"]
    assert codes(run(gql, PUBLISH, "publishEvent", eventId=gid(draft))) == ["UNAUTHENTICATED"]
    assert codes(run(gql, PUBLISH, "publishEvent", user=co_host, eventId="RXZlbnQ6OTk5OTk=")) == ["NOT_FOUND"]
    published = run(gql, PUBLISH, "publishEvent", user=co_host, eventId=gid(draft))
    assert published == {"event": {"id": gid(draft), "status": "PUBLISHED"}, "errors": []}
    assert codes(run(gql, PUBLISH, "publishEvent", user=co_host, eventId=gid(draft))) == ["CONFLICT"]
    assert codes(run(gql, PUBLISH, "publishEvent", user=member, eventId=gid(draft))) == ["FORBIDDEN"]
    late = make_event(circle=circle, publish=False)
    move(late, starts_in=-timedelta(minutes=5))
    assert codes(run(gql, PUBLISH, "publishEvent", user=co_host, eventId=gid(late))) == ["CLOSED"]
    notified = Notification.objects.filter(verb=NotificationVerb.EVENT_PUBLISHED, target_id=draft.pk)
    assert set(notified.values_list("recipient_id", flat=True)) == {circle.created_by_id, member.pk}
    assert draft.title in notified.get(recipient=member).data["event_title"]


def test_cancelling_an_event_tells_everyone_signed_up_once(gql, on_commit):
    event = make_event(capacity=2, max_guests=0)
    people = [UserFactory() for _ in range(3)]
    for person in people:
        services.sign_up(user=person, event_id=event.pk)
    withdrawn = UserFactory()
    services.sign_up(user=withdrawn, event_id=event.pk)
    services.cancel_signup(user=withdrawn, event_id=event.pk)
    assert codes(run(gql, CANCEL_EVENT, "cancelEvent", user=people[0], eventId=gid(event))) == ["FORBIDDEN"]
    payload = run(gql, CANCEL_EVENT, "cancelEvent", user=event.organizer, eventId=gid(event), reason="暴雨预警")
    assert payload["event"] == {"id": gid(event), "status": "CANCELLED", "confirmedSeats": 0, "waitlistCount": 0}
    assert set(Signup.objects.filter(event=event).values_list("status", flat=True)) == {"CANCELLED"}
    cancelled = Notification.objects.filter(verb=NotificationVerb.EVENT_CANCELLED)
    assert sorted(cancelled.values_list("recipient_id", flat=True)) == sorted(p.pk for p in people)
    from community.notifications.texts import render

    assert render(cancelled.first()) == f"{event.title}已取消：暴雨预警"
    assert codes(run(gql, CANCEL_EVENT, "cancelEvent", user=event.organizer, eventId=gid(event))) == ["CONFLICT"]
    activity = Activity.objects.get(verb=Verb.EVENT_CANCELLED)
    from community.kernel.activity import dispatch

    Activity.objects.filter(pk=activity.pk).update(dispatched_at=None)
    dispatch(activity.pk)  # redelivered: nobody is told twice
    assert cancelled.count() == 3


def test_finished_and_unknown_events_cannot_be_cancelled(gql, brand_staff):
    event = make_event()
    move(event, starts_in=-timedelta(hours=5))
    assert codes(run(gql, CANCEL_EVENT, "cancelEvent", user=brand_staff, eventId=gid(event))) == ["CLOSED"]
    assert codes(run(gql, CANCEL_EVENT, "cancelEvent", user=brand_staff, eventId="RXZlbnQ6OTk5OTk=")) == ["NOT_FOUND"]
    assert codes(run(gql, CANCEL_EVENT, "cancelEvent", user=brand_staff, eventId="bad")) == ["INVALID"]


def test_a_host_removed_from_the_circle_no_longer_runs_its_events(gql, on_commit):
    co_host = UserFactory()
    circle = make_circle(co_hosts=[co_host])
    event = make_event(circle=circle, organizer=co_host)
    circle_services.remove_member(user=circle.created_by, membership_id=membership(circle, co_host).pk)
    # having made the event gives no right of its own: only the circle's hosts run it now
    assert codes(run(gql, CANCEL_EVENT, "cancelEvent", user=co_host, eventId=gid(event))) == ["FORBIDDEN"]
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED
    assert run(gql, CANCEL_EVENT, "cancelEvent", user=circle.created_by, eventId=gid(event))["errors"] == []
