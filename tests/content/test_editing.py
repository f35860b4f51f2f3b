"""Editing posts and comments by their authors, and deleting comments: rules, revisions, counters."""

from datetime import timedelta

from django.utils import timezone

from community.content.models import Comment, CommentRevision, Post, PostRevision
from community.kernel.models import Activity
from community.kernel.statuses import ContentStatus
from community.kernel.verbs import Verb
from community.models import Mute, SensitiveWord
from community.moderation.models import ModerationAction
from tests.content.helpers import make_circle, make_comment, make_post, veteran
from tests.factories import UserFactory
from tests.helpers import data_of, gid

UPDATE_POST = """
mutation($input: UpdatePostInput!) {
  updatePost(input: $input) { post { id title body status editedAt } errors { field code message } }
}"""
UPDATE_COMMENT = """
mutation($input: UpdateCommentInput!) {
  updateComment(input: $input) {
    comment { id body status editedAt post { commentCount } }
    errors { field code message }
  }
}"""
DELETE_COMMENT = """
mutation($input: CommentIdInput!) {
  deleteComment(input: $input) { comment { id status } errors { field code message } }
}"""
POST_REVISIONS = """
query($id: ID!) { post(id: $id) { body editedAt revisions { title body status replacedAt }
  comments { edges { node { body editedAt revisions { body status } } } } } }"""


def edit_post(gql, user, post, **fields):
    return data_of(gql(UPDATE_POST, {"input": {"postId": gid(post), **fields}}, user=user), "updatePost")


def edit_comment(gql, user, comment, body):
    return data_of(
        gql(UPDATE_COMMENT, {"input": {"commentId": gid(comment), "body": body}}, user=user), "updateComment"
    )


def delete_comment(gql, user, comment):
    return data_of(gql(DELETE_COMMENT, {"input": {"commentId": gid(comment)}}, user=user), "deleteComment")


# ---------------------------------------------------------------- updatePost


def test_the_author_edits_a_post_and_the_old_text_is_kept_for_moderators(gql, brand_staff):
    author = veteran()
    post = make_post(author, body="周末去南山看夜景")
    result = edit_post(gql, author, post, body="周六晚上去南山看夜景")
    assert result["errors"] == []
    assert result["post"]["body"] == "周六晚上去南山看夜景" and result["post"]["editedAt"] is not None
    assert result["post"]["status"] == "PUBLISHED"
    assert list(PostRevision.objects.filter(post=post).values_list("body", flat=True)) == ["周末去南山看夜景"]
    assert Activity.objects.filter(verb=Verb.POST_EDITED, target_id=post.pk).count() == 1

    staff_view = data_of(gql(POST_REVISIONS, {"id": gid(post)}, user=brand_staff), "post")
    assert [r["body"] for r in staff_view["revisions"]] == ["周末去南山看夜景"]
    # Members (the author too) and anonymous readers never see the previous versions.
    for viewer in (author, veteran(), None):
        view = data_of(gql(POST_REVISIONS, {"id": gid(post)}, user=viewer), "post")
        assert view["revisions"] is None and view["body"] == "周六晚上去南山看夜景"


def test_an_edit_with_held_words_goes_back_to_review_and_is_logged(gql):
    SensitiveWord.objects.create(word="加微信", action="HOLD")
    author = veteran()
    post = make_post(author)
    result = edit_post(gql, author, post, body="想去的加微信")
    assert result["errors"] == [] and result["post"]["status"] == "PENDING_REVIEW"
    post.refresh_from_db()
    assert post.status == ContentStatus.PENDING_REVIEW and "加微信" in post.held_reason
    assert ModerationAction.objects.filter(action="AUTO_HOLD", target_id=post.pk, subject=author).count() == 1
    # Other members no longer see it; a clean edit does not take it out of review.
    assert data_of(gql(POST_REVISIONS, {"id": gid(post)}, user=veteran()), "post") is None
    assert edit_post(gql, author, post, body="想去的私信")["post"]["status"] == "PENDING_REVIEW"


def test_an_edit_with_blocked_words_is_refused_and_changes_nothing(gql):
    SensitiveWord.objects.create(word="代开发票", action="BLOCK")
    author = veteran()
    post = make_post(author, body="原文")
    result = edit_post(gql, author, post, body="代开发票")
    assert result["errors"][0]["code"] == "INVALID" and result["errors"][0]["field"] == "body"
    post.refresh_from_db()
    assert post.body == "原文" and post.edited_at is None and not PostRevision.objects.exists()


