"""A sign-up burst: many owners pressing "sign up" for one popular event at the same second.

    .venv/bin/python bench/signup_burst.py [--signups 1000 --clients 100 --capacity 100 --max-guests 3]

Against a live daphne process set up as in production: PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/community_bench_events, created and migrated if needed) through a
pool of `--pool` connections (DB_POOL_MAX_SIZE, default 32), Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/12)
for the channel layer, cache and Celery broker, and a real Celery worker (`--worker-concurrency`, as the
Procfile's) consuming the activity stream while the burst runs, as in production:

1. `--clients` concurrent HTTP clients (threads, one keep-alive connection each, loopback only) send
   `--signups` signUpForEvent mutations in total, each a different owner with 0 to `--max-guests` guests
   at random, for one event of `--capacity` seats. Printed: requests, errors, sign-ups per second,
   latency p50/p99, confirmed seats, waitlist length, and how many seats were oversold (from the rows,
   not from the counters, which are checked against the rows too). Arrival order at the burst's end:
   nobody waitlisted fits in the seats left, and nobody seated arrived after someone waitlisted unless
   they needed fewer seats. The consumer lag: from the burst's end until every activity the burst
   recorded has had all its consumers (ties, points, notifications, scores) applied (`dispatched_at`),
   target at most 10 s.
2. The same clients cancel a random third of the sign-ups at once; then the waitlist is checked: nobody
   still waiting fits in the seats left, and nobody promoted arrived after someone still waiting unless
   they needed fewer seats (the skip-and-continue rule), i.e. promotion kept arrival order.
3. The same server answers `{ me { id } }` at the same concurrency; the ratio of the sign-up throughput
   to this trivial authenticated query's is printed (target at least 0.5).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta

import harness  # bench/harness.py, beside this script; it puts the project on sys.path

ROOT = harness.ROOT
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/community_bench_events"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
REQUEST_TIMEOUT = 30.0

SIGN_UP = """mutation($input: SignUpForEventInput!) {
  signUpForEvent(input: $input) { signup { id status guests waitlistPosition } errors { code message } }
}"""
CANCEL = """mutation($input: CancelSignupInput!) {
  cancelSignup(input: $input) { signup { id status } errors { code message } }
}"""
ME = "{ me { id } }"


def seed(owners: int, capacity: int, max_guests: int):
    """Owners (made once), a token for each, and a fresh brand-led event for this run."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from community.models import BRAND_GROUP, AuthToken, User
    from events import services

    existing = User.objects.filter(username__startswith="burst").count()
    if existing < owners:
        User.objects.bulk_create(
            [
                User(username=f"burst{i:05d}", nickname=f"抢票车友{i:05d}", city="重庆", password="!")
                for i in range(existing, owners)
            ],
            batch_size=2000,
        )
    users = list(User.objects.filter(username__startswith="burst").order_by("username")[:owners])
    staff, created = User.objects.get_or_create(username="burst-brand", defaults={"nickname": "品牌运营"})
    if created:
        staff.groups.add(Group.objects.get_or_create(name=BRAND_GROUP)[0])
    keys = {user.pk: secrets.token_urlsafe(32) for user in users}
    expires = timezone.now() + timedelta(days=1)
    AuthToken.objects.bulk_create(
        [AuthToken(user_id=pk, key_hash=AuthToken.hash_key(key), expires_at=expires) for pk, key in keys.items()],
        batch_size=2000,
    )
    starts = timezone.now() + timedelta(days=7)
    event = services.create_event(
        user=User.objects.get(pk=staff.pk),
        title=f"欧尚Style 车主节·抢票 {timezone.localtime():%H:%M:%S}",
        description="压测：一场热门活动开放报名的那一秒。",
        kind="MEETUP",
        starts_at=starts,
        ends_at=starts + timedelta(hours=5),
        capacity=capacity,
        max_guests_per_signup=max_guests,
        city="重庆",
        publish=True,
    )
    return event, [keys[user.pk] for user in users]


def forget_queued_activities(redis_url: str) -> None:
    """Drop what is left of the run's tasks on its own Redis database (the worker has stopped)."""
    import redis

    redis.Redis.from_url(redis_url).delete("celery")


