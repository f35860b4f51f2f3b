"""SQL kept per shape and bound per call: every viewer still gets exactly their own rows."""

import logging

from community.kernel.compiled import CompiledQuery, StandIns
from community.models import Follow, User
from tests.content.helpers import make_circle, make_post, veteran
from tests.content.test_feed import FEED, at, ids_of
from tests.factories import UserFactory
from tests.helpers import data_of, gid


def test_viewers_who_share_a_shape_get_their_own_feeds_and_pages(gql):
    first, second, author_a, author_b = veteran(), veteran(), veteran(), veteran()
    Follow.objects.create(follower=first, followee=author_a)
    Follow.objects.create(follower=second, followee=author_b)
    posts_a = [make_post(author_a, created_at=at(10 + n)) for n in range(3)]
    posts_b = [make_post(author_b, created_at=at(20 + n)) for n in range(2)]
    assert ids_of(data_of(gql(FEED, {"first": 2}, user=first), "feed")) == [gid(p) for p in posts_a[:2]]
    second_feed = data_of(gql(FEED, {"first": 2}, user=second), "feed")
    assert ids_of(second_feed) == [gid(p) for p in posts_b]
    assert second_feed["pageInfo"]["hasNextPage"] is False
    page = data_of(gql(FEED, {"first": 2}, user=first), "feed")
    after = data_of(gql(FEED, {"first": 2, "after": page["pageInfo"]["endCursor"]}, user=first), "feed")
    assert ids_of(after) == [gid(posts_a[2])]


def test_brand_staff_and_owners_do_not_share_a_shape(gql, brand_staff):
    owner, host = veteran(), veteran()
    private = make_circle(host, visibility="PRIVATE")
    Follow.objects.create(follower=brand_staff, followee=host)
    Follow.objects.create(follower=owner, followee=host)
    hidden_from_owner = make_post(host, circle=private, created_at=at(2))
    public = make_post(host, created_at=at(3))
    assert ids_of(data_of(gql(FEED, user=brand_staff), "feed")) == [gid(hidden_from_owner), gid(public)]
    assert ids_of(data_of(gql(FEED, user=owner), "feed")) == [gid(public)]


def test_a_build_that_leaves_a_stand_in_unused_is_compiled_per_call(db, caplog):
    alice, bob = UserFactory(nickname="甲"), UserFactory(nickname="乙")

    def build(values, standins: StandIns | None):
        if standins is not None:
            standins.int("user_id")  # declared, but the value below is the real one: the SQL cannot be kept
        return User.objects.filter(pk=values["user_id"])

    query = CompiledQuery(build, key=lambda values: "one shape", bind=lambda values: values)
    with caplog.at_level(logging.WARNING, logger="community.kernel.compiled"):
        assert query.fetch({"user_id": alice.pk}) == [alice]
    assert "does not bind" in caplog.text
    assert query.fetch({"user_id": bob.pk}) == [bob]


def test_kept_sql_binds_new_values_and_builds_related_objects(db, django_assert_num_queries):
    alice, bob = UserFactory(nickname="甲"), UserFactory(nickname="乙")
    Follow.objects.create(follower=alice, followee=bob)
    Follow.objects.create(follower=bob, followee=alice)

    def build(values, standins: StandIns | None):
        follower = standins.int("follower_id") if standins else values["follower_id"]
        return Follow.objects.filter(follower_id=follower).select_related("followee")

    query = CompiledQuery(build, key=lambda values: "one shape", bind=lambda values: values)
    query.fetch({"follower_id": alice.pk})
    with django_assert_num_queries(1):
        follows = query.fetch({"follower_id": bob.pk})
        assert [follow.followee.nickname for follow in follows] == ["甲"]
