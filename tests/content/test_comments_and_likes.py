"""Comments with one level of replies, likes once per user, counters exact, notifications once."""

from community.content.models import Comment
from community.kernel.models import Activity
from community.kernel.statuses import ContentStatus
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification
from tests.content.helpers import make_circle, make_post, veteran
from tests.factories import UserFactory
from tests.helpers import data_of, gid

LIKE = (
    "mutation($input: PostIdInput!) { likePost(input: $input) { post { likeCount viewerHasLiked } errors { code } } }"
)
UNLIKE = (
    "mutation($input: PostIdInput!) { unlikePost(input: $input) { post { likeCount viewerHasLiked } errors { code } } }"
)
COMMENT = """
mutation($input: AddCommentInput!) {
  addComment(input: $input) {
    comment { id body status parent { id } post { commentCount } }
    errors { field code message }
  }
}"""


def test_like_is_idempotent_counts_and_notifies_once(gql):
    author, fan = veteran(), veteran()
    post = make_post(author)
    for _ in range(2):
        result = data_of(gql(LIKE, {"input": {"postId": gid(post)}}, user=fan), "likePost")
        assert result == {"post": {"likeCount": 1, "viewerHasLiked": True}, "errors": []}
    assert Activity.objects.filter(verb=Verb.POST_LIKED).count() == 1
    unliked = data_of(gql(UNLIKE, {"input": {"postId": gid(post)}}, user=fan), "unlikePost")
    assert unliked["post"] == {"likeCount": 0, "viewerHasLiked": False}
    data_of(gql(LIKE, {"input": {"postId": gid(post)}}, user=fan), "likePost")  # like again
    assert Notification.objects.filter(verb=NotificationVerb.LIKED, recipient=author).count() == 1
    assert Activity.objects.filter(verb=Verb.POST_UNLIKED).count() == 1


def test_likes_on_invisible_or_missing_posts_are_not_found(gql):
    fan = veteran()
    private = make_circle(veteran(), visibility="PRIVATE")
    hidden = make_post(status=ContentStatus.HIDDEN)
    for post in (make_post(circle=private), hidden):
        assert data_of(gql(LIKE, {"input": {"postId": gid(post)}}, user=fan), "likePost")["errors"] == [
            {"code": "NOT_FOUND"}
        ]
    assert data_of(gql(LIKE, {"input": {"postId": gid(hidden)}}), "likePost")["errors"] == [{"code": "UNAUTHENTICATED"}]


def test_comments_and_replies_notify_the_right_people_once(gql):
    author, first, second = veteran(), veteran(), veteran()
    post = make_post(author)
    top = data_of(gql(COMMENT, {"input": {"postId": gid(post), "body": "好车！"}}, user=first), "addComment")
    assert top["errors"] == [] and top["comment"]["post"]["commentCount"] == 1
    reply = data_of(
        gql(COMMENT, {"input": {"postId": gid(post), "body": "同意", "parentId": top["comment"]["id"]}}, user=second),
        "addComment",
    )
    assert reply["comment"]["parent"]["id"] == top["comment"]["id"]
    # Replying to a reply attaches to the top-level comment: one level only.
    nested = data_of(
        gql(COMMENT, {"input": {"postId": gid(post), "body": "+1", "parentId": reply["comment"]["id"]}}, user=author),
        "addComment",
    )
    assert nested["comment"]["parent"]["id"] == top["comment"]["id"]
    verbs = sorted(Notification.objects.values_list("recipient__username", "verb"))
    assert verbs == sorted(
        [
            (author.username, NotificationVerb.COMMENTED),  # first's comment
            (first.username, NotificationVerb.REPLIED),  # second's reply
            (author.username, NotificationVerb.COMMENTED),  # second's reply is also a comment on the post
            (first.username, NotificationVerb.REPLIED),  # author's answer to the thread
        ]
    )


def test_mentions_notify_by_nickname(gql):
    author = veteran()
    mentioned = UserFactory(nickname="山城老王")
    post = make_post(author)
    data_of(
        gql(COMMENT, {"input": {"postId": gid(post), "body": "@山城老王 一起去吗？"}}, user=veteran()), "addComment"
    )
    assert Notification.objects.filter(recipient=mentioned, verb=NotificationVerb.MENTIONED).count() == 1
    create = "mutation($input: CreatePostInput!) { createPost(input: $input) { errors { code } } }"
    data_of(gql(create, {"input": {"body": "周末和 @山城老王 去露营"}}, user=author), "createPost")
    assert Notification.objects.filter(recipient=mentioned, verb=NotificationVerb.MENTIONED).count() == 2


def test_comment_refusals(gql):
    post = make_post()
    user = veteran()
    assert (
        data_of(gql(COMMENT, {"input": {"postId": gid(post), "body": " "}}, user=user), "addComment")["errors"][0][
            "field"
        ]
        == "body"
    )
    missing_parent = data_of(
        gql(COMMENT, {"input": {"postId": gid(post), "body": "x", "parentId": "Q29tbWVudDo5OTk="}}, user=user),
        "addComment",
    )
    assert missing_parent["errors"][0] == {"field": "parentId", "code": "NOT_FOUND", "message": "未找到该评论。"}
    assert (
        data_of(gql(COMMENT, {"input": {"postId": gid(post), "body": "x"}}), "addComment")["errors"][0]["code"]
        == "UNAUTHENTICATED"
    )
    assert not Comment.objects.exists()


def test_held_comments_do_not_count_until_released(gql, on_commit):
    from community.models import SensitiveWord

    with on_commit():
        SensitiveWord.objects.create(word="加微信", action="HOLD")
    post = make_post()
    result = data_of(
        gql(COMMENT, {"input": {"postId": gid(post), "body": "要资料加微信"}}, user=veteran()), "addComment"
    )
    assert result["comment"]["status"] == "PENDING_REVIEW"
    assert result["comment"]["post"]["commentCount"] == 0