def start_worker(env: dict, concurrency: int, log) -> subprocess.Popen:
    """A Celery worker as the Procfile starts it, on the server's database and broker; its log to `log`."""
    celery = str(harness.Path(sys.executable).with_name("celery"))
    return subprocess.Popen(
        [
            *(celery, "-A", "community", "worker", "--loglevel", "WARNING", "--concurrency", str(concurrency)),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def consumer_lag(since, until, timeout: float = 120.0) -> dict:
    """Wait until every activity recorded between `since` and `until` (the burst) is dispatched; the
    seconds from the burst's end until then, as seen by polling (every 0.1 s)."""
    from django.db import connections

    from community.kernel.models import Activity

    burst_activities = Activity.objects.filter(created_at__gte=since, created_at__lte=until)
    total = burst_activities.count()
    ended = time.perf_counter()
    while True:
        left = burst_activities.filter(dispatched_at__isnull=True).count()
        connections.close_all()
        if not left or time.perf_counter() - ended > timeout:
            break
        time.sleep(0.1)
    lag = time.perf_counter() - ended
    return {"activities": total, "undispatched": left, "lag": lag}


def arrival_order_kept(event_id: int) -> tuple[bool, int]:
    """At the burst's end: nobody waitlisted fits in the seats left, and every seated sign-up that arrived
    (id order: sign-ups are numbered under the event's lock) after someone waitlisted needed fewer seats."""
    from events.models import Event, Signup

    event = Event.objects.get(pk=event_id)
    free = event.capacity - event.confirmed_seats
    rows = list(Signup.objects.filter(event=event).order_by("id"))
    waiting = [s for s in rows if s.status == "WAITLISTED"]
    seated = [s for s in rows if s.status in Signup.SEATED]
    fits_but_waits = any(s.seats <= free for s in waiting)
    jumped = any(p.pk > w.pk and p.seats >= w.seats for w in waiting for p in seated)
    return not fits_but_waits and not jumped, len(waiting)


PROFILE = re.compile(r"dispatch profile: (\d+) activities \((\d+) failed\) in (\d+) ms .*?claim (\d+) ms\): (.*)$")


def print_worker_profile(log_path: str) -> None:
    """Where the worker's time went (its `ACTIVITY_PROFILE` lines): batches, activities, milliseconds per
    activity and per consumer, and how many consumer calls failed (deadlocks among them)."""
    batches = activities = failed = 0
    total = claim = 0.0
    consumers: dict[str, float] = {}
    deadlocks = failures = 0
    with open(log_path, errors="replace") as log:
        for line in log:
            if "deadlock detected" in line and "DeadlockDetected" in line:
                deadlocks += 1
            if "activity consumer" in line and "failed" in line:
                failures += 1
            match = PROFILE.search(line)
            if not match:
                continue
            batches += 1
            activities += int(match[1])
            failed += int(match[2])
            total += float(match[3])
            claim += float(match[4])
            for name, ms in re.findall(r"(\S+ \([^)]*\)) (\d+) ms", match[5]):
                consumers[name] = consumers.get(name, 0.0) + float(ms)
    print(
        f"worker: {batches} batches, {activities} activities ({activities / batches if batches else 0:.0f} a batch), "
        f"{total:.0f} ms in batches ({total / activities if activities else 0:.2f} ms an activity, "
        f"claims {claim:.0f} ms); "
        f"{failures} consumer failures, {deadlocks} deadlocks (log: {log_path})"
    )
    for name, ms in sorted(consumers.items(), key=lambda item: -item[1])[:8]:
        print(f"  {name:<70}{ms:>8.0f} ms{ms / activities if activities else 0:>8.2f} ms an activity")


def server_env(database_url: str, redis_url: str, run: str, pool: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        "DB_POOL_MAX_SIZE": str(pool),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CHANNEL_LAYER_PREFIX": f"bench-{run}",
        "CACHE_KEY_PREFIX": f"bench-{run}",
        "RATELIMIT_NAMESPACE": f"bench-{run}",
    }


def post(conn: http.client.HTTPConnection, token: str, query: str, variables: dict | None = None) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}})
    conn.request(
        "POST",
        "/graphql/",
        body=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept-Language": "en"},
    )
    response = conn.getresponse()
    payload = response.read()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {payload[:200]!r}")
    return json.loads(payload)


