"""Creating, reading and deleting posts through the API, with who may do what."""

import pytest

from community.content.models import Post
from community.kernel.models import Activity
from community.kernel.statuses import ContentStatus
from community.kernel.verbs import Verb
from tests.content.helpers import make_circle, make_post, veteran
from tests.factories import UserFactory
from tests.helpers import data_of, gid

CREATE = """
mutation($input: CreatePostInput!) {
  createPost(input: $input) {
    post { id kind title body status pinned likeCount commentCount author { nickname } circle { name } images { url } }
    errors { field code message }
  }
}"""
DELETE = "mutation($input: PostIdInput!) { deletePost(input: $input) { post { id status } errors { field code } } }"
POST = "query($id: ID!) { post(id: $id) { id body status } }"


def create(gql, user, **fields):
    return data_of(gql(CREATE, {"input": {"body": "今天提车了，欧尚Z6真香！", **fields}}, user=user), "createPost")


def test_an_owner_posts_a_moment_in_the_square(gql):
    author = veteran()
    result = create(gql, author)
    assert result["errors"] == []
    post = result["post"]
    assert (post["kind"], post["status"], post["circle"], post["title"]) == ("MOMENT", "PUBLISHED", None, None)
    assert Activity.objects.filter(verb=Verb.POST_CREATED, actor=author).count() == 1


def test_articles_need_a_title_and_announcements_need_brand_staff(gql, brand_staff):
    author = veteran()
    article = create(gql, author, kind="ARTICLE")
    assert article["errors"] == [{"field": "title", "code": "INVALID", "message": "文章和公告需要标题。"}]
    ok = create(gql, author, kind="ARTICLE", title="川西自驾攻略")
    assert ok["post"]["title"] == "川西自驾攻略"
    announcement = create(gql, author, kind="ANNOUNCEMENT", title="公告")
    assert announcement["errors"][0]["code"] == "FORBIDDEN"
    official = create(gql, brand_staff, kind="ANNOUNCEMENT", title="欧尚Style 三周年")
    assert official["post"]["kind"] == "ANNOUNCEMENT"


def test_post_refusals_write_nothing(gql, user):
    assert create(gql, None)["errors"][0]["code"] == "UNAUTHENTICATED"
    assert create(gql, user, body="  ")["errors"][0]["field"] == "body"
    assert create(gql, user, body="长" * 2001)["errors"][0]["field"] == "body"
    assert create(gql, user, circleId=gid(UserFactory()))["errors"][0] == {
        "field": "circleId",
        "code": "INVALID",
        "message": "ID 无效。",
    }
    assert create(gql, user, eventId="RXZlbnQ6MQ==")["errors"][0]["code"] == "NOT_FOUND"
    assert not Post.objects.exists()


def test_posting_in_a_circle_needs_membership(gql):
    host, member, outsider = veteran(), veteran(), veteran()
    circle = make_circle(host, members=[member])
    assert create(gql, member, circleId=gid(circle))["post"]["circle"]["name"] == circle.name
    refused = create(gql, outsider, circleId=gid(circle))
    assert refused["errors"][0] == {"field": "circleId", "code": "FORBIDDEN", "message": "只有成员才能在本圈发帖。"}


def test_private_circle_posts_are_invisible_to_outsiders_everywhere(gql):
    host, outsider = veteran(), veteran()
    circle = make_circle(host, visibility="PRIVATE")
    post = make_post(host, circle=circle)
    assert data_of(gql(POST, {"id": gid(post)}, user=outsider), "post") is None
    assert data_of(gql(POST, {"id": gid(post)}), "post") is None
    assert data_of(gql(POST, {"id": gid(post)}, user=host), "post")["id"] == gid(post)
    node = "query($id: ID!) { node(id: $id) { id } }"
    assert data_of(gql(node, {"id": gid(post)}, user=outsider), "node") is None
    feed = "{ feed(first: 20) { edges { node { id } } } }"
    assert data_of(gql(feed, user=outsider), "feed")["edges"] == []
    assert data_of(gql(feed), "feed")["edges"] == []
    circle_posts = "query($id: ID!) { circle(id: $id) { posts(first: 5) { edges { node { id } } } } }"
    result = gql(circle_posts, {"id": gid(circle)}, user=outsider)
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    member_view = data_of(gql(circle_posts, {"id": gid(circle)}, user=host), "circle")
    assert member_view["posts"]["edges"][0]["node"]["id"] == gid(post)


