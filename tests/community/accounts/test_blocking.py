"""Blocking: the pair rule in the database, follows removed both ways, the blocked refused every way
of reaching the blocker, and each other's content hidden in every list (with constant query counts)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from graphql_relay import to_global_id

from circles import services as circle_services
from circles.models import Membership
from community.accounts import selectors as account_selectors
from community.accounts import services as account_services
from community.content import services as content_services
from community.kernel.errors import ServiceError
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Block, Follow, Notification
from tests.circles.factories import make_circle
from tests.content.helpers import make_comment, make_post
from tests.factories import UserFactory
from tests.helpers import ERRORS, codes, data_of, gid, run

BLOCK = f"mutation($input: UserIdInput!) {{ blockUser(input: $input) {{ user {{ id followerCount }} {ERRORS} }} }}"
UNBLOCK = f"mutation($input: UserIdInput!) {{ unblockUser(input: $input) {{ user {{ id }} {ERRORS} }} }}"
FOLLOW = f"mutation($input: UserIdInput!) {{ follow(input: $input) {{ user {{ id }} {ERRORS} }} }}"
LIKE = f"mutation($input: PostIdInput!) {{ likePost(input: $input) {{ post {{ likeCount }} {ERRORS} }} }}"
COMMENT = f"mutation($input: AddCommentInput!) {{ addComment(input: $input) {{ comment {{ id }} {ERRORS} }} }}"
BLOCKED_USERS = (
    "query($first: Int) { blockedUsers(first: $first) { edges { node { id nickname } } pageInfo { hasNextPage } } }"
)
FEED = "query($first: Int) { feed(first: $first) { edges { node { id body author { nickname } } } } }"
COMMENTS = "query($id: ID!) { node(id: $id) { ... on Post { comments(first: 20) { edges { node { body } } } } } }"
CHAT = "query($id: ID!) { node(id: $id) { ... on Circle { chatMessages(last: 20) { edges { node { body } } } } } }"
REMOVE = f"mutation($input: RemoveMemberInput!) {{ removeMember(input: $input) {{ membership {{ status }} {ERRORS} }}}}"
MAY_KNOW = "{ peopleYouMayKnow(first: 20) { edges { node { id } } } }"


def block(user, other):
    return account_services.block_user(user=user, blocked_id=other.pk)


def test_block_removes_follows_both_ways_and_is_idempotent(gql, user, other_user):
    account_services.follow(user=user, followee_id=other_user.pk)
    account_services.follow(user=other_user, followee_id=user.pk)
    for _ in range(2):
        payload = run(gql, BLOCK, "blockUser", user=user, userId=gid(other_user))
        assert payload["errors"] == [] and payload["user"] == {"id": gid(other_user), "followerCount": 0}
    assert Block.objects.filter(blocker=user, blocked=other_user).count() == 1
    assert not Follow.objects.exists()
    user.refresh_from_db()
    other_user.refresh_from_db()
    assert (user.follower_count, user.following_count, other_user.follower_count, other_user.following_count) == (
        0,
        0,
        0,
        0,
    )
    assert Activity.objects.filter(verb=Verb.USER_BLOCKED).count() == 1
    assert account_selectors.is_blocked_between(other_user.pk, user.pk)  # either way
    listed = data_of(gql(BLOCKED_USERS, {"first": 10}, user=user), "blockedUsers")["edges"]
    assert [edge["node"]["id"] for edge in listed] == [gid(other_user)]
    assert data_of(gql(BLOCKED_USERS, {"first": 10}, user=other_user), "blockedUsers")["edges"] == []

    payload = run(gql, UNBLOCK, "unblockUser", user=user, userId=gid(other_user))
    assert payload["errors"] == []
    assert not Block.objects.exists()
    assert run(gql, FOLLOW, "follow", user=other_user, userId=gid(user))["errors"] == []


def test_block_refusals(gql, user):
    assert codes(run(gql, BLOCK, "blockUser", userId=gid(user))) == ["UNAUTHENTICATED"]
    assert codes(run(gql, UNBLOCK, "unblockUser", userId=gid(user))) == ["UNAUTHENTICATED"]
    itself = run(gql, BLOCK, "blockUser", user=user, userId=gid(user))
    assert itself["errors"] == [{"field": "userId", "code": "INVALID", "message": "不能拉黑自己。"}]
    missing = run(gql, BLOCK, "blockUser", user=user, userId=to_global_id("User", 10**9))
    assert codes(missing) == ["NOT_FOUND"]
    result = gql(BLOCKED_USERS, {"first": 5})
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_the_database_keeps_one_block_per_pair_and_none_of_oneself(db, user, other_user):
    Block.objects.create(blocker=user, blocked=other_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=user, blocked=other_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=user, blocked=user)


def test_the_blocked_cannot_follow_like_comment_or_be_followed(gql, user, other_user):
    post = make_post(user)
    their_post = make_post(other_user)
    block(user, other_user)
    refused = run(gql, FOLLOW, "follow", user=other_user, userId=gid(user))
    assert refused["errors"] == [
        {"field": "userId", "code": "FORBIDDEN", "message": "无法操作：你们之间有一方已拉黑对方。"}
    ]
    assert codes(run(gql, FOLLOW, "follow", user=user, userId=gid(other_user))) == ["FORBIDDEN"]
    assert codes(run(gql, LIKE, "likePost", user=other_user, postId=gid(post))) == ["FORBIDDEN"]
    assert codes(run(gql, COMMENT, "addComment", user=other_user, postId=gid(post), body="你好")) == ["FORBIDDEN"]
    assert codes(run(gql, LIKE, "likePost", user=user, postId=gid(their_post))) == ["FORBIDDEN"]
    assert not Follow.objects.exists()
    post.refresh_from_db()
    assert (post.like_count, post.comment_count) == (0, 0)


def test_a_mention_by_a_blocked_user_is_silently_not_notified(db, on_commit, user):
    pest = UserFactory(nickname="捣乱的")
    user.nickname = "车主甲"
    user.save()
    friend = UserFactory(nickname="车主乙")
    block(user, pest)
    with on_commit():
        content_services.create_post(user=pest, body="@车主甲 @车主乙 出来玩")
    mentioned = Notification.objects.filter(verb=NotificationVerb.MENTIONED)
    assert list(mentioned.values_list("recipient_id", flat=True)) == [friend.pk]


def test_a_blocked_user_cannot_come_in_through_the_blockers_invite(db, user):
    circle = make_circle(join_policy="INVITE_ONLY", visibility="PRIVATE")
    host = circle.created_by
    invite = circle_services.create_invite(user=host, circle_id=circle.pk)
    block(host, user)
    with pytest.raises(ServiceError) as refused:
        circle_services.join_circle(user=user, circle_id=circle.pk, invite_code=invite.code)
    assert refused.value.code == "FORBIDDEN"
    assert not Membership.objects.filter(circle=circle, user=user).exists()


def test_blocked_peoples_posts_comments_and_chat_are_hidden_both_ways(gql, user):
    pest = UserFactory(nickname="捣乱的")
    circle = make_circle(members=[user, pest])
    account_services.follow(user=user, followee_id=pest.pk)
    mine = make_post(user, body="我的帖子")
    theirs = make_post(pest, circle=circle, body="他的帖子")
    make_comment(mine, pest, body="他的评论")
    make_comment(mine, UserFactory(), body="别人的评论")
    circle_services.send_chat_message(user=pest, circle_id=circle.pk, body="他的消息")
    circle_services.send_chat_message(user=user, circle_id=circle.pk, body="我的消息")

    def seen(viewer):
        feed = [edge["node"]["body"] for edge in data_of(gql(FEED, {"first": 20}, user=viewer), "feed")["edges"]]
        comments = data_of(gql(COMMENTS, {"id": gid(mine)}, user=viewer), "node")
        chat = data_of(gql(CHAT, {"id": gid(circle)}, user=viewer), "node")
        return (
            feed,
            [edge["node"]["body"] for edge in comments["comments"]["edges"]] if comments else None,
            [edge["node"]["body"] for edge in chat["chatMessages"]["edges"]],
        )

    assert seen(user) == (["他的帖子", "我的帖子"], ["他的评论", "别人的评论"], ["他的消息", "我的消息"])
    block(user, pest)
    assert seen(user) == (["我的帖子"], ["别人的评论"], ["我的消息"])
    # The blocked no longer sees the blocker either: the post itself is gone for them.
    pest_feed, pest_comments, pest_chat = seen(pest)
    assert "我的帖子" not in pest_feed and pest_comments is None and pest_chat == ["他的消息"]
    assert data_of(gql("query($id: ID!) { node(id: $id) { id } }", {"id": gid(theirs)}, user=user), "node") is None


def test_hosts_still_manage_a_blocked_member(gql, user):
    circle = make_circle(members=[user])
    host = circle.created_by
    post = make_post(user, circle=circle, body="圈内帖子")
    block(host, user)
    content_services.delete_post(user=host, post_id=post.pk)
    membership = Membership.objects.get(circle=circle, user=user)
    removed = run(
        gql,
        REMOVE,
        "removeMember",
        user=host,
        membershipId=gid(membership),
    )
    assert removed["errors"] == [] and removed["membership"]["status"] == "LEFT"


def test_people_you_may_know_leaves_out_blocks_both_ways(gql, user):
    mate, pest, blocker = UserFactory(), UserFactory(), UserFactory()
    make_circle(members=[user, mate, pest, blocker])
    block(user, pest)
    block(blocker, user)
    known = {edge["node"]["id"] for edge in data_of(gql(MAY_KNOW, user=user), "peopleYouMayKnow")["edges"]}
    assert gid(mate) in known and gid(pest) not in known and gid(blocker) not in known


def test_lists_with_blocking_take_the_same_queries_for_any_page(gql, user, django_assert_max_num_queries):
    circle = make_circle(members=[user])
    post = make_post(user)

    def add(n):
        for index in range(n):
            someone = UserFactory()
            account_services.follow(user=user, followee_id=someone.pk)
            make_post(someone, body=f"帖子{index}")
            make_comment(post, someone, body=f"评论{index}")
            pest = UserFactory()
            make_post(pest, body="看不到")
            make_comment(post, pest, body="看不到")
            circle_services.join_circle(user=pest, circle_id=circle.pk)
            circle_services.join_circle(user=someone, circle_id=circle.pk)
            circle_services.send_chat_message(user=pest, circle_id=circle.pk, body="看不到")
            circle_services.send_chat_message(user=someone, circle_id=circle.pk, body="你好")
            block(user, pest)

    lists = (
        ("feed", FEED, {"first": 20}),
        ("blockedUsers", BLOCKED_USERS, {"first": 20}),
        ("node", COMMENTS, {"id": gid(post)}),
        ("node", CHAT, {"id": gid(circle)}),
    )
    token = gql.token_for(user)
    add(1)
    small = []
    for field, query, variables in lists:
        with django_assert_max_num_queries(30) as captured:
            data_of(gql(query, variables, token=token), field)
        small.append(len(captured))
    add(6)
    for (field, query, variables), budget in zip(lists, small, strict=True):
        with django_assert_max_num_queries(budget):
            page = data_of(gql(query, variables, token=token), field)
        assert "看不到" not in str(page)
    assert len(data_of(gql(BLOCKED_USERS, {"first": 20}, token=token), "blockedUsers")["edges"]) == 7


def test_a_profile_says_whether_the_viewer_blocked_it_and_only_to_the_viewer(gql):
    me, them = UserFactory(), UserFactory()
    query = "query($id: ID!) { user(id: $id) { isBlockedByViewer } }"
    assert data_of(gql(query, {"id": gid(them)}, user=me), "user") == {"isBlockedByViewer": False}
    block(me, them)
    assert data_of(gql(query, {"id": gid(them)}, user=me), "user") == {"isBlockedByViewer": True}
    assert data_of(gql(query, {"id": gid(me)}, user=them), "user") == {"isBlockedByViewer": False}
    assert data_of(gql(query, {"id": gid(them)}), "user") == {"isBlockedByViewer": False}
