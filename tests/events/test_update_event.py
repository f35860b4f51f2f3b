"""updateEvent by its organisers: the creation rules, capacity and the waitlist, notices of a new time or place."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.kernel.verbs import NotificationVerb
from community.models import Notification
from events import services
from events.models import Event, Signup
from tests.circles.factories import make_circle
from tests.events.factories import make_event, move
from tests.factories import BrandStaffFactory, UserFactory
from tests.helpers import at_once, data_of, gid

UPDATE = """
mutation($input: UpdateEventInput!) {
  updateEvent(input: $input) {
    event { id title capacity confirmedSeats waitlistCount address startsAt }
    errors { field code message }
  }
}"""


def update(gql, user, event, **fields):
    return data_of(gql(UPDATE, {"input": {"eventId": gid(event), **fields}}, user=user), "updateEvent")


def signed_up(event, count):
    people = [UserFactory() for _ in range(count)]
    for person in people:
        services.sign_up(user=person, event_id=event.pk)
    return people


def test_the_organiser_changes_title_description_place_and_window(gql):
    event = make_event()
    starts = timezone.localtime(event.starts_at)
    result = update(
        gql,
        event.organizer,
        event,
        title="南山夜游（改期）",
        description="改在观景台停车场集合。",
        address="南山一棵树停车场",
        signupClosesAt=(starts - timedelta(hours=2)).isoformat(),
    )
    assert result["errors"] == []
    event.refresh_from_db()
    assert (event.title, event.address) == ("南山夜游（改期）", "南山一棵树停车场")
    assert event.signup_closes_at == starts - timedelta(hours=2)


def test_the_creation_rules_hold_and_nothing_is_written_on_refusal(gql):
    event = make_event()
    organizer = event.organizer
    past = (timezone.now() - timedelta(hours=1)).isoformat()
    assert update(gql, organizer, event, startsAt=past)["errors"][0]["field"] == "startsAt"
    too_early = (event.starts_at - timedelta(hours=1)).isoformat()
    assert update(gql, organizer, event, endsAt=too_early)["errors"][0]["field"] == "endsAt"
    assert update(gql, organizer, event, title="x")["errors"][0]["field"] == "title"
    assert update(gql, organizer, event, capacity=0)["errors"][0]["field"] == "capacity"
    after_end = (event.ends_at + timedelta(hours=1)).isoformat()
    assert update(gql, organizer, event, signupClosesAt=after_end)["errors"][0]["field"] == "signupClosesAt"
    fresh = Event.objects.get(pk=event.pk)
    assert (fresh.title, fresh.starts_at, fresh.capacity) == (event.title, event.starts_at, event.capacity)


def test_who_may_change_an_event(gql):
    co_host, member = UserFactory(), UserFactory()
    circle = make_circle(co_hosts=[co_host], members=[member])
    event = make_event(circle=circle)
    assert update(gql, None, event, title="匿名改")["errors"][0]["code"] == "UNAUTHENTICATED"
    assert update(gql, member, event, title="成员改")["errors"][0]["code"] == "FORBIDDEN"
    assert update(gql, UserFactory(), event, title="路人改")["errors"][0]["code"] == "FORBIDDEN"
    assert update(gql, co_host, event, title="副圈主改")["errors"] == []
    assert update(gql, BrandStaffFactory(), event, title="官方改")["errors"] == []
    cancelled = make_event(circle=circle)
    services.cancel_event(user=cancelled.organizer, event_id=cancelled.pk)
    assert update(gql, cancelled.organizer, cancelled, title="取消后再改")["errors"][0]["code"] == "CLOSED"


def test_lowering_capacity_below_confirmed_seats_is_refused_with_a_code(gql):
    event = make_event(capacity=3, max_guests=0)
    signed_up(event, 3)
    refused = update(gql, event.organizer, event, capacity=2)
    assert refused["errors"] == [
        {"field": "capacity", "code": "CONFLICT", "message": "已确认 3 个名额：名额不能低于这个数。"}
    ]
    assert Signup.objects.filter(event=event, status="CONFIRMED").count() == 3
    assert update(gql, event.organizer, event, capacity=3)["errors"] == []


def test_raising_capacity_seats_the_waitlist_in_arrival_order_and_notifies(gql):
    event = make_event(capacity=2, max_guests=0)
    seated = signed_up(event, 2)
    waiting = signed_up(event, 3)
    result = update(gql, event.organizer, event, capacity=4)
    assert result["errors"] == []
    assert result["event"]["confirmedSeats"] == 4 and result["event"]["waitlistCount"] == 1
    confirmed = set(Signup.objects.filter(event=event, status="CONFIRMED").values_list("user_id", flat=True))
    assert confirmed == {p.pk for p in seated + waiting[:2]}
    promoted = Notification.objects.filter(verb=NotificationVerb.WAITLIST_PROMOTED)
    assert set(promoted.values_list("recipient_id", flat=True)) == {waiting[0].pk, waiting[1].pk}


def test_a_new_time_or_place_notifies_everyone_signed_up_once(gql):
    event = make_event(capacity=1, max_guests=0)
    seated, waiting = signed_up(event, 1) + signed_up(event, 1)
    later = event.starts_at + timedelta(hours=1)
    assert (
        update(
            gql, event.organizer, event, startsAt=later.isoformat(), endsAt=(later + timedelta(hours=3)).isoformat()
        )["errors"]
        == []
    )
    assert update(gql, event.organizer, event, address="洪崖洞停车场")["errors"] == []
    assert update(gql, event.organizer, event, title="只改标题")["errors"] == []
    changed = Notification.objects.filter(verb=NotificationVerb.EVENT_CHANGED)
    assert sorted(changed.values_list("recipient_id", flat=True)) == sorted([seated.pk, waiting.pk] * 2)
    texts = gql("{ notifications { edges { node { text } } } }", user=seated)
    assert any("时间或地点有变" in edge["node"]["text"] for edge in texts["data"]["notifications"]["edges"])


def test_an_event_under_way_may_still_get_a_new_description(gql):
    event = move(make_event(), starts_in=-timedelta(hours=1))
    assert update(gql, event.organizer, event, description="已经开始了，晚到的直接去观景台。")["errors"] == []


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_capacity_changes_and_sign_ups_at_once_never_oversell():
    event = make_event(capacity=5, max_guests=0)
    people = [UserFactory() for _ in range(12)]
    works = [lambda p=p: services.sign_up(user=p, event_id=event.pk) for p in people]
    works += [lambda c=c: services.update_event(user=event.organizer, event_id=event.pk, capacity=c) for c in (8, 3)]
    outcomes = at_once(works, join=60)
    assert outcomes.crashes == []
    # Lowering to 3 is refused once more than 3 are seated; nothing else fails.
    assert all(refusal.errors[0].field == "capacity" for refusal in outcomes.refusals), outcomes.refusals
    event.refresh_from_db()
    confirmed = Signup.objects.filter(event=event, status="CONFIRMED").count()
    waitlisted = Signup.objects.filter(event=event, status="WAITLISTED").count()
    assert event.confirmed_seats == confirmed <= event.capacity and event.waitlist_count == waitlisted
    assert confirmed + waitlisted == 12
    first_waiting = Signup.objects.filter(event=event, status="WAITLISTED").order_by("id").first()
    if first_waiting is not None:
        assert not Signup.objects.filter(event=event, status="CONFIRMED", id__gt=first_waiting.id).exists()
