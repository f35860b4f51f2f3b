"""User.level, User.badges and User.points: who sees what, newest first, and flat query counts."""

from gamification import services
from gamification.codes import BadgeCode
from gamification.levels import LEVEL_THRESHOLDS
from tests.factories import NotificationFactory, UserFactory
from tests.gamification.factories import grant_points
from tests.helpers import data_of, gid

USER = """
query($id: ID!) {
  user(id: $id) {
    level
    badges { code }
    points { balance lifetimeEarned level nextLevelAt checkInStreak transactions(first: 5) { edges { node { id } } } }
  }
}"""
TRANSACTIONS = """
query($first: Int, $after: String) {
  me {
    points {
      transactions(first: $first, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id amount reason createdAt } }
      }
    }
  }
}"""
ACTORS = """
{
  notifications(first: 50) {
    edges { node { actor { nickname level badges { code name description awardedAt } points { balance level } } } }
  }
}"""


def test_points_are_visible_to_the_user_and_brand_staff_only(gql, user, other_user, brand_staff):
    grant_points(user, 120)
    services.award_badge(user_id=user.pk, code=BadgeCode.VERIFIED_OWNER)
    own = data_of(gql(USER, {"id": gid(user)}, user=user), "user")
    assert own["level"] == 2 and own["badges"] == [{"code": "verified_owner"}]
    assert own["points"]["balance"] == 120 and own["points"]["nextLevelAt"] == LEVEL_THRESHOLDS[2]
    assert len(own["points"]["transactions"]["edges"]) == 1
    staff = data_of(gql(USER, {"id": gid(user)}, user=brand_staff), "user")
    assert staff["points"] == own["points"]
    for viewer in (other_user, None):
        seen = data_of(gql(USER, {"id": gid(user)}, user=viewer), "user")
        assert seen["points"] is None  # no error either: the field is simply private
        assert seen["level"] == 2 and seen["badges"] == [{"code": "verified_owner"}]  # public


def test_a_user_who_never_earned_has_an_empty_account(gql, user):
    fresh = data_of(gql(USER, {"id": gid(user)}, user=user), "user")
    assert fresh == {
        "level": 1,
        "badges": [],
        "points": {
            "balance": 0,
            "lifetimeEarned": 0,
            "level": 1,
            "nextLevelAt": LEVEL_THRESHOLDS[1],
            "checkInStreak": 0,
            "transactions": {"edges": []},
        },
    }


def test_transactions_come_newest_first_by_cursor(gql, user):
    entries = [grant_points(user, 10 + i) for i in range(5)]
    page = data_of(gql(TRANSACTIONS, {"first": 2}, user=user), "me")["points"]["transactions"]
    seen = [edge["node"]["amount"] for edge in page["edges"]]
    grant_points(user, 99)  # arrives between pages: the next page does not shift
    while page["pageInfo"]["hasNextPage"]:
        after = page["pageInfo"]["endCursor"]
        page = data_of(gql(TRANSACTIONS, {"first": 2, "after": after}, user=user), "me")["points"]["transactions"]
        seen += [edge["node"]["amount"] for edge in page["edges"]]
    assert seen == [entry.amount for entry in reversed(entries)]
    first = data_of(gql(TRANSACTIONS, {"first": 1}, user=user), "me")["points"]["transactions"]["edges"][0]["node"]
    assert first["amount"] == 99 and first["reason"] == "测试奖励99"


def test_transactions_cost_the_same_queries_for_any_page_size(gql, user, django_assert_max_num_queries):
    for _ in range(3):
        grant_points(user, 5)
    gql.token_for(user)
    with django_assert_max_num_queries(10) as few:
        data_of(gql(TRANSACTIONS, {"first": 50}, user=user), "me")
    for _ in range(60):
        grant_points(user, 5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = data_of(gql(TRANSACTIONS, {"first": 50}, user=user), "me")
    assert len(result["points"]["transactions"]["edges"]) == 50


def test_levels_badges_and_points_of_a_list_of_users_are_batched(gql, brand_staff, django_assert_max_num_queries):
    def actors(n):
        for i in range(n):
            actor = UserFactory()
            grant_points(actor, 50 * (i + 1))
            services.award_badge(user_id=actor.pk, code=BadgeCode.VERIFIED_OWNER)
            NotificationFactory(recipient=brand_staff, actor=actor)

    actors(2)
    gql.token_for(brand_staff)
    with django_assert_max_num_queries(20) as few:
        data_of(gql(ACTORS, user=brand_staff), "notifications")
    actors(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        edges = data_of(gql(ACTORS, user=brand_staff), "notifications")["edges"]
    assert len(edges) == 22
    assert all(edge["node"]["actor"]["badges"][0]["code"] == "verified_owner" for edge in edges)
    assert {edge["node"]["actor"]["level"] for edge in edges} >= {1, 2, 3}
    assert all(edge["node"]["actor"]["points"]["level"] == edge["node"]["actor"]["level"] for edge in edges)