@pytest.mark.parametrize("who", ["author", "host", "brand"])
def test_deleting_by_author_circle_host_or_brand_staff(gql, brand_staff, who):
    host, author = veteran(), veteran()
    circle = make_circle(host, members=[author])
    post = make_post(author, circle=circle)
    actor = {"author": author, "host": host, "brand": brand_staff}[who]
    result = data_of(gql(DELETE, {"input": {"postId": gid(post)}}, user=actor), "deletePost")
    assert result["errors"] == [] and result["post"]["status"] == "DELETED"
    post.refresh_from_db()
    assert post.status == ContentStatus.DELETED  # kept, not removed
    assert data_of(gql(POST, {"id": gid(post)}, user=author), "post") is None
    assert Activity.objects.filter(verb=Verb.POST_DELETED, actor=author).count() == 1


def test_others_cannot_delete(gql):
    author, member = veteran(), veteran()
    circle = make_circle(veteran(), members=[author, member])
    post = make_post(author, circle=circle)
    result = data_of(gql(DELETE, {"input": {"postId": gid(post)}}, user=member), "deletePost")
    assert result["errors"] == [{"field": "postId", "code": "FORBIDDEN"}]
    anonymous = data_of(gql(DELETE, {"input": {"postId": gid(post)}}), "deletePost")
    assert anonymous["errors"][0]["code"] == "UNAUTHENTICATED"
    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED


def test_muted_users_cannot_post(gql):
    from datetime import timedelta

    from django.utils import timezone

    from community.models import Mute

    author = veteran()
    Mute.objects.create(user=author, until=timezone.now() + timedelta(days=3))
    result = create(gql, author)
    assert result["errors"][0]["code"] == "MUTED" and "禁言" in result["errors"][0]["message"]


def test_new_accounts_are_rate_limited_with_when_to_retry(gql):
    newcomer = UserFactory()
    for _attempt in range(3):
        assert create(gql, newcomer)["errors"] == []
    refused = create(gql, newcomer)
    assert refused["errors"][0]["code"] == "RATE_LIMITED"
    retry = gql('mutation { createPost(input: {body: "再发一条"}) { errors { code retryAfter } } }', user=newcomer)
    assert 0 < retry["data"]["createPost"]["errors"][0]["retryAfter"] <= 3600
    assert "秒后重试" in refused["errors"][0]["message"]
    assert Post.objects.filter(author=newcomer).count() == 3


def test_brand_staff_pin_announcements_only(gql, brand_staff):
    announcement = make_post(brand_staff, kind="ANNOUNCEMENT", title="公告")
    moment = make_post()
    pin = "mutation($input: SetPostPinnedInput!) { setPostPinned(input: $input) { post { pinned } errors { code } } }"
    assert (
        data_of(gql(pin, {"input": {"postId": gid(announcement), "pinned": True}}, user=brand_staff), "setPostPinned")[
            "post"
        ]["pinned"]
        is True
    )
    assert (
        data_of(gql(pin, {"input": {"postId": gid(moment), "pinned": True}}, user=brand_staff), "setPostPinned")[
            "errors"
        ][0]["code"]
        == "INVALID"
    )
    assert (
        data_of(gql(pin, {"input": {"postId": gid(announcement), "pinned": False}}, user=veteran()), "setPostPinned")[
            "errors"
        ][0]["code"]
        == "FORBIDDEN"
    )