def test_post_edit_refusals(gql):
    author, other = veteran(), veteran()
    post = make_post(author, body="原文")
    assert edit_post(gql, None, post, body="x")["errors"][0]["code"] == "UNAUTHENTICATED"
    assert edit_post(gql, other, post, body="x")["errors"] == [
        {"field": "postId", "code": "FORBIDDEN", "message": "只有作者可以编辑。"}
    ]
    assert edit_post(gql, author, post, body="  ")["errors"][0]["code"] == "INVALID"
    article = make_post(author, kind="ARTICLE", title="标题")
    assert edit_post(gql, author, article, title="")["errors"][0]["field"] == "title"
    deleted = make_post(author, status=ContentStatus.DELETED)
    assert edit_post(gql, author, deleted, body="x")["errors"][0]["code"] == "NOT_FOUND"
    Mute.objects.create(user=author, until=timezone.now() + timedelta(days=3))
    muted = edit_post(gql, author, post, body="改一下")
    assert muted["errors"][0]["code"] == "MUTED" and "禁言" in muted["errors"][0]["message"]
    post.refresh_from_db()
    assert post.body == "原文" and not PostRevision.objects.filter(post=post).exists()


def test_sandboxed_authors_spend_their_post_allowance_on_edits(gql):
    newcomer = UserFactory()
    post = make_post(newcomer)
    for attempt in range(3):
        assert edit_post(gql, newcomer, post, body=f"第{attempt}次修改")["errors"] == []
    refused = edit_post(gql, newcomer, post, body="第四次修改")
    assert refused["errors"][0]["code"] == "RATE_LIMITED"
    post.refresh_from_db()
    assert post.body == "第2次修改" and PostRevision.objects.filter(post=post).count() == 3


# ---------------------------------------------------------------- updateComment


def test_the_author_edits_a_comment(gql, brand_staff):
    author = veteran()
    post = make_post()
    comment = make_comment(post, author, body="同去！")
    result = edit_comment(gql, author, comment, "同去，我开车")
    assert result["errors"] == [] and result["comment"]["body"] == "同去，我开车"
    assert result["comment"]["editedAt"] is not None and result["comment"]["post"]["commentCount"] == 1
    staff_view = data_of(gql(POST_REVISIONS, {"id": gid(post)}, user=brand_staff), "post")
    node = staff_view["comments"]["edges"][0]["node"]
    assert node["revisions"] == [{"body": "同去！", "status": "PUBLISHED"}]
    member_view = data_of(gql(POST_REVISIONS, {"id": gid(post)}, user=author), "post")
    assert member_view["comments"]["edges"][0]["node"]["revisions"] is None


def test_a_held_comment_edit_stops_counting_until_reviewed(gql):
    SensitiveWord.objects.create(word="加微信", action="HOLD")
    author = veteran()
    post = make_post()
    comment = make_comment(post, author)
    result = edit_comment(gql, author, comment, "加微信聊")
    assert result["errors"] == [] and result["comment"]["status"] == "PENDING_REVIEW"
    post.refresh_from_db()
    assert post.comment_count == 0
    assert ModerationAction.objects.filter(action="AUTO_HOLD", target_id=comment.pk).count() == 1


def test_comment_edit_refusals(gql):
    author, other = veteran(), veteran()
    comment = make_comment(make_post(), author, body="原文")
    assert edit_comment(gql, None, comment, "x")["errors"][0]["code"] == "UNAUTHENTICATED"
    assert edit_comment(gql, other, comment, "x")["errors"][0]["code"] == "FORBIDDEN"
    assert edit_comment(gql, author, comment, "")["errors"][0]["code"] == "INVALID"
    assert edit_comment(gql, author, comment, "长" * 1001)["errors"][0]["code"] == "INVALID"
    Mute.objects.create(user=author, until=timezone.now() + timedelta(days=3))
    assert edit_comment(gql, author, comment, "改")["errors"][0]["code"] == "MUTED"
    newcomer = UserFactory()
    mine = make_comment(make_post(), newcomer)
    for attempt in range(10):
        assert edit_comment(gql, newcomer, mine, f"改{attempt}")["errors"] == []
    assert edit_comment(gql, newcomer, mine, "再改")["errors"][0]["code"] == "RATE_LIMITED"
    comment.refresh_from_db()
    assert comment.body == "原文" and not CommentRevision.objects.filter(comment=comment).exists()


# ---------------------------------------------------------------- deleteComment


def test_the_author_deletes_a_comment_and_its_replies_and_the_count_follows(gql):
    author = veteran()
    post = make_post()
    top = make_comment(post, author)
    make_comment(post, parent=top)
    make_comment(post, parent=top, status=ContentStatus.PENDING_REVIEW)
    other = make_comment(post)
    post.refresh_from_db()
    assert post.comment_count == 3
    result = delete_comment(gql, author, top)
    assert result["errors"] == [] and result["comment"]["status"] == "DELETED"
    post.refresh_from_db()
    assert post.comment_count == 1 == Comment.objects.filter(post=post, status="PUBLISHED").count()
    assert set(Comment.objects.exclude(status="DELETED").values_list("pk", flat=True)) == {other.pk}
    # Deleting again is not found (it is gone); nothing is logged as moderation for an author's own delete.
    assert delete_comment(gql, author, top)["errors"][0]["code"] == "NOT_FOUND"
    assert not ModerationAction.objects.filter(action="DELETE").exists()


