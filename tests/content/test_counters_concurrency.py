"""Like and comment counters stay exact under 30 threads with their own PostgreSQL connections."""

import threading

import pytest
from django.db import connection

from community.content import services as content_services
from community.content.models import Comment, Like, Post
from tests.content.helpers import make_post, veteran

THREADS = 30


def run_in_threads(work, args_list):
    barrier = threading.Barrier(len(args_list))
    errors = []

    def runner(args):
        try:
            barrier.wait(timeout=30)
            work(*args)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(args,)) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_likes_from_30_threads_and_double_taps_count_exactly():
    post = make_post(veteran())
    fans = [veteran() for _ in range(THREADS // 2)]
    # Every fan taps twice at once: 30 requests, 15 likes.
    errors = run_in_threads(lambda fan: content_services.like_post(user=fan, post_id=post.pk), [(f,) for f in fans * 2])
    assert errors == []
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

    errors = run_in_threads(act, list(enumerate(fans)))
    assert errors == []
    post.refresh_from_db()
    assert post.like_count == Like.objects.filter(post=post).count() == 10
    assert post.comment_count == Comment.objects.filter(post=post, status="PUBLISHED").count() == 10
    assert Post.objects.get(pk=post.pk).like_count == 10
