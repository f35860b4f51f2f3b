"""The feed under load: GraphQL `feed(first: 20)` against the stack's physical floor, on one server.

    .venv/bin/python bench/feed.py [--posts 100000 --users 10000 --requests 1500 --concurrency 4 --rounds 3]

Seeds PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/community_bench;
seeding is skipped when the data is already there), starts one daphne process with the
benchmark's settings (bench/settings.py), and measures three endpoints in interleaved rounds:
GraphQL; the floor (the very SQL statements the GraphQL request runs, replayed raw and encoded with
the C JSON encoder: bench/views.py `feed_floor`); and a plain view written with the ORM. For each:
requests per second, latency p50/p99, the server process's CPU per request (from /proc, divided by
the requests made) and SQL queries per request (the X-Query-Count header); then GraphQL against the
floor. It also checks that the GraphQL query count does not change with the page size.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import harness  # bench/harness.py, beside this script; it puts the project on sys.path

ROOT = harness.ROOT
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/community_bench"

FEED_QUERY = """
query Feed($first: Int) {
  feed(first: $first) {
    edges { node {
      id likeCount commentCount viewerHasLiked
      author { nickname avatarUrl level }
      circle { name }
      images { url thumbnailUrl width height }
      comments(first: 3) { edges { node { body author { nickname } } } }
    } }
  }
}"""


def seed(posts: int, users: int, circles: int) -> None:
    """Bulk rows shaped like the product's: follows, memberships, photos, comments, likes."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.utils import timezone
    from PIL import Image

    from circles.models import Circle, Membership
    from community.content.models import Comment, Like, Post, PostImage
    from community.models import Follow, User

    if Post.objects.count() >= posts:
        print(f"seed: {Post.objects.count()} posts already there, skipping")
        return
    rng = random.Random(7)
    started = time.monotonic()
    now = timezone.now()
    image = Image.new("RGB", (800, 600), (30, 120, 200))
    import io

    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    photo = default_storage.save("bench/photo.jpg", ContentFile(buffer.getvalue()))
    with transaction.atomic():
        User.objects.bulk_create(
            [User(username=f"bench{i:05d}", nickname=f"车友{i:05d}", city="重庆", password="!") for i in range(users)],
            batch_size=5000,
        )
        user_ids = list(User.objects.filter(username__startswith="bench").values_list("pk", flat=True))
        Circle.objects.bulk_create(
            [
                Circle(
                    name=f"测试圈{i:03d}",
                    description="bench",
                    kind="CITY",
                    city="重庆",
                    join_policy="OPEN",
                    visibility="PUBLIC" if i % 5 else "PRIVATE",
                    status="ACTIVE",
                    created_by_id=user_ids[i],
                )
                for i in range(circles)
            ],
            batch_size=1000,
        )
        circle_ids = list(Circle.objects.filter(name__startswith="测试圈").values_list("pk", flat=True))
        memberships, member_of = [], {}
        for index, circle_id in enumerate(circle_ids):
            memberships.append(
                Membership(circle_id=circle_id, user_id=user_ids[index], role="HOST", status="ACTIVE", joined_at=now)
            )
            member_of.setdefault(user_ids[index], []).append(circle_id)
        for user_id in user_ids[circles:]:
            for circle_id in rng.sample(circle_ids, k=rng.randint(1, 3)):
                memberships.append(
                    Membership(circle_id=circle_id, user_id=user_id, role="MEMBER", status="ACTIVE", joined_at=now)
                )
                member_of.setdefault(user_id, []).append(circle_id)
        Membership.objects.bulk_create(memberships, batch_size=5000)
        follows = set()
        for user_id in user_ids:
            for followee in rng.sample(user_ids, k=20):
                if followee != user_id:
                    follows.add((user_id, followee))
        Follow.objects.bulk_create([Follow(follower_id=a, followee_id=b) for a, b in follows], batch_size=10000)
    print(
        f"seed: {users} users, {circles} circles, {len(memberships)} memberships, {len(follows)} follows "
        f"({time.monotonic() - started:.0f}s)"
    )
    batch = 5000
    for start in range(0, posts, batch):
        with transaction.atomic():
            rows = []
            for i in range(start, min(posts, start + batch)):
                author = rng.choice(user_ids)
                circle = rng.choice(member_of[author]) if rng.random() < 0.4 else None
                rows.append(
                    Post(
                        author_id=author,
                        circle_id=circle,
                        kind="MOMENT",
                        body=f"第{i}条动态，周末出发！",
                        created_at=now - timedelta(minutes=rng.randint(0, 90 * 24 * 60)),
                        like_count=rng.randint(0, 30),
                        comment_count=0,
                    )
                )
            created = Post.objects.bulk_create(rows, batch_size=batch)
            images, comments = [], []
            for post in created:
                if rng.random() < 0.3:
                    images += [
                        PostImage(post=post, position=p, image=photo, width=800, height=600)
                        for p in range(rng.randint(1, 3))
                    ]
                for _c in range(rng.choice((0, 1, 2, 4))):
                    comments.append(
                        Comment(
                            post=post,
                            author_id=rng.choice(user_ids),
                            body="好车！",
                            created_at=post.created_at + timedelta(minutes=rng.randint(1, 600)),
                        )
                    )
            PostImage.objects.bulk_create(images, batch_size=batch)
            Comment.objects.bulk_create(comments, batch_size=batch)
        print(f"seed: {min(posts, start + batch)}/{posts} posts ({time.monotonic() - started:.0f}s)", flush=True)
    with transaction.atomic():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE community_post p SET comment_count = c.n FROM "
                "(SELECT post_id, COUNT(*) n FROM community_comment GROUP BY post_id) c WHERE c.post_id = p.id"
            )
        viewer = User.objects.get(username="bench00000")
        liked = Post.objects.filter(author_id__in=Follow.objects.filter(follower=viewer).values("followee_id"))[:200]
        Like.objects.bulk_create([Like(post=p, user=viewer) for p in liked], ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a live database
    print(f"seed: done in {time.monotonic() - started:.0f}s")


def start_server(database_url: str, media_root: Path) -> tuple[subprocess.Popen, int]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": harness.BENCH_SETTINGS,
        "DEBUG": "0",
        "MEDIA_ROOT": str(media_root),
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
    }
    env.pop("REDIS_URL", None)
    return harness.start_daphne(env)