def burst(port: int, jobs: list, clients: int, perform) -> dict:
    """Run `perform(conn, job)` for every job from `clients` threads at once; latencies and errors."""
    work: queue.Queue = queue.Queue()
    for job in jobs:
        work.put(job)
    latencies: list[float] = []
    errors: list[str] = []
    results: list = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        mine, my_results, my_errors = [], [], []
        barrier.wait(timeout=30)
        while True:
            try:
                job = work.get_nowait()
            except queue.Empty:
                break
            started = time.perf_counter()
            try:
                my_results.append(perform(conn, job))
            except Exception as error:
                my_errors.append(repr(error)[:200])
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)
            results.extend(my_results)
            errors.extend(my_errors)

    wall = harness.run_threads(client, clients, timeout=600)
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall if wall else 0.0,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else 0.0,
        "results": results,
    }


def payload_of(result: dict, field: str) -> dict:
    if result.get("errors"):
        raise RuntimeError(f"GraphQL error: {result['errors'][0].get('message')}")
    payload = result["data"][field]
    if payload["errors"]:
        raise RuntimeError(f"refused: {payload['errors'][0]['code']} {payload['errors'][0]['message']}")
    return payload


def check_seats(event_id: int) -> dict:
    from events.models import Event, Signup

    event = Event.objects.get(pk=event_id)
    rows = Signup.objects.filter(event=event)
    seated = sum(s.seats for s in rows.filter(status__in=Signup.SEATED))
    waiting = rows.filter(status="WAITLISTED").count()
    assert event.confirmed_seats == seated, f"counter {event.confirmed_seats} != rows {seated}"
    assert event.waitlist_count == waiting, f"counter {event.waitlist_count} != rows {waiting}"
    return {
        "confirmed": seated,
        "waitlist": waiting,
        "oversold": max(0, seated - event.capacity),
        "capacity": event.capacity,
    }


