"""Followers and following lists, and finding people by nickname: order, paging, deactivated accounts, query counts."""

from datetime import timedelta

from django.utils import timezone

from community.accounts import services as account_services
from community.models import Follow
from tests.factories import UserFactory
from tests.helpers import data_of, gid

PAGE = "pageInfo { hasNextPage endCursor } edges { node { id nickname isFollowedByViewer vehicles { model } } }"
ARGS = "$first: Int, $after: String"
FOLLOWERS = f"query($userId: ID!, {ARGS}) {{ followers(userId: $userId, first: $first, after: $after) {{ {PAGE} }} }}"
FOLLOWING = f"query($userId: ID!, {ARGS}) {{ following(userId: $userId, first: $first, after: $after) {{ {PAGE} }} }}"
SEARCH = f"query($query: String!, {ARGS}) {{ searchUsers(query: $query, first: $first, after: $after) {{ {PAGE} }} }}"


def follow(follower, followee, minutes_ago=0):
    """`follower` follows `followee` (through the service, so the counters are real), `minutes_ago`."""
    account_services.follow(user=follower, followee_id=followee.pk)
    made = Follow.objects.filter(follower=follower, followee=followee)
    made.update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return made.get()


def ids_of(connection):
    return [edge["node"]["id"] for edge in connection["edges"]]


def test_followers_and_following_list_latest_follows_first(gql):
    star, early, late = UserFactory(), UserFactory(), UserFactory()
    follow(early, star, minutes_ago=10)
    follow(late, star, minutes_ago=1)
    follow(star, early, minutes_ago=5)
    follow(star, late, minutes_ago=2)
    assert ids_of(data_of(gql(FOLLOWERS, {"userId": gid(star)}), "followers")) == [gid(late), gid(early)]
    assert ids_of(data_of(gql(FOLLOWING, {"userId": gid(star)}), "following")) == [gid(late), gid(early)]
    assert ids_of(data_of(gql(FOLLOWERS, {"userId": gid(early)}), "followers")) == [gid(star)]


def test_deactivated_accounts_are_left_out_and_their_own_lists_are_null(gql):
    star, gone = UserFactory(), UserFactory()
    follow(gone, star)
    follow(star, gone)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert ids_of(data_of(gql(FOLLOWERS, {"userId": gid(star)}), "followers")) == []
    assert ids_of(data_of(gql(FOLLOWING, {"userId": gid(star)}), "following")) == []
    assert data_of(gql(FOLLOWERS, {"userId": gid(gone)}), "followers") is None


def test_followers_page_without_gaps_or_repeats(gql):
    star = UserFactory()
    fans = [UserFactory() for _ in range(5)]
    for minutes, fan in enumerate(fans):
        follow(fan, star, minutes_ago=minutes)
    seen, after = [], None
    while True:
        page = data_of(gql(FOLLOWERS, {"userId": gid(star), "first": 2, "after": after}), "followers")
        seen += ids_of(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [gid(fan) for fan in fans]


def test_follow_lists_query_counts_do_not_grow_with_the_page(gql, django_assert_max_num_queries):
    star, viewer = UserFactory(), UserFactory()
    token = gql.token_for(viewer)

    def add(n):
        for _ in range(n):
            other = UserFactory()
            follow(other, star)
            follow(star, other)

    add(3)
    with django_assert_max_num_queries(20) as small_followers:
        data_of(gql(FOLLOWERS, {"userId": gid(star), "first": 40}, token=token), "followers")
    with django_assert_max_num_queries(20) as small_following:
        data_of(gql(FOLLOWING, {"userId": gid(star), "first": 40}, token=token), "following")
    add(37)
    with django_assert_max_num_queries(len(small_followers.captured_queries)):
        assert len(data_of(gql(FOLLOWERS, {"userId": gid(star), "first": 40}, token=token), "followers")["edges"]) == 40
    with django_assert_max_num_queries(len(small_following.captured_queries)):
        assert len(data_of(gql(FOLLOWING, {"userId": gid(star), "first": 40}, token=token), "following")["edges"]) == 40


def test_the_list_is_capped_at_one_hundred(gql):
    star = UserFactory()
    for _ in range(101):
        follow(UserFactory(), star)
    page = data_of(gql(FOLLOWERS, {"userId": gid(star), "first": 500}), "followers")
    assert len(page["edges"]) == 100
    assert page["pageInfo"]["hasNextPage"] is True


def test_user_search_puts_the_exact_nickname_first_then_prefixes_then_the_rest(gql):
    inside = UserFactory(nickname="山城老王")
    prefix = UserFactory(nickname="老王开车")
    exact = UserFactory(nickname="老王")
    UserFactory(nickname="小李")
    gone = UserFactory(nickname="老王二号")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert ids_of(data_of(gql(SEARCH, {"query": "老王"}), "searchUsers")) == [gid(exact), gid(prefix), gid(inside)]
    assert set(ids_of(data_of(gql(SEARCH, {"query": "王"}), "searchUsers"))) == {gid(exact), gid(inside), gid(prefix)}


def test_user_search_refuses_an_empty_query(gql):
    result = gql(SEARCH, {"query": ""}, language="en")
    assert result["errors"][0]["extensions"] == {"code": "INVALID", "field": "query"}
    assert result["errors"][0]["message"] == "Type something to search for."


def test_user_search_queries_do_not_grow_with_the_page(gql, django_assert_max_num_queries):
    viewer = UserFactory()
    token = gql.token_for(viewer)
    for i in range(3):
        UserFactory(nickname=f"欧尚车主{i}")
    with django_assert_max_num_queries(20) as small:
        data_of(gql(SEARCH, {"query": "车主", "first": 50}, token=token), "searchUsers")
    for i in range(3, 50):
        UserFactory(nickname=f"欧尚车主{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(data_of(gql(SEARCH, {"query": "车主", "first": 50}, token=token), "searchUsers")["edges"]) == 50


def test_user_search_hides_people_blocked_either_way(gql):
    from community.accounts import services as account_services

    me, blocked_by_me, blocking_me, other = (UserFactory(nickname=f"老王{n}") for n in range(4))
    account_services.block_user(user=me, blocked_id=blocked_by_me.pk)
    account_services.block_user(user=blocking_me, blocked_id=me.pk)
    assert set(ids_of(data_of(gql(SEARCH, {"query": "老王"}, user=me), "searchUsers"))) == {gid(me), gid(other)}
    seen_by_blocked = set(ids_of(data_of(gql(SEARCH, {"query": "老王"}, user=blocked_by_me), "searchUsers")))
    assert gid(me) not in seen_by_blocked and gid(other) in seen_by_blocked
    # Signed out, nobody is hidden.
    assert len(data_of(gql(SEARCH, {"query": "老王"}), "searchUsers")["edges"]) == 4
