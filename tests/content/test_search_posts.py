"""Searching posts: substring matches in Chinese, visible posts only, title hits first, paged, checked queries."""

from datetime import timedelta

from django.utils import timezone

from community.kernel.search import SEARCH_QUERY_MAX_LENGTH
from community.kernel.statuses import ContentStatus
from tests.content.helpers import make_circle, make_post, veteran
from tests.factories import UserFactory
from tests.helpers import data_of, gid

SEARCH = """
query($query: String!, $first: Int, $after: String) {
  searchPosts(query: $query, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id title body author { nickname } circle { name } } }
  }
}"""


def at(minutes_ago):
    return timezone.now() - timedelta(minutes=minutes_ago)


def found(gql, query, user=None, **variables):
    return [
        edge["node"]["id"]
        for edge in data_of(gql(SEARCH, {"query": query, **variables}, user=user), "searchPosts")["edges"]
    ]


def test_a_substring_of_chinese_text_finds_the_post_even_one_character_long(gql):
    post = make_post(body="周末去南山看夜景，顺便洗车")
    make_post(body="今天保养了发动机")
    assert found(gql, "南山看夜景") == [gid(post)]
    assert found(gql, "南山") == [gid(post)]
    assert found(gql, "洗") == [gid(post)]
    assert found(gql, "自驾") == []


def test_latin_text_matches_whatever_the_case(gql):
    post = make_post(title="UNI-K 提车作业", body="新车到了")
    assert found(gql, "uni-k") == [gid(post)]


def test_title_hits_come_before_body_hits_then_newest_first(gql):
    old_body_hit = make_post(body="自驾游路线分享", created_at=at(30))
    new_body_hit = make_post(body="下周自驾游，谁一起", created_at=at(10))
    title_hit = make_post(title="自驾游攻略", body="川西线路", created_at=at(60))
    assert found(gql, "自驾游") == [gid(title_hit), gid(new_body_hit), gid(old_body_hit)]


def test_a_private_circle_post_is_found_by_members_only(gql):
    host, member, stranger = veteran(), veteran(), veteran()
    private = make_circle(host, visibility="PRIVATE", members=[member])
    secret = make_post(host, circle=private, body="内部团购价格表")
    assert found(gql, "团购价格", user=member) == [gid(secret)]
    assert found(gql, "团购价格", user=stranger) == []
    assert found(gql, "团购价格") == []


def test_hidden_deleted_and_others_held_posts_are_never_found(gql):
    author, viewer = veteran(), veteran()
    make_post(author, body="违规广告内容", status=ContentStatus.HIDDEN)
    make_post(author, body="违规广告内容", status=ContentStatus.DELETED)
    held = make_post(author, body="违规广告内容", status=ContentStatus.PENDING_REVIEW)
    assert found(gql, "违规广告", user=viewer) == []
    assert found(gql, "违规广告") == []
    assert found(gql, "违规广告", user=author) == [gid(held)]  # one's own held post, as in the feed


def test_pages_follow_the_ranking_without_gaps_or_repeats(gql):
    posts = [make_post(title="提车" if i % 3 == 0 else "", body=f"提车第{i}天", created_at=at(i)) for i in range(7)]
    seen, after = [], None
    while True:
        page = data_of(gql(SEARCH, {"query": "提车", "first": 2, "after": after}), "searchPosts")
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(gid(p) for p in posts)
    assert len(seen) == len(set(seen))
    assert seen == found(gql, "提车", first=10)


def test_empty_or_too_long_queries_are_refused_with_a_code_and_a_translated_message(gql):
    blank = gql(SEARCH, {"query": "   "})
    assert blank["errors"][0]["extensions"] == {"code": "INVALID", "field": "query"}
    assert blank["errors"][0]["message"] == "请输入要搜索的内容。"
    long = gql(SEARCH, {"query": "长" * (SEARCH_QUERY_MAX_LENGTH + 1)}, language="en")
    assert long["errors"][0]["extensions"]["code"] == "INVALID"
    assert long["errors"][0]["message"] == f"A search can be at most {SEARCH_QUERY_MAX_LENGTH} characters."


def test_search_queries_do_not_grow_with_the_page(gql, django_assert_max_num_queries):
    viewer = veteran()
    circle = make_circle(veteran(), members=[viewer])

    def add_posts(n):
        for _ in range(n):
            make_post(UserFactory(), circle=circle, body="南山夜景打卡")

    add_posts(3)
    token = gql.token_for(viewer)
    with django_assert_max_num_queries(20) as small:
        data_of(gql(SEARCH, {"query": "夜景", "first": 50}, token=token), "searchPosts")
    add_posts(47)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = data_of(gql(SEARCH, {"query": "夜景", "first": 50}, token=token), "searchPosts")
    assert len(page["edges"]) == 50
