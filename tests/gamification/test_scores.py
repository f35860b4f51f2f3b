"""Activity profiles and the segment matrix, campaigns to one cell (at most one a week per user),
leaderboards by points in a period, circle scores and ranking; nightly runs are idempotent."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from graphql_relay import to_global_id

from circles.models import Circle
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification
from gamification import scores, ties
from gamification.models import CampaignDelivery, Tie, UserActivityProfile
from tests.circles.factories import make_circle
from tests.factories import UserFactory
from tests.gamification.factories import grant_points, make_tie
from tests.helpers import data_of

CITY = "拉萨"
IDLE_DAYS = {"ACTIVE": 1, "DECLINING": 10, "LAPSED": 40, "DORMANT": 120}
ACTIONS = {"NOVICE": 2, "GROWING": 20, "MATURE": 70}

MATRIX = """
query($city: String) {
  segmentMatrix(city: $city) { total computedAt cells { maturity lifecycle users } }
}"""
SEGMENT_USERS = """
query($m: Maturity!, $l: Lifecycle!) {
  segmentUsers(maturity: $m, lifecycle: $l, first: 10) { edges { node { nickname activity { lifecycle maturity } } } }
}"""
CAMPAIGN = """
mutation($input: LaunchCampaignInput!) {
  launchCampaign(input: $input) { recipients skipped errors { field code message } }
}"""
ACTIVITY = "query($id: ID!) { user(id: $id) { activity { activityScore lifecycle maturity lastActiveAt } } }"
LEADERBOARD = """
query($scope: LeaderboardScope!, $period: LeaderboardPeriod, $circleId: ID, $city: String, $first: Int) {
  leaderboard(scope: $scope, period: $period, circleId: $circleId, city: $city, first: $first) {
    rank score user { nickname level badges { code } }
  }
}"""
RANKING = "query($city: String) { circleRanking(first: 10, city: $city) { rank score circle { name } user { id } } }"


def place(maturity: str, lifecycle: str, now):
    """A user of CITY in the given cell: joined 400 days ago, with ACTIONS[maturity] activities, the
    last IDLE_DAYS[lifecycle] days ago."""
    user = UserFactory(city=CITY, nickname=f"{maturity}-{lifecycle}")
    type(user).objects.filter(pk=user.pk).update(date_joined=now - timedelta(days=400))
    last = now - timedelta(days=IDLE_DAYS[lifecycle], hours=1)
    Activity.objects.bulk_create(
        [
            Activity(actor=user, verb=Verb.POST_CREATED, created_at=last - timedelta(days=i % 3), dispatched_at=now)
            for i in range(ACTIONS[maturity])
        ]
    )
    return user


@pytest.fixture
def grid(db):
    now = timezone.now()
    return {(m, lc): place(m, lc, now) for m in ACTIONS for lc in IDLE_DAYS}


def test_each_user_lands_in_their_cell_and_the_matrix_counts_all_twelve(grid, gql, brand_staff, user):
    now = timezone.now()
    scores.recompute_profiles(now)
    for (maturity, lifecycle), person in grid.items():
        profile = UserActivityProfile.objects.get(user=person)
        assert (profile.maturity, profile.lifecycle) == (maturity, lifecycle), person.nickname
        assert 0 <= profile.activity_score <= 100

    matrix = data_of(gql(MATRIX, {"city": CITY}, user=brand_staff), "segmentMatrix")
    assert len(matrix["cells"]) == 12 and matrix["total"] == 12 and matrix["computedAt"]
    assert all(cell["users"] == 1 for cell in matrix["cells"])
    everyone = data_of(gql(MATRIX, {}, user=brand_staff), "segmentMatrix")
    # every owner has a profile; brand staff have one too but are not owners: never in a cell
    assert everyone["total"] == UserActivityProfile.objects.count() - 1
    assert UserActivityProfile.objects.filter(user=brand_staff).exists()

    nobody = data_of(gql(MATRIX, {"city": "不存在的城市"}, user=brand_staff), "segmentMatrix")
    assert len(nobody["cells"]) == 12 and nobody["total"] == 0

    users = data_of(gql(SEGMENT_USERS, {"m": "MATURE", "l": "LAPSED"}, user=brand_staff), "segmentUsers")["edges"]
    assert [e["node"]["nickname"] for e in users] == ["MATURE-LAPSED"]
    assert users[0]["node"]["activity"] == {"lifecycle": "LAPSED", "maturity": "MATURE"}

    for query, variables in ((MATRIX, {}), (SEGMENT_USERS, {"m": "MATURE", "l": "LAPSED"})):
        assert gql(query, variables, user=user)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert gql(query, variables)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


CITY_CELL = """
query($m: Maturity!, $l: Lifecycle!, $city: String) {
  segmentUsers(maturity: $m, lifecycle: $l, city: $city, first: 10) { edges { node { nickname city } } }
}"""


def test_a_cell_drills_down_by_city_like_the_matrix(grid, gql, brand_staff):
    now = timezone.now()
    elsewhere = place("MATURE", "LAPSED", now)
    type(elsewhere).objects.filter(pk=elsewhere.pk).update(city="重庆", nickname="重庆的")
    scores.recompute_profiles(now)
    variables = {"m": "MATURE", "l": "LAPSED"}

    def cell(city):
        result = gql(CITY_CELL, {**variables, "city": city}, user=brand_staff)
        return [e["node"]["nickname"] for e in data_of(result, "segmentUsers")["edges"]]

    assert cell(CITY) == ["MATURE-LAPSED"]
    assert cell("重庆") == ["重庆的"]
    assert sorted(cell(None)) == sorted(["MATURE-LAPSED", "重庆的"])
    assert sorted(cell("  ")) == sorted(cell(None))  # a blank city is no filter, as for the matrix
    for city in (CITY, "重庆"):
        matrix = data_of(gql(MATRIX, {"city": city}, user=brand_staff), "segmentMatrix")
        count = next(c["users"] for c in matrix["cells"] if (c["maturity"], c["lifecycle"]) == ("MATURE", "LAPSED"))
        assert count == len(cell(city))


def test_activity_profile_is_private_and_scores_recent_contributors_higher(grid, gql, brand_staff, user):
    scores.recompute_profiles()
    active, dormant = grid[("MATURE", "ACTIVE")], grid[("MATURE", "DORMANT")]
    mine = data_of(gql(ACTIVITY, {"id": to_global_id("User", active.pk)}, user=active), "user")["activity"]
    assert mine["lifecycle"] == "ACTIVE" and mine["maturity"] == "MATURE" and mine["lastActiveAt"]
    theirs = data_of(gql(ACTIVITY, {"id": to_global_id("User", dormant.pk)}, user=brand_staff), "user")["activity"]
    assert theirs["activityScore"] < mine["activityScore"]
    assert data_of(gql(ACTIVITY, {"id": to_global_id("User", active.pk)}, user=user), "user")["activity"] is None
    # Someone who joined after the nightly run: a provisional profile, ACTIVE from the join date.
    newcomer = UserFactory()
    fresh = data_of(gql(ACTIVITY, {"id": to_global_id("User", newcomer.pk)}, user=newcomer), "user")["activity"]
    assert fresh == {"activityScore": 0.0, "lifecycle": "ACTIVE", "maturity": "NOVICE", "lastActiveAt": None}


def test_recomputing_twice_gives_the_same_rows(grid, on_commit):
    now = timezone.now()
    a, b = grid[("MATURE", "ACTIVE")], grid[("GROWING", "ACTIVE")]
    make_tie(a, b, 20, acted=True, updated_at=now - timedelta(days=3))
    circle = make_circle(members=[a, b])
    Activity.objects.filter(actor=a).update(circle_id=circle.pk)

    def snapshot():
        return (
            sorted(
                UserActivityProfile.objects.values_list(
                    "user_id",
                    "activity_score",
                    "lifecycle",
                    "maturity",
                    "last_active_at",
                    "active_days_30",
                    "lifetime_actions",
                    "computed_at",
                )
            ),
            sorted(Circle.objects.values_list("pk", "activity_score")),
            sorted(Tie.objects.values_list("pk", "strength", "raw_strength", "updated_at")),
        )

    def nightly():
        ties.decay_ties(now)
        scores.recompute_profiles(now)
        scores.recompute_circle_scores(now)

    nightly()
    first = snapshot()
    nightly()
    assert snapshot() == first
    assert Circle.objects.get(pk=circle.pk).activity_score > 0


@pytest.mark.django_db
def test_a_campaign_reaches_one_cell_once_a_week(grid, gql, brand_staff, user):
    scores.recompute_profiles()
    target = grid[("NOVICE", "LAPSED")]
    variables = {
        "input": {
            "maturity": "NOVICE",
            "lifecycle": "LAPSED",
            "message": "回来看看：本周末南山夜游报名开启！",
            "city": CITY,
        }
    }
    sent = data_of(gql(CAMPAIGN, variables, user=brand_staff), "launchCampaign")
    assert sent == {"recipients": 1, "skipped": 0, "errors": []}
    notification = Notification.objects.get(recipient=target, verb=NotificationVerb.CAMPAIGN)
    inbox = gql("{ notifications(first: 5) { edges { node { verb text } } } }", user=target)
    assert data_of(inbox, "notifications")["edges"][0]["node"] == {
        "verb": NotificationVerb.CAMPAIGN,
        "text": "回来看看：本周末南山夜游报名开启！",
    }

    again = data_of(gql(CAMPAIGN, variables, user=brand_staff), "launchCampaign")
    assert again == {"recipients": 0, "skipped": 1, "errors": []}
    assert Notification.objects.filter(recipient=target, verb=NotificationVerb.CAMPAIGN).count() == 1

    # A week later they can be reached again.
    CampaignDelivery.objects.filter(user=target).update(delivered_at=notification.created_at - timedelta(days=8))
    assert data_of(gql(CAMPAIGN, variables, user=brand_staff), "launchCampaign")["recipients"] == 1

    refused = data_of(gql(CAMPAIGN, variables, user=user), "launchCampaign")
    assert refused["errors"][0]["code"] == "FORBIDDEN" and refused["recipients"] == 0
    empty = {"input": {**variables["input"], "message": "  "}}
    error = data_of(gql(CAMPAIGN, empty, user=brand_staff), "launchCampaign")["errors"][0]
    assert error["code"] == "INVALID" and error["field"] == "message" and error["message"] == "请填写推送内容。"


def test_leaderboard_ranks_points_earned_in_the_period_in_constant_queries(gql, user):
    people = UserFactory.create_batch(8, city="成都")
    for i, person in enumerate(people):
        grant_points(person, 10 * (i + 1))
    grant_points(user, 500)
    from gamification.models import PointsTransaction

    PointsTransaction.objects.filter(account__user=user).update(created_at=timezone.now() - timedelta(days=40))

    week = data_of(gql(LEADERBOARD, {"scope": "GLOBAL", "period": "WEEK", "first": 3}), "leaderboard")
    assert [(e["rank"], e["score"], e["user"]["nickname"]) for e in week] == [
        (1, 80.0, people[7].nickname),
        (2, 70.0, people[6].nickname),
        (3, 60.0, people[5].nickname),
    ]
    all_time = data_of(gql(LEADERBOARD, {"scope": "GLOBAL", "period": "ALL_TIME", "first": 1}), "leaderboard")
    assert all_time[0]["user"]["nickname"] == user.nickname
    city = data_of(gql(LEADERBOARD, {"scope": "CITY", "city": user.city}), "leaderboard")
    assert [e["user"]["nickname"] for e in city] == [user.nickname]

    circle = make_circle(members=people[:2])
    members = data_of(
        gql(LEADERBOARD, {"scope": "CIRCLE", "circleId": to_global_id("Circle", circle.pk)}), "leaderboard"
    )
    assert [e["user"]["nickname"] for e in members] == [people[1].nickname, people[0].nickname]
    missing = gql(LEADERBOARD, {"scope": "CIRCLE"})
    assert missing["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    garbage = gql(LEADERBOARD, {"scope": "CIRCLE", "circleId": "nope"})
    assert garbage["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

    counts = []
    for first in (2, 50):
        with CaptureQueriesContext(connection) as queries:
            data_of(gql(LEADERBOARD, {"scope": "GLOBAL", "first": first}), "leaderboard")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_circles_are_ranked_by_activity_score(gql):
    quiet, busy = make_circle(name="安静圈"), make_circle(name="热闹圈")
    members = UserFactory.create_batch(3)
    for person in members:
        from tests.circles.factories import add_member

        add_member(busy, person)
    post_type = ContentType.objects.get_for_model(Circle)
    Activity.objects.bulk_create(
        [
            Activity(actor=m, verb=Verb.POST_CREATED, circle_id=busy.pk, target_type=post_type, target_id=busy.pk)
            for m in members
            for _ in range(4)
        ]
    )
    assert scores.recompute_circle_scores() >= 2
    busy.refresh_from_db()
    # Every member active this week (the host founded it) and 12 posts (full marks at 10): 40 + 20.
    assert busy.activity_score == pytest.approx(60)
    # The quiet circle's only member is its host, active founding it: 40 × 1.
    quiet.refresh_from_db()
    assert quiet.activity_score == pytest.approx(40)
    ranking = data_of(gql(RANKING, {}), "circleRanking")
    assert [(e["rank"], e["circle"]["name"], e["user"]) for e in ranking[:2]] == [
        (1, "热闹圈", None),
        (2, "安静圈", None),
    ]
    assert ranking[0]["score"] == 60
    assert data_of(gql(RANKING, {"city": "不存在的城市"}), "circleRanking") == []


def test_brand_staff_read_ties_profiles_and_campaigns_in_the_back_office(grid, gql, brand_staff):
    from django.test import Client

    scores.recompute_profiles()
    a, b = grid[("MATURE", "ACTIVE")], grid[("NOVICE", "ACTIVE")]
    tie = make_tie(a, b, 20)
    variables = {"input": {"maturity": "MATURE", "lifecycle": "ACTIVE", "message": "新车主专享保养券", "city": CITY}}
    data_of(gql(CAMPAIGN, variables, user=brand_staff), "launchCampaign")
    browser = Client()
    browser.force_login(brand_staff)
    from gamification.models import Campaign

    for model, obj in (("tie", tie), ("useractivityprofile", a.activity_profile), ("campaign", Campaign.objects.get())):
        assert browser.get(f"/admin/gamification/{model}/").status_code == 200
        assert browser.get(f"/admin/gamification/{model}/{obj.pk}/change/").status_code == 200
        assert browser.get(f"/admin/gamification/{model}/add/").status_code == 403


def test_the_nightly_beat_entries_name_tasks_that_run(grid, settings):
    from community.celery import app
    from gamification import tasks

    app.loader.import_default_modules()
    nightly = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if "gamification" in entry["task"]}
    assert nightly == {
        "gamification.tasks.decay_ties",
        "gamification.tasks.recompute_activity_profiles",
        "gamification.tasks.recompute_circle_scores",
    }
    assert nightly <= set(app.tasks)
    result = tasks.nightly.delay().get()
    assert result["profiles"] == UserActivityProfile.objects.count() >= 12
    assert tasks.recompute_activity_profiles.delay().get() == result["profiles"]


def test_a_private_circles_leaderboard_is_for_its_members(gql):
    from tests.content.helpers import make_circle, veteran
    from tests.helpers import gid

    host, member, outsider = veteran(), veteran(), veteran()
    circle = make_circle(host, members=[member], visibility="PRIVATE")
    query = "query($id: ID) { leaderboard(scope: CIRCLE, circleId: $id, first: 10) { rank user { nickname } } }"
    assert isinstance(data_of(gql(query, {"id": gid(circle)}, user=member), "leaderboard"), list)
    refused = gql(query, {"id": gid(circle)}, user=outsider)
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert gql(query, {"id": gid(circle)})["errors"][0]["extensions"]["code"] == "NOT_FOUND"
