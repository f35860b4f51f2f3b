"""Search latency over many posts on PostgreSQL: `searchPosts` and `searchUsers` through the GraphQL view.

    .venv/bin/python bench/search.py [--posts 100000 --users 10000 --rounds 40]

Seeds its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/community_search_bench;
skipped when the posts are there) with posts of varied Chinese text, a fifth of them in private
circles and some hidden, then runs the GraphQL view in this process (no server: the figure is the
query's cost, parsing and serialising included) for queries of one to six characters, rare and
common, signed in and anonymous. The phases are interleaved (each round runs every query once)
so a burst of load from elsewhere spreads over all of them. Prints p50/p95/p99 per query, the
matches, the SQL plan's index use, and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from datetime import timedelta

import harness  # bench/harness.py, beside this script; it puts the project on sys.path

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/community_search_bench"

WORDS = [
    "周末",
    "南山",
    "夜景",
    "自驾",
    "川西",
    "洗车",
    "保养",
    "发动机",
    "油耗",
    "提车",
    "欧尚",
    "车友",
    "聚会",
    "露营",
    "路线",
    "高速",
    "服务区",
    "轮胎",
    "机油",
    "空调",
    "导航",
    "车机",
    "音响",
    "内饰",
    "座椅",
    "后备箱",
    "充电",
    "续航",
    "停车",
    "违章",
    "年检",
    "保险",
    "团购",
    "价格",
    "重庆",
    "成都",
    "火锅",
    "拍照",
    "打卡",
    "摄影",
    "日落",
    "山路",
    "隧道",
    "雨天",
    "雪地",
    "越野",
    "改装",
    "贴膜",
    "行车记录仪",
    "新手",
    "老司机",
    "分享",
    "攻略",
]

POSTS_QUERY = """
query($query: String!) { searchPosts(query: $query, first: 20) {
  edges { node { id title likeCount author { nickname } circle { name } } } } }"""
USERS_QUERY = """
query($query: String!) { searchUsers(query: $query, first: 20) { edges { node { id nickname } } } }"""


def seed(posts: int, users: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from circles.models import Circle, Membership
    from community.content.models import Post
    from community.models import User

    if Post.objects.count() >= posts:
        print(f"seed: {Post.objects.count()} posts already there, skipping")
        return
    rng = random.Random(14)
    now = timezone.now()
    started = time.monotonic()
    with transaction.atomic():
        User.objects.bulk_create(
            [
                User(username=f"search{i:05d}", nickname=f"{rng.choice(WORDS)}{rng.choice(WORDS)}{i}", password="!")
                for i in range(users)
            ],
            batch_size=5000,
        )
        user_ids = list(User.objects.filter(username__startswith="search").values_list("pk", flat=True))
        Circle.objects.bulk_create(
            [
                Circle(
                    name=f"搜索圈{i:02d}",
                    description="bench",
                    kind="CITY",
                    city="重庆",
                    join_policy="OPEN",
                    visibility="PRIVATE" if i % 5 == 0 else "PUBLIC",
                    status="ACTIVE",
                    created_by_id=user_ids[i],
                )
                for i in range(50)
            ]
        )
        circle_ids = list(Circle.objects.filter(name__startswith="搜索圈").values_list("pk", flat=True))
        Membership.objects.bulk_create(
            [
                Membership(circle_id=c, user_id=user_ids[i], role="HOST", status="ACTIVE", joined_at=now)
                for i, c in enumerate(circle_ids)
            ]
            + [
                Membership(circle_id=rng.choice(circle_ids), user_id=u, role="MEMBER", status="ACTIVE", joined_at=now)
                for u in user_ids[50:]
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
    for start in range(0, posts, 5000):
        rows = []
        for i in range(start, min(posts, start + 5000)):
            body = "，".join("".join(rng.sample(WORDS, k=rng.randint(2, 4))) for _ in range(rng.randint(3, 12)))
            rows.append(
                Post(
                    author_id=rng.choice(user_ids),
                    circle_id=rng.choice(circle_ids) if rng.random() < 0.4 else None,
                    kind="ARTICLE" if rng.random() < 0.3 else "MOMENT",
                    title="".join(rng.sample(WORDS, k=3)) if rng.random() < 0.3 else "",
                    body=f"{body}。第{i}条",
                    status="HIDDEN" if rng.random() < 0.02 else "PUBLISHED",
                    created_at=now - timedelta(minutes=rng.randint(0, 180 * 24 * 60)),
                )
            )
        Post.objects.bulk_create(rows, batch_size=5000)
    print(f"seed: {users} users, {posts} posts ({time.monotonic() - started:.0f}s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    harness.print_load("load average before")
    harness.ensure_database(database_url)
    harness.setup_django(database_url, DEBUG="0", CELERY_TASK_ALWAYS_EAGER="1")

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from community.accounts.services import issue_token
    from community.content.models import Post
    from community.content.selectors import search_posts_page, visible_posts
    from community.models import User

    call_command("migrate", verbosity=0)
    seed(args.posts, args.users)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE community_post")
        cursor.execute("ANALYZE community_user")
    viewer = User.objects.filter(username="search00100").get()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(viewer)}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    cases = [
        ("posts 1 char", client, POSTS_QUERY, "雪"),
        ("posts 2 chars common", client, POSTS_QUERY, "洗车"),
        ("posts 2 chars anonymous", anonymous, POSTS_QUERY, "夜景"),
        ("posts 4 chars", client, POSTS_QUERY, "川西露营"),
        ("posts 6 chars rare", client, POSTS_QUERY, "第12345条"),
        ("posts no match", client, POSTS_QUERY, "比亚迪"),
        ("users 2 chars", client, USERS_QUERY, "火锅"),
        ("users 4 chars", client, USERS_QUERY, "火锅摄影"),
    ]

    def run(case) -> float:
        _label, http, document, query = case
        started = time.perf_counter()
        response = http.post(
            "/graphql/", json.dumps({"query": document, "variables": {"query": query}}), content_type="application/json"
        )
        elapsed = (time.perf_counter() - started) * 1000
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        return elapsed

    for case in cases:  # warm caches and the document cache
        run(case)
    timings: dict[str, list[float]] = {case[0]: [] for case in cases}
    for _round in range(args.rounds):
        for case in cases:
            timings[case[0]].append(run(case))
    total = Post.objects.count()
    print(f"{total} posts, {User.objects.count()} users; {args.rounds} rounds, interleaved")
    print(f"{'query':26} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for label, _http, document, query in cases:
        if document is POSTS_QUERY:
            who = viewer if _http is client else None
            matches = visible_posts(who).filter(Q(title__icontains=query) | Q(body__icontains=query)).count()
        else:
            matches = User.objects.filter(is_active=True, nickname__icontains=query).count()
        values = timings[label]
        print(
            f"{label:26} {matches:>8} {harness.percentile(values, 0.5):>8.1f} "
            f"{harness.percentile(values, 0.95):>8.1f} {harness.percentile(values, 0.99):>8.1f}"
        )
    for query in ("洗车", "川西露营", "比亚迪"):
        with CaptureQueriesContext(connection) as captured:
            search_posts_page(viewer, query, limit=20)
        plans = []
        for captured_query in captured.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + captured_query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            used = [name for name in ("post_title_trgm_idx", "post_body_trgm_idx", "post_recency_idx") if name in plan]
            plans.append("+".join(used) or "sequential scan")
        print(f"plans for {query!r} (title branch, body branch): {', '.join(plans)}")
    harness.print_load("load average after")


if __name__ == "__main__":
    main()
