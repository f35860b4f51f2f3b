"""The host dashboard: joins and departures per week, active members, messages and events this month."""

from datetime import timedelta

from django.utils import timezone

from circles import selectors, services
from circles.models import ChatMessage
from community.kernel.activity import record_activity
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from tests.circles.factories import make_circle, membership
from tests.factories import UserFactory
from tests.helpers import data_of, gid

DASHBOARD = """
query($id: ID!, $weeks: Int) {
  circle(id: $id) {
    dashboard(weeks: $weeks) {
      weeks { weekStart joined left }
      activeMembersThisWeek messagesThisMonth eventsThisMonth pendingRequests
    }
  }
}"""


def test_the_figures_a_host_sees(gql, user):
    quiet, chatty, leaver, co_host = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    circle = make_circle(join_policy="APPROVAL", co_hosts=[co_host])
    host = circle.created_by
    this_week = selectors.week_start(timezone.now())
    last_week = this_week - timedelta(days=7)
    # two joined last week (one of whom left this week), one joins this week; one asks and waits
    for newcomer in (quiet, leaver):
        services.join_circle(user=newcomer, circle_id=circle.pk)
        services.review_join_request(user=host, membership_id=membership(circle, newcomer).pk, approve=True)
    # the co-host joined with the circle, before the weeks shown
    Activity.objects.filter(verb=Verb.CIRCLE_JOINED, actor=co_host).update(created_at=last_week - timedelta(days=60))
    Activity.objects.filter(verb=Verb.CIRCLE_JOINED, circle_id=circle.pk).exclude(actor=co_host).update(
        created_at=last_week + timedelta(hours=1)
    )
    Activity.objects.exclude(verb=Verb.CIRCLE_JOINED).update(created_at=last_week + timedelta(hours=1))
    services.join_circle(user=chatty, circle_id=circle.pk)
    services.review_join_request(user=co_host, membership_id=membership(circle, chatty).pk, approve=True)
    services.leave_circle(user=leaver, circle_id=circle.pk)
    services.join_circle(user=user, circle_id=circle.pk)  # pending
    services.send_chat_message(user=chatty, circle_id=circle.pk, body="大家好")
    services.send_chat_message(user=chatty, circle_id=circle.pk, body="第一次参加活动")
    old = ChatMessage.objects.create(circle=circle, author=chatty, body="上个月的")
    ChatMessage.objects.filter(pk=old.pk).update(created_at=selectors.month_start(timezone.now()) - timedelta(days=1))
    # the events app records `event.published` with the circle: counted through the stream
    record_activity(actor=host, verb=Verb.EVENT_PUBLISHED, circle_id=circle.pk)

    figures = data_of(gql(DASHBOARD, {"id": gid(circle), "weeks": 3}, user=co_host), "circle")["dashboard"]
    weeks = figures["weeks"]
    assert [w["weekStart"] for w in weeks] == [
        str((this_week - timedelta(days=14)).date()),
        str(last_week.date()),
        str(this_week.date()),
    ]
    # last week: the founder's own join (moved there with everything else) and the two approvals
    assert weeks[0] == {"weekStart": weeks[0]["weekStart"], "joined": 0, "left": 0}
    assert weeks[1]["joined"] == 3 and weeks[1]["left"] == 0
    assert weeks[2]["joined"] == 1 and weeks[2]["left"] == 1
    # active since Monday: chatty (joined, chatted) and the host (published); not the leaver, not the one waiting
    assert figures["activeMembersThisWeek"] == 2
    assert figures["messagesThisMonth"] == 2
    assert figures["eventsThisMonth"] == 1
    assert figures["pendingRequests"] == 1


def test_weeks_are_bounded(gql):
    circle = make_circle()
    figures = data_of(gql(DASHBOARD, {"id": gid(circle), "weeks": 500}, user=circle.created_by), "circle")
    assert len(figures["dashboard"]["weeks"]) == selectors.MAX_DASHBOARD_WEEKS
    default = data_of(gql(DASHBOARD, {"id": gid(circle)}, user=circle.created_by), "circle")["dashboard"]
    assert len(default["weeks"]) == 8 and default["eventsThisMonth"] == 0


WEEKLY = """
query($id: ID!) { circle(id: $id) { dashboard(weeks: 2) { weeks { weekStart activeMembers events messages } } } }"""


def test_active_members_events_and_messages_per_week(gql):
    chatty, quiet, gone = UserFactory(), UserFactory(), UserFactory()
    circle = make_circle(members=[chatty, quiet, gone])
    host = circle.created_by
    last_week = selectors.week_start(timezone.now()) - timedelta(days=7)
    Activity.objects.filter(circle_id=circle.pk).delete()
    for actor in (chatty, quiet, gone):  # all three acted last week; `gone` has left since
        record_activity(actor=actor, verb=Verb.POST_CREATED, circle_id=circle.pk)
    record_activity(actor=host, verb=Verb.EVENT_PUBLISHED, circle_id=circle.pk)
    Activity.objects.filter(circle_id=circle.pk).update(created_at=last_week + timedelta(hours=2))
    old = ChatMessage.objects.create(circle=circle, author=chatty, body="上周的")
    ChatMessage.objects.filter(pk=old.pk).update(created_at=last_week + timedelta(days=1))
    hidden = ChatMessage.objects.create(circle=circle, author=chatty, body="被隐藏", status=ChatMessage.Status.HIDDEN)
    ChatMessage.objects.filter(pk=hidden.pk).update(created_at=last_week + timedelta(days=1))
    services.leave_circle(user=gone, circle_id=circle.pk)
    services.send_chat_message(user=chatty, circle_id=circle.pk, body="这周的")
    services.send_chat_message(user=chatty, circle_id=circle.pk, body="再来一条")
    record_activity(actor=host, verb=Verb.EVENT_PUBLISHED, circle_id=circle.pk)
    record_activity(actor=host, verb=Verb.EVENT_PUBLISHED, circle_id=circle.pk)

    weeks = data_of(gql(WEEKLY, {"id": gid(circle)}, user=host), "circle")["dashboard"]["weeks"]
    assert [w["weekStart"] for w in weeks] == [str(last_week.date()), str((last_week + timedelta(days=7)).date())]
    assert {k: weeks[0][k] for k in ("activeMembers", "events", "messages")} == {
        "activeMembers": 3,  # chatty, quiet, the host; not the one who left
        "events": 1,
        "messages": 1,
    }
    assert {k: weeks[1][k] for k in ("activeMembers", "events", "messages")} == {
        "activeMembers": 2,  # chatty (chatting), the host (publishing)
        "events": 2,
        "messages": 2,
    }