def promotion_kept_order(event_id: int, waiting_before: list[int]) -> tuple[bool, int]:
    """Nobody still waiting fits in the free seats, and every promoted sign-up that arrived after someone
    still waiting needed fewer seats than them (skipped only because they did not fit)."""
    from events.models import Event, Signup

    event = Event.objects.get(pk=event_id)
    free = event.capacity - event.confirmed_seats
    rows = {s.pk: s for s in Signup.objects.filter(pk__in=waiting_before)}
    still = [rows[pk] for pk in waiting_before if rows[pk].status == "WAITLISTED"]
    promoted = [rows[pk] for pk in waiting_before if rows[pk].promoted_at is not None]
    fits_but_waits = any(s.seats <= free for s in still)
    jumped = any(p.pk > s.pk and p.seats >= s.seats for s in still for p in promoted)
    return not fits_but_waits and not jumped, len(promoted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signups", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--max-guests", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pool", type=int, default=32, help="the server's PostgreSQL connections (DB_POOL_MAX_SIZE)")
    parser.add_argument("--worker-concurrency", type=int, default=2, help="the Celery worker's processes")
    parser.add_argument("--worker-log", default="", help="where the Celery worker's log goes (a temporary file)")
    args = parser.parse_args()
    harness.print_load()

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    harness.ensure_database(database_url)
    harness.setup_django(database_url, REDIS_URL=None)
    from django.core.management import call_command
    from django.db import connections
    from graphql_relay import to_global_id

    call_command("migrate", verbosity=0)
    event, tokens = seed(args.signups, args.capacity, args.max_guests)
    event_gid = to_global_id("Event", event.pk)
    connections.close_all()
    rng = random.Random(args.seed)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    run = secrets.token_hex(4)
    env = server_env(database_url, redis_url, run, args.pool)
    forget_queued_activities(redis_url)
    log_path = args.worker_log or f"/tmp/signup-burst-worker-{run}.log"
    worker_log = open(log_path, "w")  # noqa: SIM115 (open while the worker runs)
    worker = start_worker(
        {**env, "DB_POOL_MAX_SIZE": "0", "ACTIVITY_PROFILE": "1"}, args.worker_concurrency, worker_log
    )
    try:
        server, port = harness.start_daphne(env)
    except BaseException:
        harness.stop(worker)
        raise
    try:
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        for token in tokens[:50]:
            post(warm, token, ME)
        warm.close()

        def sign_up(conn, job):
            token, guests = job
            variables = {"input": {"eventId": event_gid, "guests": guests}}
            return token, payload_of(post(conn, token, SIGN_UP, variables), "signUpForEvent")["signup"]

        from django.utils import timezone

        jobs = [(token, rng.randint(0, args.max_guests)) for token in tokens]
        burst_started = timezone.now()
        signups = burst(port, jobs, args.clients, sign_up)
        burst_ended = timezone.now()
        seats = check_seats(event.pk)
        arrival_kept, waitlisted = arrival_order_kept(event.pk)
        consumers = consumer_lag(burst_started, burst_ended)
        from events.models import Signup

        waiting_before = list(
            Signup.objects.filter(event=event, status="WAITLISTED").order_by("id").values_list("pk", flat=True)
        )
        by_token = {token: signup for token, signup in signups["results"]}
        leaving = rng.sample(sorted(by_token), k=len(by_token) // 3)

        def cancel(conn, token):
            return payload_of(post(conn, token, CANCEL, {"input": {"eventId": event_gid}}), "cancelSignup")

        cancels = burst(port, leaving, args.clients, cancel)
        after = check_seats(event.pk)
        connections.close_all()
        order_kept, promoted = promotion_kept_order(event.pk, waiting_before)

        me_tokens = [tokens[i % len(tokens)] for i in range(args.signups)]
        trivial = burst(port, me_tokens, args.clients, lambda conn, token: post(conn, token, ME)["data"]["me"]["id"])
    finally:
        for process in (server, worker):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        forget_queued_activities(redis_url)
        worker_log.close()

    print(
        f"one event of {args.capacity} seats, {args.signups} sign-ups (0-{args.max_guests} guests) "
        f"from {args.clients} concurrent clients, one daphne on PostgreSQL (pool of {args.pool}) and Redis, "
        f"a Celery worker ({args.worker_concurrency} processes) consuming; {os.cpu_count()} cores"
    )
    print(f"{'phase':<24}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for name, row in (("signUpForEvent", signups), ("cancelSignup (a third)", cancels), ("{ me { id } }", trivial)):
        print(
            f"{name:<24}{row['requests']:>9}{len(row['errors']):>8}{row['rps']:>9.1f}{row['p50_ms']:>9.1f}"
            f"{row['p99_ms']:>9.1f}"
        )
    for row in (signups, cancels, trivial):
        for error in row["errors"][:3]:
            print("  error:", error)
    print(
        f"after the burst: confirmed seats {seats['confirmed']}/{seats['capacity']}, waitlist {seats['waitlist']}, "
        f"oversold {seats['oversold']}"
    )
    print(f"arrival order at the burst's end ({waitlisted} waitlisted): kept {arrival_kept}")
    print(
        f"consumers: {consumers['activities']} activities recorded by the burst, {consumers['undispatched']} "
        f"undispatched after the wait; all applied {consumers['lag']:.1f} s after the burst's end (target <= 10 s)"
    )
    print(
        f"after the cancellations: confirmed seats {after['confirmed']}/{after['capacity']}, "
        f"waitlist {after['waitlist']}, oversold {after['oversold']}, promoted {promoted}, "
        f"promotion kept arrival order: {order_kept}"
    )
    print_worker_profile(log_path)
    ratio = signups["rps"] / trivial["rps"] if trivial["rps"] else 0.0
    print(f"throughput ratio signUpForEvent / me: {ratio:.2f} (target >= 0.5)")
    errors = len(signups["errors"]) + len(cancels["errors"]) + len(trivial["errors"])
    ok = (
        errors == 0
        and seats["oversold"] == 0
        and after["oversold"] == 0
        and order_kept
        and arrival_kept
        and not consumers["undispatched"]
        and consumers["lag"] <= 10
        and ratio >= 0.5
    )
    harness.print_load()
    print("targets met" if ok else "TARGETS MISSED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
