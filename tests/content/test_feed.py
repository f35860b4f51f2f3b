"""The feed: followed people, joined circles and announcements, newest first, pinned on top, stable cursors."""

from datetime import timedelta

from django.utils import timezone

from community.accounts import services as account_services
from community.kernel.statuses import ContentStatus
from tests.content.helpers import make_circle, make_comment, make_post, veteran
from tests.factories import UserFactory
from tests.helpers import data_of, gid

FEED = """
query($first: Int, $after: String) {
  feed(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id pinned likeCount commentCount viewerHasLiked
      author { nickname avatarUrl level: followerCount }
      circle { name }
      images { url thumbnailUrl width height }
      comments(first: 3) { edges { node { body author { nickname } } } }
    } }
  }
}"""


def ids_of(result):
    return [edge["node"]["id"] for edge in result["edges"]]


def at(minutes_ago):
    return timezone.now() - timedelta(minutes=minutes_ago)


def test_a_signed_in_feed_has_follows_circles_announcements_and_own_posts(gql, brand_staff):
    viewer, friend, stranger, host = veteran(), veteran(), veteran(), veteran()
    account_services.follow(user=viewer, followee_id=friend.pk)
    circle = make_circle(host, members=[viewer])
    own = make_post(viewer, created_at=at(5))
    followed = make_post(friend, created_at=at(4))
    in_circle = make_post(host, circle=circle, created_at=at(3))
    announcement = make_post(brand_staff, kind="ANNOUNCEMENT", title="通知", created_at=at(2))
    make_post(stranger, created_at=at(1))  # not followed, not in a shared circle
    feed = data_of(gql(FEED, user=viewer), "feed")
    assert ids_of(feed) == [gid(announcement), gid(in_circle), gid(followed), gid(own)]


def test_pinned_announcements_come_first(gql, brand_staff):
    viewer = veteran()
    pinned = make_post(brand_staff, kind="ANNOUNCEMENT", title="置顶", pinned=True, created_at=at(60))
    newer = make_post(viewer, created_at=at(1))
    assert ids_of(data_of(gql(FEED, user=viewer), "feed")) == [gid(pinned), gid(newer)]


def test_anonymous_viewers_see_public_posts_only(gql):
    host = veteran()
    public_circle = make_circle(host)
    private_circle = make_circle(host, visibility="PRIVATE")
    square = make_post(host, created_at=at(3))
    public = make_post(host, circle=public_circle, created_at=at(2))
    make_post(host, circle=private_circle, created_at=at(1))
    assert ids_of(data_of(gql(FEED), "feed")) == [gid(public), gid(square)]


def test_hidden_deleted_and_held_content_never_shows(gql):
    viewer, friend = veteran(), veteran()
    account_services.follow(user=viewer, followee_id=friend.pk)
    visible = make_post(friend)
    for status in (ContentStatus.HIDDEN, ContentStatus.DELETED, ContentStatus.PENDING_REVIEW):
        make_post(friend, status=status)
    own_held = make_post(viewer, status=ContentStatus.PENDING_REVIEW)
    feed = ids_of(data_of(gql(FEED, user=viewer), "feed"))
    assert feed == [gid(own_held), gid(visible)]  # the author alone sees their held post


def test_cursor_pages_stay_stable_while_new_posts_arrive(gql):
    viewer = veteran()
    posts = [make_post(viewer, created_at=at(100 - i)) for i in range(7)]
    first_page = data_of(gql(FEED, {"first": 3}, user=viewer), "feed")
    seen = ids_of(first_page)
    make_post(viewer)  # newest: must not push anything into the next page twice
    page = first_page
    while page["pageInfo"]["hasNextPage"]:
        page = data_of(gql(FEED, {"first": 3, "after": page["pageInfo"]["endCursor"]}, user=viewer), "feed")
        seen += ids_of(page)
    assert seen == [gid(p) for p in reversed(posts)]


def test_the_feed_queries_do_not_grow_with_the_page(gql, django_assert_max_num_queries):
    viewer = veteran()
    circle = make_circle(veteran(), members=[viewer])

    def add_posts(n):
        for _ in range(n):
            author = UserFactory()
            account_services.follow(user=viewer, followee_id=author.pk)
            post = make_post(author, circle=circle)
            for _c in range(4):
                make_comment(post)

    add_posts(3)
    token = gql.token_for(viewer)
    with django_assert_max_num_queries(20) as small:
        data_of(gql(FEED, {"first": 50}, token=token), "feed")
    add_posts(47)
    with django_assert_max_num_queries(len(small.captured_queries)):
        feed = data_of(gql(FEED, {"first": 50}, token=token), "feed")
    assert len(feed["edges"]) == 50
    assert all(len(edge["node"]["comments"]["edges"]) == 3 for edge in feed["edges"])
