"""Ties owners feel: both owners are told when their tie first reaches FRIEND and STRONG, once per pair
and level (a decay and a regrowth tell nobody again); milestones are kept; revoking an attendance or
cancelling a sign-up takes its weight back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from circles import services as circle_services
from community.models import Notification
from events import services as event_services
from events.models import Signup
from gamification import ties
from gamification.models import Tie, TieEvent, TieMilestone
from tests.circles.factories import make_circle
from tests.events.factories import make_event, move
from tests.factories import UserFactory
from tests.helpers import data_of

NOTIFICATIONS = "{ notifications(first: 10) { edges { node { verb text actor { nickname } } } } }"


def attend(on_commit, event, *users):
    """Sign up while the event is ahead, then check in once it has started, through the services."""
    for user in users:
        with on_commit():
            event_services.sign_up(user=user, event_id=event.pk)
    event = move(event, starts_in=-timedelta(minutes=30))
    for user in users:
        with on_commit():
            event_services.check_in(user=user, event_id=event.pk, code=event.check_in_code)
    return event


def milestones(a, b):
    low, high = sorted((a.pk, b.pk))
    return set(TieMilestone.objects.filter(user_low_id=low, user_high_id=high).values_list("level", flat=True))


def tie_notifications(user):
    return list(Notification.objects.filter(recipient=user, verb="TIE_MILESTONE").values_list("data__level", flat=True))


@pytest.mark.django_db
def test_two_events_and_a_chat_make_friends_and_both_are_told_in_their_language(on_commit, gql):
    a, b = UserFactory(nickname="阿杰"), UserFactory(nickname="小北")
    circle = make_circle()
    for user in (a, b):
        with on_commit():
            circle_services.join_circle(user=user, circle_id=circle.pk)
    attend(on_commit, make_event(circle=circle, title="南山夜游"), a, b)
    assert ties.level_of(ties.tie_between(a.pk, b.pk).strength) == "ACQUAINTANCE"
    assert milestones(a, b) == {"ACQUAINTANCE"} and tie_notifications(a) == []

    attend(on_commit, make_event(circle=circle, title="洗车课堂"), a, b)
    with on_commit():
        first = circle_services.send_chat_message(user=a, circle_id=circle.pk, body="下次一起去露营？")
        circle_services.send_chat_message(user=b, circle_id=circle.pk, body="好啊！", reply_to_id=first.pk)
    tie = ties.tie_between(a.pk, b.pk)
    assert ties.level_of(tie.strength) == "FRIEND" and tie.shared_events == 2
    assert milestones(a, b) == {"ACQUAINTANCE", "FRIEND"}
    assert tie_notifications(a) == ["FRIEND"] and tie_notifications(b) == ["FRIEND"]

    zh = data_of(gql(NOTIFICATIONS, user=a), "notifications")["edges"]
    milestone = next(e["node"] for e in zh if e["node"]["verb"] == "TIE_MILESTONE")
    assert milestone["text"] == "你和小北成了车友好友" and milestone["actor"]["nickname"] == "小北"
    en = data_of(gql(NOTIFICATIONS, user=b, language="en"), "notifications")["edges"]
    assert any(e["node"]["text"] == "You and 阿杰 are now friends" for e in en)


@pytest.mark.django_db
def test_a_decayed_and_regrown_tie_tells_nobody_again_and_strong_is_told_once(on_commit):
    a, b = UserFactory(), UserFactory()
    for title in ("一", "二"):
        attend(on_commit, make_event(brand=True, title=f"车主节{title}"), a, b)
    assert tie_notifications(a) == ["FRIEND"] and tie_notifications(b) == ["FRIEND"]

    ties.decay_ties(now=timezone.now() + timedelta(days=300))  # far below FRIEND now
    Tie.objects.update(updated_at=timezone.now())  # as if the decay had happened by now
    assert ties.level_of(ties.tie_between(a.pk, b.pk).strength) == "STRANGER"
    attend(on_commit, make_event(brand=True, title="车主节三"), a, b)
    attend(on_commit, make_event(brand=True, title="车主节四"), a, b)
    assert ties.tie_between(a.pk, b.pk).strength >= ties.FRIEND_AT
    assert tie_notifications(a) == ["FRIEND"]  # regrown to FRIEND: not told again

    for title in ("五", "六"):
        attend(on_commit, make_event(brand=True, title=f"车主节{title}"), a, b)
    assert ties.tie_between(a.pk, b.pk).strength >= ties.STRONG_AT
    assert sorted(tie_notifications(a)) == ["FRIEND", "STRONG"] and sorted(tie_notifications(b)) == ["FRIEND", "STRONG"]
    assert milestones(a, b) == {"ACQUAINTANCE", "FRIEND", "STRONG"}


@pytest.mark.django_db
def test_brand_staff_are_not_told_about_ties(on_commit, brand_staff):
    owner = UserFactory()
    for title in ("一", "二"):
        attend(on_commit, make_event(brand=True, title=f"品鉴会{title}"), owner, brand_staff)
    assert tie_notifications(owner) == ["FRIEND"]
    assert tie_notifications(brand_staff) == []


@pytest.mark.django_db
def test_a_revoked_attendance_takes_back_its_co_attendance_weight(on_commit):
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    event = make_event(brand=True)
    host = event.organizer
    event = attend(on_commit, event, a, b, c)
    before = ties.tie_between(a.pk, b.pk)
    assert round(before.strength, 2) == 12.0 and before.shared_events == 1  # signed up 2 + attended 10

    signup = Signup.objects.get(event=event, user=b)
    with on_commit():
        event_services.mark_attendance(user=host, signup_id=signup.pk, attended=False)
    after = ties.tie_between(a.pk, b.pk)
    assert round(after.strength, 2) == 2.0 and after.shared_events == 0  # only signing up together is left
    assert round(ties.tie_between(a.pk, c.pk).strength, 2) == 12.0  # untouched
    assert not TieEvent.objects.filter(
        key__startswith="attended:", user_low_id__in=[a.pk, b.pk], user_high_id__in=[a.pk, b.pk]
    ).exists()

    with on_commit():  # marked again: counted again, once
        event_services.mark_attendance(user=host, signup_id=signup.pk, attended=True)
    assert round(ties.tie_between(a.pk, b.pk).strength, 2) == 12.0


@pytest.mark.django_db
def test_a_cancelled_signup_takes_back_signing_up_together_and_later_signups_skip_it(on_commit):
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    event = make_event(brand=True)
    for user in (a, b):
        with on_commit():
            event_services.sign_up(user=user, event_id=event.pk)
    assert round(ties.tie_between(a.pk, b.pk).strength, 2) == 2.0
    with on_commit():
        event_services.cancel_signup(user=b, event_id=event.pk)
    assert ties.tie_between(a.pk, b.pk) is None  # nothing else tied them: the tie is gone
    with on_commit():
        event_services.sign_up(user=c, event_id=event.pk)
    assert ties.tie_between(b.pk, c.pk) is None  # b had withdrawn before c came
    assert round(ties.tie_between(a.pk, c.pk).strength, 2) == 2.0
