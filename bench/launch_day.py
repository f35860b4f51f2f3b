"""The launch-day drill: the production topology on this machine, a crowd of new owners, and faults.

    .venv/bin/python bench/launch_day.py [--owners 1000 --subscribers 1000 --ramp 180 --clients 48]

1. A fresh PostgreSQL database (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/community_bench_launch, dropped, created and migrated) holds
   the existing community: 10 public circles with their hosts, `--subscribers` members, and one
   popular brand event of 300 seats.
2. tests/topology.py starts the production topology: its own redis-server, and supervisord running
   deploy/supervisord.conf (two web servers, a Celery worker and beat), with bench/launch_settings.py
   (production settings, a cheaper password hash: see there).
3. `--subscribers` WebSocket clients (members, in a process of their own) subscribe to their circle's
   chat on both web servers; when cut off, each reconnects (to the other server if its own refuses)
   and subscribes again.
4. `--owners` new owners arrive evenly over `--ramp` seconds, each in one of `--clients` client
   threads: register, log in, read the feed, join a circle, sign up for the popular event (0-2
   guests), check in, post, chat twice, read the feed again.
5. Meanwhile the fault plan: Redis killed and started again at 25% of the ramp, the worker killed
   (SIGKILL, supervisord starts it again) at 50%, web1 restarted (graceful stop, start) at 75%. Each
   fault's recovery is the time until a probe write made after it has been consumed by the worker
   (Redis, worker) or until the server answers /healthz again (web1).
6. Once the crowd is done and background work has settled, what clients were told succeeded is
   compared with what the database holds: lost writes, oversold seats, points paid twice.

It prints requests per second, error rate and p50/p99 per operation, the faults' recovery times, the
integrity counts and the load average, and saves the run in bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import multiprocessing as mp
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/community_bench_launch"
SETTINGS = "bench.launch_settings"
CIRCLES = 10
EVENT_CAPACITY = 300
PASSWORD = "Launch-Day-2026!"
REQUEST_TIMEOUT = 30.0
SETTLE_TIMEOUT = 180.0
SUBSCRIBE_TIMEOUT = 180.0
PROBE_INTERVAL = 2.5  # chat is limited to 30 messages a minute

OPS = {
    "register": """mutation($u: String!, $p: String!, $n: String!) {
      register(input: {username: $u, password: $p, nickname: $n, city: "重庆"}) {
        token user { id } errors { code } } }""",
    "login": """mutation($u: String!, $p: String!) {
      login(input: {username: $u, password: $p}) { token errors { code } } }""",
    "feed": """{ feed(first: 20) { edges { node { id body likeCount commentCount author { nickname }
      comments(first: 3) { edges { node { body } } } } } } }""",
    "joinCircle": """mutation($c: ID!) {
      joinCircle(input: {circleId: $c}) { membership { id status } errors { code } } }""",
    "signUp": """mutation($e: ID!, $g: Int, $k: String) {
      signUpForEvent(input: {eventId: $e, guests: $g, idempotencyKey: $k}) {
        signup { id status guests } errors { code } } }""",
    "checkIn": """mutation { dailyCheckIn { pointsAwarded errors { code } } }""",
    "createPost": """mutation($c: ID!, $b: String!, $k: String) {
      createPost(input: {circleId: $c, body: $b, idempotencyKey: $k}) { post { id } errors { code } } }""",
    "chat": """mutation($c: ID!, $b: String!, $k: String) {
      sendChatMessage(input: {circleId: $c, body: $b, idempotencyKey: $k}) { message { id } errors { code } } }""",
}
PAYLOAD_FIELD = {
    "register": "register",
    "login": "login",
    "joinCircle": "joinCircle",
    "signUp": "signUpForEvent",
    "checkIn": "dailyCheckIn",
    "createPost": "createPost",
    "chat": "sendChatMessage",
}
SUBSCRIPTION = "subscription($c: ID!) { chatMessages(circleId: $c) { id body } }"


# ---------------------------------------------------------------- setup


def fresh_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": SETTINGS, "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)


def setup_django(database_url: str, secret_key: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    # Production settings refuse to load without a real key (DEBUG is off); the servers get the same one.
    os.environ["SECRET_KEY"] = secret_key
    os.environ.pop("REDIS_URL", None)  # the bench process itself needs only the database
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


@dataclass
class Community:
    circle_ids: list[str]
    event_id: str
    event_pk: int
    subscribers: list[tuple[str, str]]  # (token, circle global id)
    prober_token: str
    prober_pk: int
    probe_circle: str


def seed(subscribers: int) -> Community:
    """The community before launch: circles, members with tokens (no password hashing), one event."""
    from django.db import transaction
    from django.utils import timezone
    from graphql_relay import to_global_id

    from circles import services as circle_services
    from circles.models import Circle, Membership
    from community.accounts import services
    from community.models import User, Vehicle
    from events import services as event_services

    with transaction.atomic():
        brand = User.objects.create_user(username="brand", nickname="品牌运营", password=None, is_superuser=True)
        hosts = []
        for i in range(CIRCLES):
            host = User.objects.create_user(username=f"host{i}", nickname=f"圈主{i}", password=None, city="重庆")
            Vehicle.objects.create(
                owner=host, model="欧尚Z6", category="PASSENGER", vin_suffix=f"H{i:05d}", verified_at=timezone.now()
            )
            hosts.append(host)
    circles = []
    for i, host in enumerate(hosts):
        circle = circle_services.create_circle(
            user=host,
            name=f"欧尚车友圈{i}",
            description="一起自驾。",
            kind="CITY",
            city="重庆",
            join_policy="OPEN",
            visibility="PUBLIC",
        )
        circle_services.review_circle(user=brand, circle_id=circle.pk, approve=True)
        circles.append(circle)
    members = User.objects.bulk_create(
        [User(username=f"member{i}", nickname=f"老车友{i}", city="重庆", password="!") for i in range(subscribers)]
    )
    now = timezone.now()
    Membership.objects.bulk_create(
        [
            Membership(circle=circles[i % CIRCLES], user=member, status="ACTIVE", joined_at=now, role_since=now)
            for i, member in enumerate(members)
        ]
    )
    for circle in circles:
        Circle.objects.filter(pk=circle.pk).update(member_count=circle.memberships.filter(status="ACTIVE").count())
    starts_at = now + timedelta(days=7)
    event = event_services.create_event(
        user=brand,
        title="欧尚Z6上市首发试驾会",
        description="发布会当天的试驾名额。",
        kind="DRIVE",
        circle_id=circles[0].pk,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=4),
        capacity=EVENT_CAPACITY,
        max_guests_per_signup=2,
        publish=True,
    )
    # Brand staff, so the new-user sandbox does not rate-limit the probes.
    prober = User.objects.create_user(username="prober", nickname="探针", password=None, is_superuser=True)
    Membership.objects.create(circle=circles[-1], user=prober, status="ACTIVE", joined_at=now, role_since=now)
    gid = [to_global_id("Circle", c.pk) for c in circles]
    return Community(
        circle_ids=gid,
        event_id=to_global_id("Event", event.pk),
        event_pk=event.pk,
        subscribers=[(services.issue_token(m), gid[i % CIRCLES]) for i, m in enumerate(members)],
        prober_token=services.issue_token(prober),
        prober_pk=prober.pk,
        probe_circle=gid[-1],
    )


# ---------------------------------------------------------------- HTTP clients


@dataclass
class Record:
    op: str
    started: float
    seconds: float
    ok: bool
    error: str = ""


class Client:
    """One keep-alive connection to one web server, reopened (on the other server first) when it breaks."""

    def __init__(self, ports: dict[str, int], home: str) -> None:
        self.ports, self.home = ports, home
        self.web = home
        self.conn: http.client.HTTPConnection | None = None

    def post(self, query: str, variables: dict, token: str | None) -> tuple[int, dict]:
        body = json.dumps({"query": query, "variables": variables})
        headers = {"Content-Type": "application/json", "Accept-Language": "zh-hans"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.ports[self.web], timeout=REQUEST_TIMEOUT)
                self.conn.request("POST", "/graphql/", body, headers)
                response = self.conn.getresponse()
                raw = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                try:
                    return response.status, json.loads(raw)
                except ValueError:
                    return response.status, {"notJson": raw[:200].decode("utf-8", "replace")}
            except TimeoutError:
                # Sent, and the server is still working on it: a retry would do the work twice (and a crowd
                # of retries on a loaded machine is what made earlier runs collapse: each timeout added load).
                self.close()
                raise
            except (OSError, http.client.HTTPException):
                self.close()
                # A load balancer sends the retry of a refused connection (or of a kept-alive one the server
                # closed, a restart's drain) to the other server.
                self.web = "web2" if self.web == "web1" else "web1"
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None


@dataclass
class Told:
    """What clients were told succeeded, to hold against the database afterwards."""

    users: dict[int, str] = field(default_factory=dict)  # user id -> username
    memberships: set[int] = field(default_factory=set)
    signups: dict[int, tuple[str, int]] = field(default_factory=dict)  # id -> (status, guests)
    check_ins: set[int] = field(default_factory=set)  # user ids
    posts: set[int] = field(default_factory=set)
    messages: set[int] = field(default_factory=set)
    sessions: int = 0  # owners who started their session
    lock: threading.Lock = field(default_factory=threading.Lock)


def decode(gid: str) -> int:
    from graphql_relay import from_global_id

    return int(from_global_id(gid)[1])


def owner_session(index: int, client: Client, community: Community, records: list[Record], told: Told, run: str):
    rng = random.Random(index)
    username = f"o{run}{index}"
    token = None

    def call(op: str, variables: dict | None = None) -> dict | None:
        started = time.monotonic()
        try:
            status, body = client.post(OPS[op], variables or {}, token)
        except (OSError, http.client.HTTPException) as error:
            records.append(Record(op, started, time.monotonic() - started, False, f"transport {type(error).__name__}"))
            return None
        seconds = time.monotonic() - started
        codes = [e.get("extensions", {}).get("code", "?") for e in body.get("errors", [])]
        if status != 200 or codes:
            records.append(
                Record(op, started, seconds, False, f"{status} {','.join(codes) or body.get('notJson', '')}")
            )
            return None
        payload = body["data"].get(PAYLOAD_FIELD.get(op, "feed"))
        if op in PAYLOAD_FIELD and (payload is None or payload.get("errors")):
            code = ",".join(e["code"] for e in (payload or {}).get("errors", [])) or "null"
            records.append(Record(op, started, seconds, False, f"payload {code}"))
            return None
        records.append(Record(op, started, seconds, True))
        return payload

    registered = call("register", {"u": username, "p": PASSWORD, "n": f"新车主{run}{index}"})
    if registered is None:
        return
    with told.lock:
        told.users[decode(registered["user"]["id"])] = username
    logged_in = call("login", {"u": username, "p": PASSWORD})
    token = (logged_in or registered)["token"]
    call("feed")
    circle = rng.choice(community.circle_ids)
    joined = call("joinCircle", {"c": circle})
    if joined:
        with told.lock:
            told.memberships.add(decode(joined["membership"]["id"]))
    # The writes a client may retry carry an idempotency key: a retry of a request cut after it was
    # sent (the client below retries on the other server) returns the first result, never a second write.
    signup = call("signUp", {"e": community.event_id, "g": rng.choice([0, 0, 1, 2]), "k": f"{username}-signup"})
    if signup:
        with told.lock:
            told.signups[decode(signup["signup"]["id"])] = (signup["signup"]["status"], signup["signup"]["guests"])
    if call("checkIn") is not None:
        with told.lock:
            told.check_ins.add(decode(registered["user"]["id"]))
    if joined:
        post = call("createPost", {"c": circle, "b": f"提车第一天！#{index}", "k": f"{username}-post"})
        if post:
            with told.lock:
                told.posts.add(decode(post["post"]["id"]))
        for n in range(2):
            message = call("chat", {"c": circle, "b": f"大家好，我是新车主{index}-{n}", "k": f"{username}-chat-{n}"})
            if message:
                with told.lock:
                    told.messages.add(decode(message["message"]["id"]))
    call("feed")


def run_crowd(
    owners: int, ramp: float, clients: int, ports, community, records, told, run, stop_after: float | None = None
) -> threading.Thread:
    """Owners arrive evenly over `ramp` seconds; `clients` threads serve them in arrival order.

    With `stop_after`, no owner starts a session after that many seconds (those in a session finish
    it): on a machine too loaded to serve them all in time, the drill still reckons what it did."""
    arrivals = [i * ramp / owners for i in range(owners)]
    next_owner = iter(range(owners))
    lock = threading.Lock()
    started = time.monotonic()

    def client_thread(n: int) -> None:
        client = Client(ports, ("web1", "web2")[n % 2])
        while True:
            with lock:
                index = next(next_owner, None)
            if index is None or (stop_after is not None and time.monotonic() - started > stop_after):
                client.close()
                return
            wait = arrivals[index] - (time.monotonic() - started)
            if wait > 0:
                time.sleep(wait)
            with lock:
                told.sessions += 1
            owner_session(index, client, community, records, told, run)

    threads = [threading.Thread(target=client_thread, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()

    def join_all() -> None:
        for thread in threads:
            thread.join()

    crowd = threading.Thread(target=join_all, daemon=True)
    crowd.start()
    return crowd


# ---------------------------------------------------------------- WebSocket subscribers (own process)


def subscribers_process(jobs: list, ports: dict, stop_event, results, subscribed) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # terminate() ends it (the parent unwinds on SIGTERM)
    asyncio.run(_subscribers(jobs, ports, stop_event, results, subscribed))


async def _subscribers(jobs, ports, stop_event, results, subscribed) -> None:
    import websockets

    stats = {"subscribed": 0, "peak": 0, "messages": 0, "closes": defaultdict(int), "reconnect_seconds": []}
    live = 0
    gate = asyncio.Semaphore(40)

    async def subscriber(n: int, token: str, circle: str) -> None:
        nonlocal live
        web = ("web1", "web2")[n % 2]
        cut_at = None
        attempt = 0
        while not stop_event.is_set():
            try:
                async with gate:
                    ws = await websockets.connect(
                        f"ws://127.0.0.1:{ports[web]}/graphql/",
                        subprotocols=["graphql-transport-ws"],
                        ping_interval=None,
                        open_timeout=30,
                        max_queue=None,
                    )
                    await ws.send(
                        json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
                    )
                    ack = json.loads(await asyncio.wait_for(ws.recv(), 30))
                    if ack.get("type") != "connection_ack":
                        raise RuntimeError(ack)
                    await ws.send(
                        json.dumps(
                            {
                                "id": "1",
                                "type": "subscribe",
                                "payload": {"query": SUBSCRIPTION, "variables": {"c": circle}},
                            }
                        )
                    )
            except Exception:
                attempt += 1
                web = "web2" if web == "web1" else "web1"  # the load balancer tries the other server
                await asyncio.sleep(min(5.0, 0.5 * attempt) * random.uniform(0.5, 1.5))
                continue
            attempt = 0
            if cut_at is not None:
                stats["reconnect_seconds"].append(time.monotonic() - cut_at)
            else:
                stats["subscribed"] += 1
                subscribed.value = stats["subscribed"]
            live += 1
            stats["peak"] = max(stats["peak"], live)
            try:
                while not stop_event.is_set():
                    try:
                        message = json.loads(await asyncio.wait_for(ws.recv(), 1.0))
                    except TimeoutError:
                        continue
                    if message.get("type") == "next":
                        stats["messages"] += 1
                    elif message.get("type") == "ping":
                        await ws.send(json.dumps({"type": "pong"}))
                    elif message.get("type") in ("error", "complete"):
                        stats["closes"]["subscription ended"] += 1
                        break
            except websockets.ConnectionClosed as closed:
                stats["closes"][str(closed.rcvd.code if closed.rcvd else 1006)] += 1
            finally:
                live -= 1
                cut_at = time.monotonic()
                await ws.close()
            await asyncio.sleep(random.uniform(0.1, 1.0))  # clients do not all come back at once

    tasks = [asyncio.create_task(subscriber(n, token, circle)) for n, (token, circle) in enumerate(jobs)]
    while not stop_event.is_set():
        await asyncio.sleep(0.2)
    await asyncio.sleep(2)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    stats["closes"] = dict(stats["closes"])
    results.put(stats)


# ---------------------------------------------------------------- faults


@dataclass
class Fault:
    name: str
    at: float = 0.0
    recovered_after: float | None = None
    note: str = ""


def probe_until_consumed(topology, community: Community, since, timeout: float = 120.0) -> float | None:
    """Send a probe chat message each second until one made after `since` has been dispatched by the worker."""

    from community.models import Activity

    started = time.monotonic()
    client = Client(topology.ports, "web2")
    while time.monotonic() - started < timeout:
        with contextlib.suppress(OSError, http.client.HTTPException):
            client.post(OPS["chat"], {"c": community.probe_circle, "b": "探针"}, community.prober_token)
        if Activity.objects.filter(
            actor_id=community.prober_pk, created_at__gt=since, dispatched_at__isnull=False
        ).exists():
            client.close()
            return time.monotonic() - started
        time.sleep(PROBE_INTERVAL)
    client.close()
    return None


def run_faults(topology, community: Community, ramp: float, started: float) -> tuple[threading.Thread, list[Fault]]:
    from django.db import connection
    from django.utils import timezone

    faults = [Fault("Redis killed and started again"), Fault("worker killed (SIGKILL)"), Fault("web1 restarted")]

    def plan() -> None:
        try:
            for fault, fraction in zip(faults, (0.25, 0.5, 0.75), strict=True):
                time.sleep(max(0.0, started + ramp * fraction - time.monotonic()))
                fault.at = time.monotonic() - started
                since = timezone.now()
                began = time.monotonic()
                if fault.name.startswith("Redis"):
                    topology.stop_redis()
                    time.sleep(2.0)
                    topology.start_redis()
                    consumed = probe_until_consumed(topology, community, since)
                elif fault.name.startswith("worker"):
                    topology.kill("worker", signal.SIGKILL)
                    consumed = probe_until_consumed(topology, community, since)
                else:
                    topology.ctl("restart", "web1")  # a graceful stop (drain), then a start
                    topology.wait_healthy("web1", timeout=120)
                    consumed = 0.0
                fault.recovered_after = None if consumed is None else time.monotonic() - began
        finally:
            connection.close()

    thread = threading.Thread(target=plan, daemon=True)
    thread.start()
    return thread, faults


# ---------------------------------------------------------------- the reckoning


def settle(timeout: float) -> float | None:
    from community.models import Activity

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not Activity.objects.filter(dispatched_at__isnull=True).exists():
            return time.monotonic() - started
        time.sleep(1.0)
    return None


def reckon(told: Told, community: Community, run: str) -> dict:
    from django.db.models import Count, Sum

    from circles.models import ChatMessage, Membership
    from community.content.models import Post
    from community.models import Activity, User
    from events.models import Event, Signup
    from gamification.models import PointsAccount, PointsTransaction

    def missing(model, ids) -> int:
        return len(set(ids) - set(model.objects.filter(pk__in=ids).values_list("pk", flat=True)))

    lost = {
        "registrations": missing(User, list(told.users)),
        "circle joins": missing(Membership, list(told.memberships)),
        "sign-ups": missing(Signup, list(told.signups)),
        "posts": missing(Post, list(told.posts)),
        "chat messages": missing(ChatMessage, list(told.messages)),
        "check-ins": len(
            told.check_ins
            - set(
                PointsTransaction.objects.filter(
                    key__startswith="daily_check_in:", account__user_id__in=told.check_ins
                ).values_list("account__user_id", flat=True)
            )
        ),
    }
    event = Event.objects.get(pk=community.event_pk)
    confirmed = Signup.objects.filter(event=event, status="CONFIRMED")
    seats = sum(1 + s.guests for s in confirmed)
    doubled_keys = PointsTransaction.objects.values("key").annotate(n=Count("id")).filter(n__gt=1).count()
    expected_post_keys = {f"post_created:post:{pk}" for pk in told.posts}
    post_lines = defaultdict(int)
    for key in PointsTransaction.objects.filter(key__startswith="post_created:").values_list("key", flat=True):
        post_lines[key] += 1
    check_in_lines = defaultdict(int)
    for user_id in PointsTransaction.objects.filter(key__startswith="daily_check_in:").values_list(
        "account__user_id", flat=True
    ):
        check_in_lines[user_id] += 1
    balances_off = 0
    for account in PointsAccount.objects.filter(user_id__in=told.users):
        ledger = PointsTransaction.objects.filter(account=account).aggregate(total=Sum("amount"))["total"] or 0
        balances_off += account.balance != ledger
    # The evidence behind any loss, to tell a drill counting bug from a real one: every id told but
    # missing, and the new owners the database holds however the clients heard of them.
    lost_ids = {
        "registrations": sorted(
            set(told.users) - set(User.objects.filter(pk__in=told.users).values_list("pk", flat=True))
        ),
        "check-ins": sorted(
            told.check_ins
            - set(
                PointsTransaction.objects.filter(
                    key__startswith="daily_check_in:", account__user_id__in=told.check_ins
                ).values_list("account__user_id", flat=True)
            )
        ),
    }
    from gamification.models import CheckIn

    evidence = {
        "owners who started a session": told.sessions,
        "lost ids": lost_ids,
        "check-in rows of the lost check-ins": CheckIn.objects.filter(user_id__in=lost_ids["check-ins"]).count(),
        "new owners in the database": User.objects.filter(username__startswith=f"o{run}").count(),
        "check-in rows of new owners": CheckIn.objects.filter(user__username__startswith=f"o{run}").count(),
    }
    return {
        "evidence": evidence,
        "told": {
            "registrations": len(told.users),
            "circle joins": len(told.memberships),
            "sign-ups": len(told.signups),
            "posts": len(told.posts),
            "chat messages": len(told.messages),
            "check-ins": len(told.check_ins),
        },
        "lost": lost,
        "seats": {
            "capacity": event.capacity,
            "confirmed seats": seats,
            "counter": event.confirmed_seats,
            "oversold": max(0, seats - event.capacity),
            "waitlisted": Signup.objects.filter(event=event, status="WAITLISTED").count(),
        },
        "doubled": {
            "ledger keys paid twice": doubled_keys,
            "posts paid twice": sum(1 for k, n in post_lines.items() if n > 1),
            "check-ins paid twice": sum(1 for n in check_in_lines.values() if n > 1),
            "balances not matching the ledger": balances_off,
        },
        "unpaid posts": len(expected_post_keys - set(post_lines)),
        "undispatched activities": Activity.objects.filter(dispatched_at__isnull=True).count(),
    }


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(
    args,
    records: list[Record],
    duration: float,
    faults: list[Fault],
    ws: dict,
    reckoning: dict,
    settled: float | None,
    loads: list[tuple[str, tuple]],
) -> str:
    lines = [
        f"launch day: {args.owners} new owners over {args.ramp:.0f}s ({args.clients} client threads), "
        f"{args.subscribers} WebSocket subscribers, two web servers, a worker and beat (supervisord), "
        f"PostgreSQL and Redis; {os.cpu_count()} CPUs",
        f"{'operation':<12}{'requests':>9}{'errors':>8}{'error %':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}",
    ]
    by_op = defaultdict(list)
    for record in records:
        by_op[record.op].append(record)
    for op in [*OPS, "all"]:
        rows = records if op == "all" else by_op.get(op, [])
        if not rows:
            continue
        errors = sum(1 for r in rows if not r.ok)
        latencies = [r.seconds * 1000 for r in rows]
        lines.append(
            f"{op:<12}{len(rows):>9}{errors:>8}{100 * errors / len(rows):>8.1f}%{len(rows) / duration:>8.1f}"
            f"{statistics.median(latencies):>9.0f}{percentile(latencies, 0.99):>9.0f}"
        )
    kinds = defaultdict(int)
    for record in records:
        if not record.ok:
            kinds[f"{record.op}: {record.error}"] += 1
    if kinds:
        lines.append("errors: " + "; ".join(f"{k} x{n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])[:8]))
    lines.append("faults (at s into the ramp -> recovered after s):")
    for fault in faults:
        recovered = "not recovered" if fault.recovered_after is None else f"{fault.recovered_after:.1f}s"
        lines.append(f"  {fault.name:<32} at {fault.at:6.1f}s -> {recovered}")
    reconnects = ws.get("reconnect_seconds", [])
    lines.append(
        f"WebSocket: {ws.get('subscribed', 0)}/{args.subscribers} subscribed (peak {ws.get('peak', 0)} at once), "
        f"{ws.get('messages', 0)} messages delivered, closes by code {ws.get('closes', {})}, "
        f"{len(reconnects)} reconnects "
        f"(p50 {percentile(reconnects, 0.5):.1f}s, p99 {percentile(reconnects, 0.99):.1f}s), "
        f"{ws.get('unpublished', 0)} publishes from the web servers failed or timed out"
    )
    told, lost = reckoning["told"], reckoning["lost"]
    lines.append("told succeeded vs in the database (lost):")
    lines.append("  " + ", ".join(f"{k} {told[k]} ({lost[k]} lost)" for k in told))
    seats = reckoning["seats"]
    lines.append(
        f"popular event: {seats['confirmed seats']}/{seats['capacity']} seats confirmed (counter {seats['counter']}), "
        f"{seats['waitlisted']} waitlisted, oversold {seats['oversold']}"
    )
    lines.append("points paid twice: " + ", ".join(f"{k} {v}" for k, v in reckoning["doubled"].items()))
    lines.append(
        f"after the crowd: background work settled in "
        f"{'—' if settled is None else f'{settled:.0f}s'}, {reckoning['undispatched activities']} activities "
        f"undispatched, {reckoning['unpaid posts']} posts unpaid"
    )
    total_lost = sum(lost.values())
    doubled = reckoning["doubled"]["ledger keys paid twice"] + reckoning["doubled"]["balances not matching the ledger"]
    evidence = reckoning["evidence"]
    lines.append(f"owners served: {evidence['owners who started a session']} of {args.owners}")
    lines.append(
        f"new owners in the database {evidence['new owners in the database']} (told {told['registrations']}),"
        f" their check-ins {evidence['check-in rows of new owners']} (told {told['check-ins']})"
    )
    lines.append(f"lost writes {total_lost}, oversold seats {seats['oversold']}, double awards {doubled}")
    lines.append("load average: " + ", ".join(f"{when} {a:.1f} {b:.1f} {c:.1f}" for when, (a, b, c) in loads))
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def _interrupted(signum, frame) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--owners", type=int, default=1000)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--ramp", type=float, default=180.0, help="seconds over which the owners arrive")
    parser.add_argument("--clients", type=int, default=48, help="HTTP client threads")
    parser.add_argument("--pool", type=int, default=20, help="DB_POOL_MAX_SIZE of each web server")
    parser.add_argument(
        "--stop-after", type=float, default=None, help="seconds after which no new owner starts (a loaded machine)"
    )
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    run = uuid.uuid4().hex[:6]
    base = ROOT / "bench" / "results" / f"launch-{time.strftime('%Y%m%d-%H%M%S')}"
    base.mkdir(parents=True, exist_ok=True)

    print(f"database {database_url}: fresh and migrated", flush=True)
    secret_key = os.environ.get("SECRET_KEY") or uuid.uuid4().hex * 2
    fresh_database(database_url)
    setup_django(database_url, secret_key)
    community = seed(args.subscribers)
    print(f"seeded {CIRCLES} circles, {args.subscribers} members, an event of {EVENT_CAPACITY} seats", flush=True)

    from tests.topology import Topology

    env = {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DB_POOL_MAX_SIZE": str(args.pool),
        "REGISTRATIONS_PER_IP_PER_HOUR": "100000",  # every client comes from 127.0.0.1 here
        "ACTIVITY_REDISPATCH_SECONDS": "15",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": secret_key,
    }
    topology = Topology(database_url, base, env)
    loads = [("start", os.getloadavg())]
    # SIGTERM (or a closed terminal) unwinds like Ctrl-C, so the `finally` below stops every process.
    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _interrupted)
    topology.start()
    print(
        f"topology up: web1 :{topology.ports['web1']}, web2 :{topology.ports['web2']}, redis :{topology.redis_port}",
        flush=True,
    )
    ctx = mp.get_context("fork")
    stop_event, ws_results, subscribed = ctx.Event(), ctx.Queue(), ctx.Value("i", 0, lock=False)
    ws_process = ctx.Process(
        target=subscribers_process, args=(community.subscribers, topology.ports, stop_event, ws_results, subscribed)
    )
    records: list[Record] = []
    told = Told()
    try:
        ws_process.start()
        # The crowd starts once the subscribers are listening (or after SUBSCRIBE_TIMEOUT): started together on
        # a loaded machine, half of them were still in their handshake when the faults began.
        waited = time.monotonic()
        while subscribed.value < args.subscribers and time.monotonic() - waited < SUBSCRIBE_TIMEOUT:
            time.sleep(1.0)
        print(f"{subscribed.value} of {args.subscribers} subscribers listening after {time.monotonic() - waited:.0f}s")
        started = time.monotonic()
        crowd = run_crowd(
            args.owners, args.ramp, args.clients, topology.ports, community, records, told, run, args.stop_after
        )
        fault_thread, faults = run_faults(topology, community, args.ramp, started)
        while crowd.is_alive():
            crowd.join(timeout=10)
            elapsed = time.monotonic() - started
            if abs(elapsed - args.ramp / 2) < 5:
                loads.append(("mid", os.getloadavg()))
            print(f"  {elapsed:5.0f}s: {len(records)} requests, {sum(not r.ok for r in records)} errors", flush=True)
        duration = time.monotonic() - started
        loads.append(("end of crowd", os.getloadavg()))
        fault_thread.join(timeout=180)
        settled = settle(SETTLE_TIMEOUT)
        stop_event.set()
        ws = ws_results.get(timeout=60)
        ws_process.join(timeout=30)
        reckoning = reckon(told, community, run)
    finally:
        stop_event.set()
        if ws_process.is_alive():
            ws_process.terminate()
            ws_process.join(timeout=10)
            if ws_process.is_alive():
                ws_process.kill()
        topology.stop()  # every program's process group too, even if supervisord must be killed
    # Real-time is best effort: a publish that failed or timed out is logged (its clients catch up by querying).
    unpublished = sum(topology.log(web).count("real-time publish to") for web in ("web1", "web2"))
    text = report(args, records, duration, faults, {**ws, "unpublished": unpublished}, reckoning, settled, loads)
    print(text)
    (base / "report.txt").write_text(text + "\n")
    (base / "reckoning.json").write_text(json.dumps(reckoning, indent=2, ensure_ascii=False))
    print(f"logs and report in {base.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
