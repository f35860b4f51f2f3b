"""Notifications: the viewer's own, newest first, by cursor, read and unread."""

from graphql_relay import to_global_id

from community.kernel.verbs import NotificationVerb
from community.models import Notification
from tests.factories import NotificationFactory, UserFactory
from tests.helpers import data_of

LIST = """
query($first: Int, $after: String, $unread: Boolean) {
  notifications(first: $first, after: $after, unreadOnly: $unread) {
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node { id verb text targetId readAt actor { nickname isFollowedByViewer isBrandStaff } }
    }
  }
}"""
MARK = """
mutation($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) { unreadCount errors { field code } }
}"""


def test_notifications_are_the_viewers_own_newest_first_with_text_and_target(gql, user):
    follower = UserFactory(nickname="老王")
    NotificationFactory(recipient=user, actor=follower, target_type_id=None)
    from django.contrib.contenttypes.models import ContentType

    newest = NotificationFactory(
        recipient=user, actor=follower, target_type=ContentType.objects.get_for_model(follower), target_id=follower.pk
    )
    NotificationFactory()  # someone else's
    edges = data_of(gql(LIST, user=user), "notifications")["edges"]
    assert len(edges) == 2
    assert edges[0]["node"]["id"] == to_global_id("Notification", newest.pk)
    assert edges[0]["node"]["text"] == "老王 关注了你"
    assert edges[0]["node"]["targetId"] == to_global_id("User", follower.pk)
    english = data_of(gql(LIST, user=user, language="en"), "notifications")["edges"]
    assert english[0]["node"]["text"] == "老王 started following you"


def test_pages_by_cursor_without_gaps_or_repeats_while_new_ones_arrive(gql, user):
    created = [NotificationFactory(recipient=user) for _ in range(7)]
    page = data_of(gql(LIST, {"first": 3}, user=user), "notifications")
    seen = [e["node"]["id"] for e in page["edges"]]
    NotificationFactory(recipient=user)  # arrives between pages: must not shift the next page
    while page["pageInfo"]["hasNextPage"]:
        page = data_of(gql(LIST, {"first": 3, "after": page["pageInfo"]["endCursor"]}, user=user), "notifications")
        seen += [e["node"]["id"] for e in page["edges"]]
    assert seen == [to_global_id("Notification", n.pk) for n in reversed(created)]


def test_unread_only_and_marking_read(gql, user):
    first, second, third = (NotificationFactory(recipient=user) for _ in range(3))
    assert data_of(gql("{ unreadNotificationCount }", user=user), "unreadNotificationCount") == 3
    result = data_of(
        gql(MARK, {"input": {"ids": [to_global_id("Notification", first.pk)]}}, user=user), "markNotificationsRead"
    )
    assert result == {"unreadCount": 2, "errors": []}
    unread = data_of(gql(LIST, {"unread": True}, user=user), "notifications")["edges"]
    assert {e["node"]["id"] for e in unread} == {to_global_id("Notification", n.pk) for n in (second, third)}
    assert data_of(gql(MARK, {"input": {"all": True}}, user=user), "markNotificationsRead")["unreadCount"] == 0
    assert data_of(gql("{ unreadNotificationCount }", user=user), "unreadNotificationCount") == 0


def test_marking_someone_elses_notification_does_nothing_to_it(gql, user):
    theirs = NotificationFactory()
    gql(MARK, {"input": {"ids": [to_global_id("Notification", theirs.pk)]}}, user=user)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_refusals(gql, user):
    NotificationFactory(recipient=user)
    nothing = data_of(gql(MARK, {"input": {}}, user=user), "markNotificationsRead")
    assert nothing == {"unreadCount": 1, "errors": [{"field": "ids", "code": "INVALID"}]}
    bad_id = data_of(gql(MARK, {"input": {"ids": [to_global_id("User", 1)]}}, user=user), "markNotificationsRead")
    assert bad_id["errors"] == [{"field": "ids", "code": "INVALID"}]
    anonymous = data_of(gql(MARK, {"input": {"all": True}}), "markNotificationsRead")
    assert anonymous == {"unreadCount": 0, "errors": [{"field": None, "code": "UNAUTHENTICATED"}]}


def test_anonymous_viewers_get_a_top_level_unauthenticated_error(gql):
    result = gql(LIST)
    assert result["data"] == {"notifications": None}
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert result["errors"][0]["message"] == "请先登录。"
    count = gql("{ unreadNotificationCount }")
    assert count["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_node_never_shows_someone_elses_notification(gql, user):
    theirs = NotificationFactory()
    query = "query($id: ID!) { node(id: $id) { id ... on Notification { text } } }"
    assert data_of(gql(query, {"id": to_global_id("Notification", theirs.pk)}, user=user), "node") is None
    mine = NotificationFactory(recipient=user)
    assert data_of(gql(query, {"id": to_global_id("Notification", mine.pk)}, user=user), "node")["id"]


def test_notification_list_queries_do_not_grow_with_the_page(gql, user, django_assert_max_num_queries):
    actors = UserFactory.create_batch(5)
    for actor in actors:
        NotificationFactory(recipient=user, actor=actor)
    token = gql.token_for(user)
    with django_assert_max_num_queries(6) as small:
        gql(LIST, {"first": 5}, token=token)
    for _ in range(40):
        NotificationFactory(recipient=user, actor=UserFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        edges = data_of(gql(LIST, {"first": 45}, token=token), "notifications")["edges"]
    assert len(edges) == 45


def test_page_size_is_capped_at_100(gql, user):
    Notification.objects.bulk_create([Notification(recipient=user, verb=NotificationVerb.FOLLOWED) for _ in range(105)])
    edges = data_of(gql(LIST, {"first": 500}, user=user), "notifications")["edges"]
    assert len(edges) == 100


def test_negative_first_and_bad_cursors_are_clear_errors(gql, user):
    negative = gql(LIST, {"first": -1}, user=user)
    assert negative["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    cursor = gql(LIST, {"after": "garbage!"}, user=user)
    assert cursor["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
