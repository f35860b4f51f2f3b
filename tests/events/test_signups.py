"""signUpForEvent and cancelSignup: seats taken exactly, the waitlist in arrival order (skipping those who
need more seats than are free), and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from circles import services as circle_services
from community.kernel.activity import dispatch
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification
from events import services
from events.models import Event, Signup
from tests.circles.factories import make_circle, membership
from tests.events.factories import make_event, move
from tests.events.helpers import CANCEL_SIGNUP, SIGN_UP
from tests.factories import UserFactory
from tests.helpers import codes, gid, run

pytestmark = pytest.mark.django_db


def sign_up(gql, user, event, guests=None):
    fields = {"eventId": gid(event)}
    if guests is not None:
        fields["guests"] = guests
    return run(gql, SIGN_UP, "signUpForEvent", user=user, **fields)


def seats(event) -> tuple[int, int, int]:
    event.refresh_from_db()
    return event.confirmed_seats, event.seats_left, event.waitlist_count


def test_seats_are_confirmed_while_free_then_the_waitlist_takes_positions(gql, on_commit):
    event = make_event(capacity=5, max_guests=2)
    a, b, c, d = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    first = sign_up(gql, a, event, guests=2)
    assert first["errors"] == [] and first["signup"]["status"] == "CONFIRMED"
    assert first["signup"]["event"] == {"id": gid(event), "confirmedSeats": 3, "seatsLeft": 2, "waitlistCount": 0}
    assert first["signup"]["waitlistPosition"] is None
    second = sign_up(gql, b, event, guests=2)  # needs 3, 2 free
    assert (second["signup"]["status"], second["signup"]["waitlistPosition"]) == ("WAITLISTED", 1)
    third = sign_up(gql, c, event, guests=1)  # needs 2, 2 free: fits
    assert third["signup"]["status"] == "CONFIRMED"
    fourth = sign_up(gql, d, event)
    assert (fourth["signup"]["status"], fourth["signup"]["waitlistPosition"]) == ("WAITLISTED", 2)
    assert seats(event) == (5, 0, 2)


def test_cancelling_promotes_the_waitlist_in_order_skipping_who_does_not_fit(gql, on_commit):
    event = make_event(capacity=4, max_guests=3)
    holder, big, small_1, small_2, last = (UserFactory(nickname=n) for n in ("占座", "大家庭", "小一", "小二", "末位"))
    services.sign_up(user=holder, event_id=event.pk, guests=2)  # 3 seats
    services.sign_up(user=UserFactory(), event_id=event.pk)  # 1 seat: full
    for person, guests in ((big, 3), (small_1, 0), (small_2, 1), (last, 0)):
        assert services.sign_up(user=person, event_id=event.pk, guests=guests).status == "WAITLISTED"
    with on_commit():
        payload = run(gql, CANCEL_SIGNUP, "cancelSignup", user=holder, eventId=gid(event))
    assert payload["signup"]["status"] == "CANCELLED"
    # 3 seats free: 大家庭 needs 4 (skipped), 小一 takes 1, 小二 takes 2; 末位 waits
    status = dict(Signup.objects.filter(event=event).values_list("user__nickname", "status"))
    assert (status["大家庭"], status["小一"], status["小二"], status["末位"]) == (
        "WAITLISTED",
        "CONFIRMED",
        "CONFIRMED",
        "WAITLISTED",
    )
    assert seats(event) == (4, 0, 2)
    positions = {s.user.nickname: s for s in Signup.objects.filter(event=event, status="WAITLISTED")}
    from events.selectors import waitlist_positions

    assert waitlist_positions([s.pk for s in positions.values()]) == {
        positions["大家庭"].pk: 1,
        positions["末位"].pk: 2,
    }
    promoted = Notification.objects.filter(verb=NotificationVerb.WAITLIST_PROMOTED)
    assert sorted(promoted.values_list("recipient__nickname", flat=True)) == ["小一", "小二"]
    for activity in Activity.objects.filter(verb=Verb.EVENT_WAITLIST_PROMOTED):
        Activity.objects.filter(pk=activity.pk).update(dispatched_at=None)
        dispatch(activity.pk)  # redelivered: notified once all the same
    assert promoted.count() == 2
    from community.notifications.texts import render

    assert render(promoted.first()) == f"你已从候补转为正式报名：{event.title}"


def test_withdrawing_from_the_waitlist_moves_everyone_up(gql):
    event = make_event(capacity=1, max_guests=0)
    services.sign_up(user=UserFactory(), event_id=event.pk)
    first, second = UserFactory(), UserFactory()
    services.sign_up(user=first, event_id=event.pk)
    services.sign_up(user=second, event_id=event.pk)
    run(gql, CANCEL_SIGNUP, "cancelSignup", user=first, eventId=gid(event))
    assert seats(event) == (1, 0, 1)
    mine = "query($id: ID!) { event(id: $id) { viewerSignup { status waitlistPosition } } }"
    assert gql(mine, {"id": gid(event)}, user=second)["data"]["event"]["viewerSignup"] == {
        "status": "WAITLISTED",
        "waitlistPosition": 1,
    }


def test_one_live_sign_up_per_user_and_event(gql):
    event = make_event()
    person = UserFactory()
    assert sign_up(gql, person, event)["errors"] == []
    again = sign_up(gql, person, event)
    assert again["signup"] is None and codes(again) == ["CONFLICT"]
    run(gql, CANCEL_SIGNUP, "cancelSignup", user=person, eventId=gid(event))
    assert sign_up(gql, person, event)["signup"]["status"] == "CONFIRMED"  # a new sign-up after withdrawing
    assert Signup.objects.filter(event=event, user=person).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():  # the database says so too
        Signup.objects.create(event=event, user=person, status="WAITLISTED")


def test_guests_over_the_limit_and_unknown_events_are_refused(gql):
    event = make_event(max_guests=2)
    person = UserFactory()
    over = sign_up(gql, person, event, guests=3)
    assert [(e["code"], e["field"]) for e in over["errors"]] == [("INVALID", "guests")]
    assert codes(sign_up(gql, person, event, guests=-1)) == ["INVALID"]
    assert codes(run(gql, SIGN_UP, "signUpForEvent", user=person, eventId="RXZlbnQ6OTk5OTk=")) == ["NOT_FOUND"]
    assert codes(run(gql, SIGN_UP, "signUpForEvent", user=person, eventId="nonsense")) == ["INVALID"]
    assert codes(run(gql, SIGN_UP, "signUpForEvent", eventId=gid(event))) == ["UNAUTHENTICATED"]
    assert seats(event) == (0, 10, 0)


def test_sign_ups_are_refused_outside_the_window_and_for_closed_events(gql):
    person = UserFactory()
    later = make_event(signup_opens_at=timezone.now() + timedelta(days=1))
    assert codes(sign_up(gql, person, later)) == ["CLOSED"]
    closed = make_event(signup_closes_at=timezone.now() + timedelta(days=1))
    Event.objects.filter(pk=closed.pk).update(signup_closes_at=timezone.now() - timedelta(minutes=1))
    assert codes(sign_up(gql, person, closed)) == ["CLOSED"]
    started = move(make_event(), starts_in=-timedelta(minutes=10))
    assert codes(sign_up(gql, person, started)) == ["CLOSED"]
    finished = move(make_event(), starts_in=-timedelta(hours=4))
    assert codes(sign_up(gql, person, finished)) == ["CLOSED"]
    cancelled = make_event()
    services.cancel_event(user=cancelled.organizer, event_id=cancelled.pk)
    refusal = sign_up(gql, person, cancelled)
    assert codes(refusal) == ["CLOSED"] and refusal["errors"][0]["message"] == "该活动已取消。"
    assert not Signup.objects.filter(user=person).exists()


def test_drafts_private_circles_and_banned_members(gql):
    insider, outsider, troublemaker = UserFactory(), UserFactory(), UserFactory()
    private = make_circle(visibility="PRIVATE", members=[insider, troublemaker])
    event = make_event(circle=private)
    assert codes(sign_up(gql, outsider, event)) == ["NOT_FOUND"]  # a private circle's event is not shown
    assert sign_up(gql, insider, event)["signup"]["status"] == "CONFIRMED"
    circle_services.remove_member(user=private.created_by, membership_id=membership(private, troublemaker).pk, ban=True)
    public = make_circle(members=[troublemaker])
    open_event = make_event(circle=public)
    circle_services.remove_member(user=public.created_by, membership_id=membership(public, troublemaker).pk, ban=True)
    assert codes(sign_up(gql, troublemaker, open_event)) == ["FORBIDDEN"]
    assert sign_up(gql, outsider, open_event)["signup"]["status"] == "CONFIRMED"  # strangers are welcome
    draft = make_event(circle=public, publish=False)
    assert codes(sign_up(gql, outsider, draft)) == ["NOT_FOUND"]
    assert codes(sign_up(gql, public.created_by, draft)) == ["CLOSED"]


def test_cancel_sign_up_refusals(gql):
    event = make_event()
    person = UserFactory()
    assert codes(run(gql, CANCEL_SIGNUP, "cancelSignup", user=person, eventId=gid(event))) == ["NOT_FOUND"]
    assert codes(run(gql, CANCEL_SIGNUP, "cancelSignup", user=person, eventId="RXZlbnQ6OTk5OTk=")) == ["NOT_FOUND"]
    services.sign_up(user=person, event_id=event.pk)
    move(event, starts_in=-timedelta(minutes=1))
    late = run(gql, CANCEL_SIGNUP, "cancelSignup", user=person, eventId=gid(event))
    assert codes(late) == ["CLOSED"]
    assert Signup.objects.get(user=person).status == "CONFIRMED"


def test_seat_changes_are_published_after_commit(on_commit, monkeypatch):
    from community.kernel import realtime

    sent = []
    monkeypatch.setattr(realtime, "send_now", lambda topic, payload: sent.append((topic, payload)))
    event = make_event(capacity=1, max_guests=0)
    first, second = UserFactory(), UserFactory()
    with on_commit():
        services.sign_up(user=first, event_id=event.pk)
        services.sign_up(user=second, event_id=event.pk)
        services.cancel_signup(user=first, event_id=event.pk)
    topic = f"event.{event.pk}.seats"
    assert [(t, p["confirmedSeats"], p["seatsLeft"], p["waitlistCount"]) for t, p in sent if t == topic] == [
        (topic, 1, 0, 0),
        (topic, 1, 0, 1),
        (topic, 1, 0, 0),
    ]
    assert [p["revision"] for t, p in sent if t == topic] == [1, 2, 3]