def test_hosts_co_hosts_and_brand_staff_delete_comments_and_it_is_logged(gql, brand_staff):
    from circles.models import Membership

    host, co_host, member = veteran(), veteran(), veteran()
    circle = make_circle(host, members=[co_host, member])
    Membership.objects.filter(circle=circle, user=co_host).update(role="CO_HOST")
    post = make_post(member, circle=circle)
    comments = [make_comment(post, member) for _ in range(3)]
    square = make_comment(make_post(member), member)
    for actor, comment in zip((host, co_host, brand_staff), comments, strict=True):
        assert delete_comment(gql, actor, comment)["errors"] == []
        assert ModerationAction.objects.filter(action="DELETE", target_id=comment.pk, moderator=actor).count() == 1
    # A host moderates their circle only, not the square.
    assert delete_comment(gql, host, square)["errors"][0]["code"] == "FORBIDDEN"
    post.refresh_from_db()
    assert post.comment_count == 0


def test_comment_delete_refusals(gql):
    author, member = veteran(), veteran()
    circle = make_circle(veteran(), members=[author, member])
    comment = make_comment(make_post(author, circle=circle), author)
    assert delete_comment(gql, None, comment)["errors"][0]["code"] == "UNAUTHENTICATED"
    assert delete_comment(gql, member, comment)["errors"] == [
        {"field": "commentId", "code": "FORBIDDEN", "message": "你不能删除这条评论。"}
    ]
    private = make_circle(veteran(), visibility="PRIVATE")
    hidden = make_comment(make_post(circle=private))
    assert delete_comment(gql, member, hidden)["errors"][0]["code"] == "NOT_FOUND"
    comment.refresh_from_db()
    assert comment.status == ContentStatus.PUBLISHED


def test_revisions_on_a_page_of_comments_take_constant_queries(gql, brand_staff, django_assert_max_num_queries):
    post = make_post()
    for index in range(12):
        comment = make_comment(post, body=f"评论{index}")
        CommentRevision.objects.create(comment=comment, body="旧", status="PUBLISHED")
    PostRevision.objects.create(post=post, body="旧", status="PUBLISHED")
    query = (
        "query($id: ID!, $n: Int) { post(id: $id) { revisions { body } "
        "comments(first: $n) { edges { node { revisions { body } } } } } }"
    )
    with django_assert_max_num_queries(30) as small:
        gql(query, {"id": gid(post), "n": 2}, user=brand_staff)
    with django_assert_max_num_queries(len(small.captured_queries)):
        result = gql(query, {"id": gid(post), "n": 12}, user=brand_staff)
    assert len(result["data"]["post"]["comments"]["edges"]) == 12
    assert Post.objects.get(pk=post.pk).comment_count == 12


def test_brand_staff_see_previous_versions_in_admin(client, brand_staff):
    from community.content import services as content_services

    author = veteran()
    post = make_post(author, body="改之前的正文")
    content_services.update_post(user=author, post_id=post.pk, body="改之后的正文")
    brand_staff.is_staff = True
    brand_staff.is_superuser = True
    brand_staff.save()
    client.force_login(brand_staff)
    page = client.get(f"/admin/content/post/{post.pk}/change/")
    assert page.status_code == 200
    assert "改之前的正文" in page.content.decode()


def test_the_demo_edits_a_post_and_moves_an_event_with_a_cover(db):
    from community.content.editing_demo import edit_a_post_and_an_event
    from events.models import Event
    from tests.events.factories import make_event

    post = make_post(veteran())
    event = make_event()
    notes = edit_a_post_and_an_event()
    assert len(notes) == 2
    assert PostRevision.objects.filter(post=post).count() == 1
    event = Event.objects.get(pk=event.pk)
    assert event.address == "南山一棵树观景台停车场" and event.cover


def test_a_muted_author_may_still_delete_their_comment_but_not_edit_it(gql):
    author = veteran()
    comment = make_comment(make_post(), author)
    Mute.objects.create(user=author, until=timezone.now() + timedelta(days=3))
    assert edit_comment(gql, author, comment, "禁言中改")["errors"][0]["code"] == "MUTED"
    assert delete_comment(gql, author, comment)["errors"] == []
    assert Comment.objects.get(pk=comment.pk).status == ContentStatus.DELETED
