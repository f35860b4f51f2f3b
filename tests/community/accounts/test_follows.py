"""Following: counters kept exact, the activity recorded once, the followee notified."""

from graphql_relay import to_global_id

from community.accounts import services as account_services
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Follow, Notification
from tests.factories import UserFactory
from tests.helpers import data_of, gid

FOLLOW = """
mutation($input: UserIdInput!) {
  follow(input: $input) { user { id followerCount isFollowedByViewer } errors { field code message } }
}"""
UNFOLLOW = """
mutation($input: UserIdInput!) {
  unfollow(input: $input) { user { id followerCount isFollowedByViewer } errors { field code } }
}"""


def test_follow_counts_records_and_notifies_once(gql, user, other_user):
    for _ in range(2):  # a double tap follows once
        result = data_of(gql(FOLLOW, {"input": {"userId": gid(other_user)}}, user=user), "follow")
        assert result["errors"] == []
        assert result["user"] == {"id": gid(other_user), "followerCount": 1, "isFollowedByViewer": True}
    assert Follow.objects.count() == 1
    assert Activity.objects.filter(verb=Verb.FOLLOWED).count() == 1
    notification = Notification.objects.get()
    assert (notification.recipient, notification.actor, notification.verb) == (
        other_user,
        user,
        NotificationVerb.FOLLOWED,
    )
    me = data_of(gql("{ me { followingCount followerCount } }", user=user), "me")
    assert me == {"followingCount": 1, "followerCount": 0}


def test_unfollow_undoes_the_counts(gql, user, other_user):
    gql(FOLLOW, {"input": {"userId": gid(other_user)}}, user=user)
    result = data_of(gql(UNFOLLOW, {"input": {"userId": gid(other_user)}}, user=user), "unfollow")
    assert result["user"] == {"id": gid(other_user), "followerCount": 0, "isFollowedByViewer": False}
    again = data_of(gql(UNFOLLOW, {"input": {"userId": gid(other_user)}}, user=user), "unfollow")
    assert again["errors"] == [] and again["user"]["followerCount"] == 0
    user.refresh_from_db()
    assert user.following_count == 0


def test_follow_refusals(gql, user):
    assert data_of(gql(FOLLOW, {"input": {"userId": gid(user)}}), "follow")["errors"][0]["code"] == "UNAUTHENTICATED"
    itself = data_of(gql(FOLLOW, {"input": {"userId": gid(user)}}, user=user), "follow")
    assert itself["errors"] == [{"field": "userId", "code": "INVALID", "message": "不能关注自己。"}]
    missing = data_of(gql(FOLLOW, {"input": {"userId": to_global_id("User", 10**9)}}, user=user), "follow")
    assert missing["errors"][0]["code"] == "NOT_FOUND"
    inactive = UserFactory(is_active=False)
    assert (
        data_of(gql(FOLLOW, {"input": {"userId": gid(inactive)}}, user=user), "follow")["errors"][0]["code"]
        == "NOT_FOUND"
    )
    assert (
        data_of(gql(UNFOLLOW, {"input": {"userId": gid(user)}}), "unfollow")["errors"][0]["code"] == "UNAUTHENTICATED"
    )


def test_a_redelivered_follow_activity_does_not_notify_twice(db, user, other_user, on_commit):
    from community.kernel import activity

    with on_commit():
        account_services.follow(user=user, followee_id=other_user.pk)
    recorded = Activity.objects.get(verb=Verb.FOLLOWED)
    Activity.objects.filter(pk=recorded.pk).update(dispatched_at=None)
    assert activity.dispatch(recorded.pk) is True
    assert Notification.objects.count() == 1


def test_user_query_shows_public_profile_and_viewer_relation(gql, user, other_user):
    gql(FOLLOW, {"input": {"userId": gid(other_user)}}, user=user)
    query = "query($id: ID!) { user(id: $id) { nickname isFollowedByViewer followerCount } }"
    assert data_of(gql(query, {"id": gid(other_user)}, user=user), "user")["isFollowedByViewer"] is True
    assert data_of(gql(query, {"id": gid(other_user)}), "user")["isFollowedByViewer"] is False
    assert data_of(gql(query, {"id": to_global_id("User", 10**9)}), "user") is None