def server_cpu_seconds(pid: int) -> float:
    """User and system CPU the server process has used so far (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def request(conn, method, path, body, token):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {payload[:300]!r}")
    return elapsed, int(response.getheader("X-Query-Count", "0")), payload


def load(port, method, path, body, token, requests, concurrency):
    latencies, queries, errors = [], [], []
    per_worker = requests // concurrency
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local_lat, local_q = [], []
        try:
            for _ in range(per_worker):
                elapsed, count, _payload = request(conn, method, path, body, token)
                local_lat.append(elapsed)
                local_q.append(count)
        except Exception as error:
            errors.append(error)
        with lock:
            latencies.extend(local_lat)
            queries.extend(local_q)

    wall = harness.run_threads(worker, concurrency)
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
        "queries": statistics.mean(queries) if queries else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--circles", type=int, default=100)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--first", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    harness.print_load()

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    media_root = ROOT / "bench" / "results" / "media"
    media_root.mkdir(parents=True, exist_ok=True)
    harness.ensure_database(database_url)
    harness.setup_django(database_url, MEDIA_ROOT=str(media_root))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed(args.posts, args.users, args.circles)

    from community.accounts import services as account_services
    from community.models import User

    viewer = User.objects.get(username="bench00000")
    token = account_services.issue_token(viewer)
    from django.db import connections

    connections.close_all()
    server, port = start_server(database_url, media_root)
    try:
        graphql_body = lambda first: json.dumps({"query": FEED_QUERY, "variables": {"first": first}})  # noqa: E731
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        _t, _q, payload = request(conn, "POST", "/graphql/", graphql_body(args.first), token)
        result = json.loads(payload)
        assert "errors" not in result, result["errors"]
        edges = result["data"]["feed"]["edges"]
        plain = json.loads(request(conn, "GET", f"/bench/feed.json?first={args.first}", None, token)[2])["feed"]
        assert len(plain) == len(edges) == args.first, "the two endpoints disagree"
        sizes = {first: request(conn, "POST", "/graphql/", graphql_body(first), token)[1] for first in (5, 20, 50)}
        print(f"graphql queries per request by page size: {sizes}")
        floor_body = graphql_body(args.first)
        request(conn, "POST", "/bench/feed-floor.json", floor_body, token)  # records the statements once
        endpoints = {
            f"graphql feed(first:{args.first})": ("POST", "/graphql/", graphql_body(args.first)),
            "raw SQL floor": ("POST", "/bench/feed-floor.json", floor_body),
            "plain ORM view": ("GET", f"/bench/feed.json?first={args.first}", None),
        }
        for method, path, body in endpoints.values():  # warm every path
            for _ in range(30):
                request(conn, method, path, body, token)
        totals = {name: [] for name in endpoints}
        per_round = max(args.concurrency, args.requests // args.rounds)
        for _round in range(args.rounds):  # interleaved: a burst of load from elsewhere spreads over all
            for name, (method, path, body) in endpoints.items():
                before = server_cpu_seconds(server.pid)
                row = load(port, method, path, body, token, per_round, args.concurrency)
                row["cpu_s"] = server_cpu_seconds(server.pid) - before
                totals[name].append(row)
        harness.print_load("load average after")
        print(
            f"{'endpoint':<24}{'requests':>9}{'errors':>7}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
            f"{'server CPU ms/req':>19}{'queries':>8}"
        )
        summary = {}
        for name, rows in totals.items():
            requests_made = sum(r["requests"] for r in rows)
            summary[name] = {
                "rps": statistics.mean(r["rps"] for r in rows),
                "cpu_ms": 1000 * sum(r["cpu_s"] for r in rows) / max(1, requests_made),
            }
            print(
                f"{name:<24}{requests_made:>9}{sum(r['errors'] for r in rows):>7}{summary[name]['rps']:>8.1f}"
                f"{statistics.median(r['p50_ms'] for r in rows):>8.1f}{max(r['p99_ms'] for r in rows):>8.1f}"
                f"{summary[name]['cpu_ms']:>19.1f}{statistics.mean(r['queries'] for r in rows):>8.1f}"
            )
        graphql, floor = summary[f"graphql feed(first:{args.first})"], summary["raw SQL floor"]
        print(
            f"graphql/floor: throughput {graphql['rps'] / floor['rps']:.2f} (goal >= 0.5), "
            f"server CPU {graphql['cpu_ms'] / floor['cpu_ms']:.2f}x; graphql CPU per request "
            f"{graphql['cpu_ms']:.1f} ms (goal <= 15); queries constant in page size: {len(set(sizes.values())) == 1}"
        )
    finally:
        harness.stop(server)


if __name__ == "__main__":
    main()
