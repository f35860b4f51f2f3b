"""Like and comment counters stay exact under 30 threads with their own PostgreSQL connections."""

import pytest

from community.content import services as content_services
from community.content.models import Comment, Like, Post
from tests.circles.factories import make_circle
from tests.content.helpers import make_post, veteran
from tests.helpers import at_once

THREADS = 30


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_likes_from_30_threads_and_double_taps_count_exactly():
    post = make_post(veteran())
    fans = [veteran() for _ in range(THREADS // 2)]
    # Every fan taps twice at once: 30 requests, 15 likes.
    outcomes = at_once([lambda fan=fan: content_services.like_post(user=fan, post_id=post.pk) for fan in fans * 2])
    assert (outcomes.refusals, outcomes.crashes) == ([], [])
    post.refresh_from_db()
    assert post.like_count == Like.objects.filter(post=post).count() == len(fans)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_likes_unlikes_and_comments_at_once_keep_both_counters_exact():
    post = make_post(veteran())
    fans = [veteran() for _ in range(THREADS)]
    for fan in fans[:10]:
        content_services.like_post(user=fan, post_id=post.pk)

    def act(index, fan):
        if index < 10:
            content_services.unlike_post(user=fan, post_id=post.pk)
        elif index < 20:
            content_services.like_post(user=fan, post_id=post.pk)
        else:
            content_services.add_comment(user=fan, post_id=post.pk, body=f"第{index}楼")

    outcomes = at_once([lambda i=i, fan=fan: act(i, fan) for i, fan in enumerate(fans)])
    assert (outcomes.refusals, outcomes.crashes) == ([], [])
    post.refresh_from_db()
    assert post.like_count == Like.objects.filter(post=post).count() == 10
    assert post.comment_count == Comment.objects.filter(post=post, status="PUBLISHED").count() == 10
    assert Post.objects.get(pk=post.pk).like_count == 10


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_comments_deleted_edited_and_added_at_once_keep_the_count_exact():
    """30 threads: authors delete their comments (some twice at once), a host deletes a thread with its
    replies while members reply to it, others comment and edit; the count is the published comments."""
    members = [veteran() for _ in range(THREADS)]
    circle = make_circle(members=members)
    host = circle.created_by
    post = make_post(host, circle=circle)
    mine = [content_services.add_comment(user=m, post_id=post.pk, body="先占楼") for m in members[:10]]
    thread = content_services.add_comment(user=members[10], post_id=post.pk, body="这楼要被删")
    for m in members[11:15]:
        content_services.add_comment(user=m, post_id=post.pk, body="回复", parent_id=thread.pk)

    def act(index, member):
        if index < 10:  # the author deletes, and the host deletes the same comment at once for half of them
            content_services.delete_comment(user=member, comment_id=mine[index].pk)
        elif index < 15:
            content_services.delete_comment(user=host, comment_id=mine[index - 10].pk)
        elif index == 15:
            content_services.delete_comment(user=host, comment_id=thread.pk)
        elif index < 20:
            try:
                content_services.add_comment(user=member, post_id=post.pk, body="跟帖", parent_id=thread.pk)
            except Exception as error:  # the thread may already be gone: NOT_FOUND, nothing written
                assert getattr(error, "errors", [None])[0].code == "NOT_FOUND"
        elif index < 25:
            content_services.add_comment(user=member, post_id=post.pk, body=f"第{index}楼")
        else:
            content_services.update_comment(user=members[index - 25], comment_id=mine[index - 25].pk, body="改了")

    outcomes = at_once([lambda i=i, member=member: act(i, member) for i, member in enumerate(members)])
    # An edit that lost the race to its deletion is refused (CLOSED or NOT_FOUND); nothing else may fail.
    assert outcomes.crashes == []
    assert all(code in ("CLOSED", "NOT_FOUND") for code in outcomes.codes), outcomes.refusals
    post.refresh_from_db()
    published = Comment.objects.filter(post=post, status="PUBLISHED")
    assert post.comment_count == published.count() == 5
    assert not published.filter(parent_id=thread.pk).exists()
