"""The figures hosts and the brand steer by, against fixtures computed by hand: a circle's ties by month,
its members with a strong tie and the events that formed the most ties; the brand's cohort curve (by
month, city and circle). Brand staff are never in a cohort; permissions hold."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from graphql_relay import to_global_id

from circles.models import Membership
from community.models import BRAND_GROUP, User
from events.models import Event, Signup
from gamification.tie_figures import circle_tie_figures, tie_cohorts
from tests.circles.factories import make_circle
from tests.factories import UserFactory
from tests.gamification.factories import make_tie
from tests.helpers import data_of

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 7, 15, 12, tzinfo=ZONE)


def at(month, day):
    return datetime(2026, month, day, 12, tzinfo=ZONE)


def tie(a, b, *, created, strength=20.0, milestones=()):
    return make_tie(a, b, strength, acted=True, created_at=created, milestones=[("ACQUAINTANCE", created), *milestones])


def joined(user, when):
    User.objects.filter(pk=user.pk).update(date_joined=when)


def test_a_circles_ties_by_month_strong_share_and_best_events():
    m1, m2, m3, m4, outsider = (UserFactory() for _ in range(5))
    circle = make_circle(members=[m1, m2, m3, m4])  # and its host: 5 members
    tie(m1, m2, created=at(7, 2))
    tie(m1, m3, created=at(6, 10), milestones=[("FRIEND", at(6, 12))])
    tie(m2, m3, created=at(6, 20))
    tie(m1, outsider, created=at(7, 3))  # not between members
    tie(m3, m4, created=at(4, 5), strength=45)
    tie(m2, outsider, created=at(1, 5), strength=41)  # before the window, but m2 has a strong tie now

    def event(title, day):
        return Event.objects.create(
            title=title,
            description="…",
            kind="DRIVE",
            origin="HOST",
            status="FINISHED",
            circle=circle,
            organizer=circle.created_by,
            starts_at=at(6, day),
            ends_at=at(6, day) + timedelta(hours=3),
            capacity=20,
        )

    e1, e2 = event("南山夜游", 9), event("洗车课堂", 25)
    for user in (m1, m2, m3):
        Signup.objects.create(event=e1, user=user, status="ATTENDED")
    for user in (m3, m4):
        Signup.objects.create(event=e2, user=user, status="ATTENDED")
    # around e1 (June 9 to July 12): m1~m3 raised to FRIEND (June 12), m2~m3 formed (June 20); m1~m2 formed
    # July 2; around e2: m3~m4 nothing new
    figures = circle_tie_figures(circle.pk, months=6, now=NOW)
    assert [(m.month.isoformat(), m.ties_formed) for m in figures.months] == [
        ("2026-02-01", 0),
        ("2026-03-01", 0),
        ("2026-04-01", 1),
        ("2026-05-01", 0),
        ("2026-06-01", 2),
        ("2026-07-01", 1),
    ]
    assert (figures.members, figures.members_with_strong_tie, figures.strong_tie_share) == (5, 3, 0.6)
    assert [(e.event_id, e.attendees, e.new_ties) for e in figures.top_events] == [(e1.pk, 3, 3), (e2.pk, 2, 0)]


def test_the_cohort_curve_by_month_city_and_circle():
    old = UserFactory()
    joined(old, at(1, 1).replace(year=2025))
    u1, u2, u3 = UserFactory(city="成都"), UserFactory(), UserFactory()
    u4, u5 = UserFactory(), UserFactory()
    staff = UserFactory()
    staff.groups.add(Group.objects.get_or_create(name=BRAND_GROUP)[0])
    for user, when in (
        (u1, at(3, 10)),
        (u2, at(3, 20)),
        (u3, at(3, 5)),
        (u4, at(6, 20)),
        (u5, at(5, 1)),
        (staff, at(3, 2)),
    ):
        joined(user, when)
    partners = [UserFactory() for _ in range(5)]
    for partner in partners:
        joined(partner, at(1, 1).replace(year=2025))
    tie(u1, partners[0], created=at(3, 12), milestones=[("FRIEND", at(3, 30)), ("STRONG", at(5, 19))])
    tie(u2, partners[1], created=at(4, 1), milestones=[("FRIEND", at(5, 4))])
    tie(u4, partners[2], created=at(6, 21), milestones=[("FRIEND", at(6, 25))])
    tie(u5, partners[3], created=at(5, 2), milestones=[("FRIEND", at(5, 9)), ("STRONG", at(5, 11))])
    tie(staff, partners[4], created=at(3, 3), milestones=[("FRIEND", at(3, 4))])  # brand staff: not an owner

    def table(cohorts):
        return {
            c.month.strftime("%Y-%m"): (
                c.joined,
                [(p.days, p.measured, p.with_friend, p.with_strong_tie) for p in c.points],
            )
            for c in cohorts
        }

    assert table(tie_cohorts(months=5, now=NOW)) == {
        "2026-03": (3, [(30, 3, 1, 0), (60, 3, 2, 0), (90, 3, 2, 1)]),  # u1 friend day 20, strong 70; u2 friend 45
        "2026-04": (0, [(30, 0, 0, 0), (60, 0, 0, 0), (90, 0, 0, 0)]),
        "2026-05": (1, [(30, 1, 1, 1), (60, 1, 1, 1), (90, 0, 0, 0)]),  # u5; 90 days not yet passed
        "2026-06": (1, [(30, 0, 0, 0), (60, 0, 0, 0), (90, 0, 0, 0)]),  # u4 joined June 20: 30 days not passed
        "2026-07": (0, [(30, 0, 0, 0), (60, 0, 0, 0), (90, 0, 0, 0)]),
    }
    shares = tie_cohorts(months=5, now=NOW)[0].points
    assert [(p.friend_share, p.strong_share) for p in shares] == [(0.3333, 0.0), (0.6667, 0.0), (0.6667, 0.3333)]
    assert table(tie_cohorts(months=5, city="成都", now=NOW))["2026-03"] == (
        1,
        [(30, 1, 1, 0), (60, 1, 1, 0), (90, 1, 1, 1)],
    )
    circle = make_circle(members=[u1, u3])
    Membership.objects.filter(circle=circle, user__in=[u1, u3]).update(joined_at=at(4, 1))
    by_circle = table(tie_cohorts(months=5, circle_id=circle.pk, now=NOW))
    # counted from joining the circle on April 1: u1 had a FRIEND tie by day 30, a STRONG one by day 60
    assert by_circle["2026-04"] == (2, [(30, 2, 1, 0), (60, 2, 1, 1), (90, 2, 1, 1)])
    assert by_circle["2026-03"][0] == 0


COHORTS = """query($circleId: ID) { tieCohorts(months: 3, circleId: $circleId) {
  month joined points { days measured withFriend withStrongTie friendShare strongShare } } }"""
CIRCLE_FIGURES = """query($id: ID!) { circleTieFigures(circleId: $id, months: 3) {
  members membersWithStrongTie strongTieShare months { month tiesFormed }
  topEvents { attendees newTies event { title } } } }"""


def test_who_may_read_the_figures(gql, brand_staff):
    member, outsider = UserFactory(), UserFactory()
    circle = make_circle(members=[member])
    host = circle.created_by
    variables = {"id": to_global_id("Circle", circle.pk)}
    for viewer in (host, brand_staff):
        figures = data_of(gql(CIRCLE_FIGURES, variables, user=viewer), "circleTieFigures")
        assert figures["members"] == 2 and len(figures["months"]) == 3
    for viewer, code in ((member, "FORBIDDEN"), (outsider, "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        assert gql(CIRCLE_FIGURES, variables, user=viewer)["errors"][0]["extensions"]["code"] == code
    cohorts = data_of(gql(COHORTS, {}, user=brand_staff), "tieCohorts")
    assert len(cohorts) == 3 and [p["days"] for p in cohorts[-1]["points"]] == [30, 60, 90]
    assert gql(COHORTS, {}, user=host)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
