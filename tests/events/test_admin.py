"""The back office: brand staff see events with their sign-up figures, filter them, and publish, cancel and
mark attendance through the services."""

from __future__ import annotations

from datetime import timedelta

from events import services
from events.models import Event, Signup
from tests.events.factories import make_event, move
from tests.factories import UserFactory
from tests.helpers import admin_action, browser_for


def test_events_with_sign_up_counts_filters_and_actions(db, brand_staff, on_commit):
    event = make_event(title="欧尚Style 车主节", capacity=2, max_guests=0)
    draft = make_event(title="洗车保养课堂", publish=False)
    for _ in range(3):
        services.sign_up(user=UserFactory(), event_id=event.pk)
    browser = browser_for(brand_staff)
    page = browser.get("/admin/events/event/?status__exact=PUBLISHED&when=upcoming")
    html = page.content.decode()
    assert page.status_code == 200 and "欧尚Style 车主节" in html and "洗车保养课堂" not in html
    listed = page.context["cl"].result_list
    assert [(e.title, e.signup_total, e.confirmed_seats, e.waitlist_count) for e in listed] == [
        ("欧尚Style 车主节", 3, 2, 1)
    ]
    assert browser.get(f"/admin/events/event/{event.pk}/change/").status_code == 200
    assert event.check_in_code not in browser.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert browser.get("/admin/events/signup/?status__exact=WAITLISTED&event__origin__exact=HOST").status_code == 200
    with on_commit():
        admin_action(browser, "events", "event", "publish", [draft])
        admin_action(browser, "events", "event", "cancel", [event])
    assert Event.objects.get(pk=draft.pk).status == "PUBLISHED"
    assert Event.objects.get(pk=event.pk).status == "CANCELLED"
    assert set(Signup.objects.filter(event=event).values_list("status", flat=True)) == {"CANCELLED"}


def test_attendance_is_marked_through_the_services(db, brand_staff):
    event = make_event()
    signup = services.sign_up(user=UserFactory(), event_id=event.pk)
    move(event, starts_in=-timedelta(minutes=20))
    browser = browser_for(brand_staff)
    admin_action(browser, "events", "signup", "mark_attended", [signup])
    assert Signup.objects.get(pk=signup.pk).status == "ATTENDED"
    assert browser.get("/admin/events/signup/").status_code == 200
    assert browser.get("/admin/events/reminder/").status_code == 200
    outsider = browser_for(UserFactory())
    assert outsider.get("/admin/events/event/").status_code == 302  # to the login page
