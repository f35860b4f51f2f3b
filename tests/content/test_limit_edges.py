"""Every limit of posting and commenting at exactly its value and one past it: a moment's and an article's
length, a title's, the number of photos, and a comment's length. One past is INVALID on its field, with
nothing written."""

from __future__ import annotations

import pytest

from community.content import services
from community.content.models import Comment, Post
from community.content.services import MAX_ARTICLE_CHARS, MAX_COMMENT_CHARS, MAX_MOMENT_CHARS, MAX_POST_IMAGES
from community.kernel.errors import ServiceError
from tests.content.helpers import veteran
from tests.images import png_bytes, upload

pytestmark = pytest.mark.django_db

TITLE_MAX = 120


def refused(call, field: str) -> None:
    with pytest.raises(ServiceError) as error:
        call()
    assert [(e.code, e.field) for e in error.value.errors] == [("INVALID", field)]


@pytest.fixture
def author():
    return veteran()


def test_a_moment_of_exactly_the_maximum_length_and_one_past(author):
    assert len(services.create_post(user=author, body="车" * MAX_MOMENT_CHARS).body) == MAX_MOMENT_CHARS
    refused(lambda: services.create_post(user=author, body="车" * (MAX_MOMENT_CHARS + 1)), "body")
    assert Post.objects.count() == 1


def test_an_article_of_exactly_the_maximum_length_and_one_past(author):
    article = services.create_post(user=author, kind="ARTICLE", title="提车记", body="文" * MAX_ARTICLE_CHARS)
    assert len(article.body) == MAX_ARTICLE_CHARS
    refused(
        lambda: services.create_post(user=author, kind="ARTICLE", title="提车记", body="文" * (MAX_ARTICLE_CHARS + 1)),
        "body",
    )


def test_a_title_of_exactly_the_maximum_length_and_one_past(author):
    assert (
        len(services.create_post(user=author, kind="ARTICLE", title="题" * TITLE_MAX, body="正文").title) == TITLE_MAX
    )
    refused(
        lambda: services.create_post(user=author, kind="ARTICLE", title="题" * (TITLE_MAX + 1), body="正文"), "title"
    )


def test_exactly_the_maximum_number_of_photos_and_one_more(author, settings):
    photos = lambda n: [upload(f"{i}.png", png_bytes(size=(8, 8), color=(i, 2, 3))) for i in range(n)]  # noqa: E731
    post = services.create_post(user=author, body="九宫格", images=photos(MAX_POST_IMAGES))
    assert post.images.count() == MAX_POST_IMAGES
    refused(lambda: services.create_post(user=author, body="十张", images=photos(MAX_POST_IMAGES + 1)), "images")
    assert Post.objects.count() == 1


def test_a_comment_of_exactly_the_maximum_length_and_one_past(author):
    post = services.create_post(user=author, body="今天提车了")
    assert (
        len(services.add_comment(user=author, post_id=post.pk, body="评" * MAX_COMMENT_CHARS).body) == MAX_COMMENT_CHARS
    )
    refused(lambda: services.add_comment(user=author, post_id=post.pk, body="评" * (MAX_COMMENT_CHARS + 1)), "body")
    assert Comment.objects.count() == 1
