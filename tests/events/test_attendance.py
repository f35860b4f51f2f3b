"""Check-in with the venue's code, hosts marking attendance, NO_SHOW after the end, the activity stream
(points and badges feed on it), and the organizer's QR code and attendee CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from PIL import Image

from community.accounts.services import issue_token
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from events import services
from events.models import Event, Signup
from gamification.models import BadgeAward, PointsAccount
from tests.circles.factories import make_circle
from tests.events.factories import make_event, move
from tests.events.helpers import CHECK_IN, MARK
from tests.factories import UserFactory
from tests.helpers import codes, gid, run

pytestmark = pytest.mark.django_db

CODE = "query($id: ID!) { event(id: $id) { checkInCode checkInQrUrl attendeesCsvUrl viewerCanManage } }"


def balance(user) -> int:
    account = PointsAccount.objects.filter(user=user).first()
    return account.balance if account else 0


def test_only_organizers_see_the_check_in_code(gql):
    co_host, member = UserFactory(), UserFactory()
    circle = make_circle(co_hosts=[co_host], members=[member])
    event = make_event(circle=circle)
    for organizer in (circle.created_by, co_host):
        shown = gql(CODE, {"id": gid(event)}, user=organizer)["data"]["event"]
        assert shown["checkInCode"] == event.check_in_code and shown["viewerCanManage"] is True
        assert shown["checkInQrUrl"].endswith(f"/events/{event.pk}/check-in-qr.png")
    hidden = gql(CODE, {"id": gid(event)}, user=member)
    assert hidden["data"]["event"]["checkInCode"] is None and hidden["data"]["event"]["checkInQrUrl"] is None
    assert [e["extensions"]["code"] for e in hidden["errors"]] == ["FORBIDDEN"]


def test_a_confirmed_attendee_checks_in_with_the_code_in_the_window(gql, on_commit):
    event = make_event(capacity=1, max_guests=0)
    attendee, waiting = UserFactory(), UserFactory()
    services.sign_up(user=attendee, event_id=event.pk)
    services.sign_up(user=waiting, event_id=event.pk)
    code = event.check_in_code
    early = run(gql, CHECK_IN, "checkIn", user=attendee, eventId=gid(event), code=code)
    assert codes(early) == ["CLOSED"]
    move(event, starts_in=timedelta(minutes=30))
    wrong = run(gql, CHECK_IN, "checkIn", user=attendee, eventId=gid(event), code="WRONG123")
    assert [(e["code"], e["field"]) for e in wrong["errors"]] == [("INVALID", "code")]
    assert codes(run(gql, CHECK_IN, "checkIn", user=waiting, eventId=gid(event), code=code)) == ["FORBIDDEN"]
    assert codes(run(gql, CHECK_IN, "checkIn", user=UserFactory(), eventId=gid(event), code=code)) == ["NOT_FOUND"]
    assert codes(run(gql, CHECK_IN, "checkIn", user=attendee, eventId="RXZlbnQ6OTk5OTk=", code=code)) == ["NOT_FOUND"]
    done = run(gql, CHECK_IN, "checkIn", user=attendee, eventId=gid(event), code=code.lower())
    assert done["errors"] == [] and done["signup"]["status"] == "ATTENDED" and done["signup"]["checkedInAt"]
    again = run(gql, CHECK_IN, "checkIn", user=attendee, eventId=gid(event), code=code)
    assert again["signup"]["status"] == "ATTENDED"
    attended = Activity.objects.filter(verb=Verb.EVENT_ATTENDED)
    hosted = Activity.objects.filter(verb=Verb.EVENT_HOSTED)
    assert list(attended.values_list("actor_id", "target_id")) == [(attendee.pk, event.pk)]
    assert list(hosted.values_list("actor_id", "data")) == [
        (event.organizer_id, {"attendee_id": attendee.pk, "signup_id": Signup.objects.get(user=attendee).pk})
    ]
    # points for attending and for hosting, and the first-event badge
    assert balance(attendee) == 30 and balance(event.organizer) == 5
    assert BadgeAward.objects.filter(user=attendee, badge__code="first_event").exists()


def test_check_in_closes_at_the_end(gql):
    event = make_event()
    attendee = UserFactory()
    services.sign_up(user=attendee, event_id=event.pk)
    move(event, starts_in=-timedelta(hours=4))
    late = run(gql, CHECK_IN, "checkIn", user=attendee, eventId=gid(event), code=event.check_in_code)
    assert codes(late) == ["CLOSED"]
    cancelled = make_event()
    services.sign_up(user=attendee, event_id=cancelled.pk)
    move(cancelled, starts_in=timedelta(minutes=10))
    services.cancel_event(user=cancelled.organizer, event_id=cancelled.pk)
    refused = run(gql, CHECK_IN, "checkIn", user=attendee, eventId=gid(cancelled), code=cancelled.check_in_code)
    assert codes(refused) == ["NOT_FOUND"]  # the cancellation ended the sign-up


def test_hosts_mark_attendance_and_can_undo_it(gql, on_commit):
    co_host, member = UserFactory(), UserFactory()
    circle = make_circle(co_hosts=[co_host])
    event = make_event(circle=circle)
    signup = services.sign_up(user=member, event_id=event.pk)
    too_early = run(gql, MARK, "markAttendance", user=co_host, signupId=gid(signup), attended=True)
    assert codes(too_early) == ["CLOSED"]
    move(event, starts_in=-timedelta(minutes=30))
    assert codes(run(gql, MARK, "markAttendance", user=member, signupId=gid(signup), attended=True)) == ["FORBIDDEN"]
    assert codes(run(gql, MARK, "markAttendance", user=UserFactory(), signupId=gid(signup), attended=True)) == [
        "NOT_FOUND"
    ]
    assert codes(run(gql, MARK, "markAttendance", user=co_host, signupId="U2lnbnVwOjk5OTk5", attended=True)) == [
        "NOT_FOUND"
    ]
    marked = run(gql, MARK, "markAttendance", user=co_host, signupId=gid(signup), attended=True)
    assert marked["signup"]["status"] == "ATTENDED"
    assert Signup.objects.get(pk=signup.pk).attendance_marked_by == co_host
    assert balance(member) == 30
    undone = run(gql, MARK, "markAttendance", user=co_host, signupId=gid(signup), attended=False)
    assert undone["signup"]["status"] == "CONFIRMED" and undone["signup"]["checkedInAt"] is None
    assert balance(member) == 0 and balance(event.organizer) == 0  # what attending earned is taken back
    waiting_event = make_event(circle=circle, capacity=1, max_guests=0)
    services.sign_up(user=UserFactory(), event_id=waiting_event.pk)
    waiting = services.sign_up(user=UserFactory(), event_id=waiting_event.pk)
    move(waiting_event, starts_in=-timedelta(minutes=5))
    assert codes(run(gql, MARK, "markAttendance", user=co_host, signupId=gid(waiting), attended=True)) == ["CONFLICT"]


def test_after_the_end_confirmed_sign_ups_that_never_came_become_no_shows(gql, on_commit):
    event = make_event(capacity=3, max_guests=0)
    came, missed, waiting = UserFactory(), UserFactory(), UserFactory()
    for person in (came, missed, UserFactory(), waiting):
        services.sign_up(user=person, event_id=event.pk)
    services.sign_up(user=UserFactory(), event_id=event.pk)
    move(event, starts_in=-timedelta(minutes=10))
    services.check_in(user=came, event_id=event.pk, code=event.check_in_code)
    assert services.finish_ended_events() == 0  # not over yet
    move(event, starts_in=-timedelta(hours=4))
    status = "query($id: ID!) { event(id: $id) { status } }"
    assert gql(status, {"id": gid(event)}, user=came)["data"]["event"]["status"] == "FINISHED"
    from events.tasks import finish_ended_events

    with on_commit():
        assert finish_ended_events.delay().get() == 1
    assert finish_ended_events.delay().get() == 0  # twice: nothing more
    event.refresh_from_db()
    assert event.status == "FINISHED" and event.finished_at is not None
    statuses = dict(Signup.objects.filter(event=event).values_list("user_id", "status"))
    assert statuses[came.pk] == "ATTENDED" and statuses[missed.pk] == "NO_SHOW"
    assert statuses[waiting.pk] == "WAITLISTED"
    assert Activity.objects.get(verb=Verb.EVENT_FINISHED).data == {"no_shows": 2}
    # a host may still fix a mistake for a week
    fixed = services.mark_attendance(user=event.organizer, signup_id=Signup.objects.get(user=missed).pk, attended=True)
    assert fixed.status == "ATTENDED"


def test_the_qr_code_and_the_attendee_list_for_organizers_only(brand_staff):
    circle = make_circle()
    event = make_event(circle=circle, capacity=2, max_guests=1)
    people = [UserFactory(nickname=n) for n in ("王芳", "李磊", "张伟")]
    services.sign_up(user=people[0], event_id=event.pk, guests=1)
    services.sign_up(user=people[1], event_id=event.pk)
    services.sign_up(user=people[2], event_id=event.pk)
    services.cancel_signup(user=people[2], event_id=event.pk)
    browser = Client()
    csv_path, qr_path = f"/events/{event.pk}/attendees.csv", f"/events/{event.pk}/check-in-qr.png"
    assert browser.get(csv_path).status_code == 401
    token = issue_token(circle.created_by)
    response = browser.get(csv_path, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["昵称", "用户名", "城市"]
    assert [(r[0], r[3], r[5]) for r in rows[1:]] == [("王芳", "1", "已确认"), ("李磊", "0", "候补中")]
    other = issue_token(people[0])
    assert browser.get(csv_path, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 403
    assert browser.get("/events/99999/attendees.csv", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    session = Client()
    session.force_login(brand_staff)
    png = session.get(qr_path)
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and "no-store" in png["Cache-Control"]
    image = Image.open(io.BytesIO(png.content))
    assert image.format == "PNG" and image.size[0] == image.size[1] >= 200
    assert browser.get(qr_path, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 403


def test_too_many_wrong_codes_are_rate_limited(gql):
    event = move(make_event(), starts_in=timedelta(minutes=5))
    person = UserFactory()
    services.sign_up(user=person, event_id=event.pk)
    answers = [
        codes(run(gql, CHECK_IN, "checkIn", user=person, eventId=gid(event), code="NOPE0000")) for _ in range(11)
    ]
    assert answers[:10] == [["INVALID"]] * 10 and answers[10] == ["RATE_LIMITED"]
    assert Event.objects.get(pk=event.pk).status == "PUBLISHED"
