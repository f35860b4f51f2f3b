"""Circle chat fan-out: N real graphql-transport-ws clients on two daphne processes, one sender.

    .venv/bin/python bench/chat_fanout.py [--clients 1000 --messages 20 --interval 0.5 --client-procs 2]

What it does, in one run:
1. PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/community_bench_chat,
   created and migrated if needed) gets a PRIVATE circle with N members and a host, and a bearer
   token for each; Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/13) is the channel layer.
2. Two daphne processes serve the project on that database and a shared Redis channel layer (with the
   handshake timeout the project's server sets, 30 s).
3. GraphQL: N WebSocket clients (the `websockets` library speaking graphql-transport-ws directly:
   connection_init with the token, subscribe, next, pong) split evenly over the two servers
   subscribe to chatMessages(circleId); once the channel-layer group holds all N, the host sends
   M messages with the sendChatMessage mutation over HTTP (alternating servers), one every
   `interval` seconds, open-loop (each send on its schedule, never waiting for the previous reply).
   Each client notes when each message arrives.
4. The ceiling: the same N clients' worth of raw Redis pub/sub subscribers (one connection each,
   in the same client processes) and the same M publishes of a payload of the same size.

Latency is from just before the sender sends (the HTTP POST, or PUBLISH) to the moment a client has
the message decoded, on the same clock (one machine). It prints clients, messages, deliveries,
p50/p99/max for both, the ratio, the server CPU per delivery (CPU of both daphne processes during the
sends divided by the deliveries made), the load average before and after, and checks the goals of
issue #15 (at most 100 µs of CPU per delivery; p99 under 300 ms at 1,000 clients, 1 s above).
Celery runs no consumers here (in-memory broker): the figure is the chat path, not the activity
consumers, which workers run in production.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing as mp
import os
import secrets
import subprocess
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import harness  # bench/harness.py, beside this script; it puts the project on sys.path

ROOT = harness.ROOT
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/community_bench_chat"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
SUBSCRIPTION = """subscription Chat($circleId: ID!) {
  chatMessages(circleId: $circleId) { id body createdAt author { nickname avatarUrl } }
}"""
SEND = """mutation Send($input: SendChatMessageInput!) {
  sendChatMessage(input: $input) { message { id } errors { code message } }
}"""
CONNECT_CONCURRENCY = 50
READY_TIMEOUT = 120.0
CPU_PER_DELIVERY_GOAL_US = 100
GRACE = 15.0  # how long clients wait for stragglers after the last message was sent


# ---------------------------------------------------------------- setup (main process)


def seed(clients: int, run: str) -> tuple[int, str, list[str]]:
    """A private circle with a host (the sender) and `clients` members; a token for each member."""
    from django.db import transaction
    from django.utils import timezone

    from circles import services
    from circles.models import Circle, Membership
    from community.models import AuthToken, User

    now = timezone.now()
    host, created = User.objects.get_or_create(
        username="chatbench-host", defaults={"nickname": "压测圈主", "is_superuser": True, "password": "!"}
    )
    if created:  # an established account (not in the new-user sandbox), brand staff as a superuser
        User.objects.filter(pk=host.pk).update(date_joined=now - timedelta(days=365))
    existing = set(User.objects.filter(username__startswith="chatbench-").values_list("username", flat=True))
    wanted = [f"chatbench-{i:05d}" for i in range(clients)]
    User.objects.bulk_create(
        [
            User(username=name, nickname=f"车友{name[-5:]}", city="重庆", password="!")
            for name in wanted
            if name not in existing
        ],
        batch_size=2000,
    )
    members = list(User.objects.filter(username__in=wanted).order_by("username"))
    circle = services.create_circle(
        user=host,
        name=f"压测车友圈{run}",
        description="chat fan-out benchmark",
        kind="INTEREST",
        join_policy="INVITE_ONLY",
        visibility="PRIVATE",
    )
    services.review_circle(user=host, circle_id=circle.pk, approve=True)
    keys = [secrets.token_urlsafe(32) for _ in members]
    with transaction.atomic():
        Membership.objects.bulk_create(
            [Membership(circle=circle, user=m, status="ACTIVE", joined_at=now, role_since=now) for m in members],
            batch_size=2000,
        )
        Circle.objects.filter(pk=circle.pk).update(member_count=len(members) + 1)
        AuthToken.objects.bulk_create(
            [
                AuthToken(user=m, key_hash=AuthToken.hash_key(k), expires_at=now + timedelta(hours=6))
                for m, k in zip(members, keys, strict=True)
            ],
            batch_size=2000,
        )
    host_key = secrets.token_urlsafe(32)
    AuthToken.objects.create(user=host, key_hash=AuthToken.hash_key(host_key), expires_at=now + timedelta(hours=6))
    return circle.pk, host_key, keys


def start_server(env: dict, log_dir: Path, index: int) -> tuple[subprocess.Popen, str]:
    log = open(log_dir / f"daphne-{index}.log", "wb")  # noqa: SIM115 (open for the process's lifetime)

    def healthy(body: bytes) -> bool:
        health = json.loads(body)
        return health.get("database") == "up" and health.get("channelLayer") == "up"

    process, port = harness.start_daphne(env, stdout=log, healthy=healthy)
    return process, f"127.0.0.1:{port}"


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- client processes


def client_process(kind: str, jobs: list, target: str, expected: int, ready, results, stop_event) -> None:
    """One process of clients: `jobs` are (ws url, token) for GraphQL or (redis url,) for raw pub/sub."""
    asyncio.run(_clients(kind, jobs, target, expected, ready, results, stop_event))


async def _clients(kind, jobs, target, expected, ready, results, stop_event) -> None:
    records: list[tuple[int, float]] = []
    errors: list[str] = []
    done = asyncio.Event()
    finished = 0
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    connected = 0
    opened = asyncio.Event()

    def one_done() -> None:
        nonlocal finished
        finished += 1
        if finished == len(jobs):
            done.set()

    def one_connected() -> None:
        nonlocal connected
        connected += 1
        if connected == len(jobs):
            opened.set()

    async def graphql(url: str, token: str) -> None:
        import websockets

        try:
            async with gate:
                ws = await websockets.connect(
                    url, subprotocols=["graphql-transport-ws"], ping_interval=None, open_timeout=240, max_queue=None
                )
                await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
                ack = json.loads(await asyncio.wait_for(ws.recv(), 240))
                if ack.get("type") != "connection_ack":
                    raise RuntimeError(f"no ack: {ack}")
                subscribe = {"query": SUBSCRIPTION, "variables": {"circleId": target}}
                await ws.send(json.dumps({"id": "chat", "type": "subscribe", "payload": subscribe}))
        except Exception as error:
            errors.append(f"connect: {error!r}")
            one_connected()
            one_done()
            return
        one_connected()
        got = 0
        try:
            while got < expected:
                message = json.loads(await ws.recv())
                kind_ = message.get("type")
                if kind_ == "next":
                    at = time.time()
                    body = message["payload"]["data"]["chatMessages"]["body"]
                    records.append((int(body.split("#", 1)[1].split(" ", 1)[0]), at))
                    got += 1
                elif kind_ == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif kind_ in ("error", "complete"):
                    errors.append(f"subscription ended: {message}")
                    break
        except asyncio.CancelledError:
            pass
        except Exception as error:
            errors.append(f"receive: {error!r}")
        finally:
            one_done()
            await ws.close()

    async def raw(url: str) -> None:
        import redis.asyncio as redis

        try:
            async with gate:
                client = redis.Redis.from_url(url)
                pubsub = client.pubsub()
                await pubsub.subscribe(target)
                confirmation = await pubsub.get_message(timeout=30)
                if not confirmation or confirmation.get("type") != "subscribe":
                    raise RuntimeError(f"no subscribe confirmation: {confirmation}")
        except Exception as error:
            errors.append(f"connect: {error!r}")
            one_connected()
            one_done()
            return
        one_connected()
        got = 0
        try:
            while got < expected:
                message = await pubsub.get_message(timeout=None)
                if message is None or message.get("type") != "message":
                    continue
                at = time.time()
                body = json.loads(message["data"])["payload"]["data"]["chatMessages"]["body"]
                records.append((int(body.split("#", 1)[1].split(" ", 1)[0]), at))
                got += 1
        except asyncio.CancelledError:
            pass
        except Exception as error:
            errors.append(f"receive: {error!r}")
        finally:
            one_done()
            await pubsub.aclose()
            await client.aclose()

    tasks = [asyncio.create_task(graphql(*job) if kind == "graphql" else raw(*job)) for job in jobs]
    await opened.wait()
    ready.put(len(jobs) - len(errors))

    async def watch_stop() -> None:
        while not stop_event.is_set():
            await asyncio.sleep(0.05)
        await asyncio.sleep(GRACE)
        done.set()

    watcher = asyncio.create_task(watch_stop())
    await done.wait()
    watcher.cancel()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    results.put({"records": records, "errors": errors[:20], "error_count": len(errors)})


# ---------------------------------------------------------------- the two phases


def run_phase(
    kind, jobs, target, messages, interval, procs, wait_ready, send_one, server_pids=(), ready_timeout=READY_TIMEOUT
) -> dict:
    ctx = mp.get_context("spawn")
    ready, results, stop_event = ctx.Queue(), ctx.Queue(), ctx.Event()
    chunks = [jobs[i::procs] for i in range(procs)]
    workers = [
        ctx.Process(target=client_process, args=(kind, chunk, target, messages, ready, results, stop_event))
        for chunk in chunks
        if chunk
    ]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    connected = sum(ready.get(timeout=ready_timeout) for _ in workers)
    wait_ready(connected)
    setup_seconds = time.monotonic() - started
    cpu_before = sum(cpu_seconds(pid) for pid in server_pids)
    sent_at: dict[int, float] = {}
    senders: list[threading.Thread] = []
    send_errors: list[BaseException] = []

    def send(seq: int) -> None:
        try:
            send_one(seq)
        except BaseException as error:  # reported after the run
            send_errors.append(error)

    # Open loop: message k leaves at start + k * interval whatever became of the ones before (each in its
    # own thread), so a slow server is measured as late deliveries, not as a slower sender.
    first = time.monotonic()
    for seq in range(messages):
        time.sleep(max(0.0, first + seq * interval - time.monotonic()))
        sent_at[seq] = time.time()
        sender = threading.Thread(target=send, args=(seq,), daemon=True)
        sender.start()
        senders.append(sender)
    for sender in senders:
        sender.join(timeout=60)
    if send_errors:
        stop_event.set()
        raise SystemExit(f"a send failed: {send_errors[0]!r}")
    stop_event.set()
    records, errors, error_count = [], [], 0
    for _ in workers:
        result = results.get(timeout=GRACE + 60)
        records += result["records"]
        errors += result["errors"]
        error_count += result["error_count"]
    server_cpu = sum(cpu_seconds(pid) for pid in server_pids) - cpu_before
    for worker in workers:
        worker.join(timeout=10)
    latencies = [(at - sent_at[seq]) * 1000 for seq, at in records if seq in sent_at]
    return {
        "connected": connected,
        "setup_seconds": setup_seconds,
        "delivered": len(latencies),
        "latencies": latencies,
        "errors": errors,
        "error_count": error_count,
        "server_cpu_per_message": server_cpu / messages if messages else 0.0,
        "server_cpu": server_cpu,
    }


def wait_for_group(redis_url: str, prefix: str, topic: str, size: int) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    key = f"{prefix}:group:{topic}"
    deadline = time.monotonic() + READY_TIMEOUT
    while (members := client.zcard(key)) < size:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {members} of {size} subscriptions joined {topic}")
        time.sleep(0.05)


def wait_for_channel(redis_url: str, channel: str, size: int) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + READY_TIMEOUT
    while (count := dict(client.pubsub_numsub(channel)).get(channel.encode(), 0)) < size:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {count} of {size} raw subscribers on {channel}")
        time.sleep(0.05)


def post(base: str, token: str, body: dict) -> dict:
    host, port = base.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request(
            "POST",
            "/graphql/",
            json.dumps(body),
            {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def summary(name: str, phase: dict, expected: int) -> str:
    lat = phase["latencies"]
    share = 100.0 * phase["delivered"] / expected if expected else 0.0
    return (
        f"{name:<22} {phase['delivered']:>7}/{expected:<7} ({share:5.1f}%)  "
        f"p50 {harness.percentile(lat, 0.50):7.1f} ms  p99 {harness.percentile(lat, 0.99):7.1f} ms  "
        f"max {max(lat) if lat else float('nan'):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=20, help="at most 30: the sender's rate limit per minute")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between two messages")
    parser.add_argument("--client-procs", type=int, default=2, help="processes the clients are spread over")
    parser.add_argument(
        "--ready-timeout", type=float, default=READY_TIMEOUT, help="seconds the clients have to connect and subscribe"
    )
    args = parser.parse_args()
    harness.print_load()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    run = uuid.uuid4().hex[:8]
    prefix = f"bench-chat-{run}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "community.settings",
        "CHANNEL_LAYER_PREFIX": prefix,
        "CACHE_KEY_PREFIX": prefix,
        "RATELIMIT_NAMESPACE": prefix,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_BROKER_URL": "memory://",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    harness.ensure_database(database_url)
    harness.migrate(env)
    harness.setup_django(database_url, REDIS_URL=redis_url)
    from graphql_relay import to_global_id

    from community.kernel.realtime import circle_chat_topic

    started = time.monotonic()
    circle_pk, host_token, tokens = seed(args.clients, run)
    circle_id = to_global_id("Circle", circle_pk)
    print(f"setup: circle {circle_pk} with {len(tokens)} members ({time.monotonic() - started:.1f}s)", flush=True)

    log_dir = ROOT / "bench" / "results"
    log_dir.mkdir(parents=True, exist_ok=True)
    servers = [start_server(env, log_dir, index) for index in (1, 2)]
    print("servers: " + ", ".join(f"daphne pid {process.pid} on {base}" for process, base in servers), flush=True)
    try:
        bases = [base for _, base in servers]
        jobs = [(f"ws://{bases[i % 2]}/graphql/", token) for i, token in enumerate(tokens)]

        def send_graphql(seq: int) -> None:
            body = {
                "query": SEND,
                "variables": {"input": {"circleId": circle_id, "body": f"bench #{seq} 周末一起去自驾"}},
            }
            answer = post(bases[seq % 2], host_token, body)
            errors = answer.get("errors") or answer["data"]["sendChatMessage"]["errors"]
            if errors:
                raise SystemExit(f"sendChatMessage refused: {errors}")

        graphql = run_phase(
            "graphql",
            jobs,
            circle_id,
            args.messages,
            args.interval,
            args.client_procs,
            lambda n: wait_for_group(redis_url, prefix, circle_chat_topic(circle_pk), n),
            send_graphql,
            server_pids=[process.pid for process, _ in servers],
            ready_timeout=args.ready_timeout,
        )
    finally:
        for process, _ in servers:
            harness.stop(process)

    import redis

    channel = f"{prefix}:raw"
    publisher = redis.Redis.from_url(redis_url)

    def send_raw(seq: int) -> None:
        # The same bytes a subscriber gets over the WebSocket, published once for all.
        node = {
            "id": to_global_id("ChatMessage", seq + 1),
            "body": f"bench #{seq} 周末一起去自驾",
            "createdAt": "2026-11-23T08:00:00.000000+08:00",
            "author": {"nickname": "压测圈主", "avatarUrl": None},
        }
        publisher.publish(
            channel, json.dumps({"id": "chat", "type": "next", "payload": {"data": {"chatMessages": node}}})
        )

    raw = run_phase(
        "raw",
        [(redis_url,) for _ in tokens],
        channel,
        args.messages,
        args.interval,
        args.client_procs,
        lambda n: wait_for_channel(redis_url, channel, n),
        send_raw,
    )

    expected = args.clients * args.messages
    g50, g99 = harness.percentile(graphql["latencies"], 0.5), harness.percentile(graphql["latencies"], 0.99)
    r50, r99 = harness.percentile(raw["latencies"], 0.5), harness.percentile(raw["latencies"], 0.99)
    print()
    print(
        f"chat fan-out: {args.clients} clients ({graphql['connected']} subscribed, in {graphql['setup_seconds']:.1f}s) "
        f"on 2 daphne processes sharing the Redis channel layer; 1 sender; {args.messages} messages, "
        f"one every {args.interval}s; {os.cpu_count()} CPUs"
    )
    print(summary("GraphQL subscription", graphql, expected))
    print(summary("raw Redis pub/sub", raw, expected))
    print(f"{'ratio GraphQL / raw':<22} p50 {g50 / r50:5.1f}x   p99 {g99 / r99:5.1f}x")
    # Divided by the deliveries made, not the clients requested: a run that loses messages gets no discount.
    per_delivery = graphql["server_cpu"] * 1e6 / max(1, graphql["delivered"])
    print(
        f"server CPU (both daphne processes): {graphql['server_cpu_per_message'] * 1000:.0f} ms per message, "
        f"{per_delivery:.0f} µs per delivery ({graphql['delivered']} deliveries)"
    )
    harness.print_load()
    every = graphql["delivered"] == expected
    p99_goal = 300 if args.clients <= 1000 else 1000  # issue #15 goal 1: 1,000 clients < 300 ms; 5,000 < 1 s
    checks = {
        "every message to every client": every,
        f"p99 under {p99_goal} ms": g99 < p99_goal,
        f"server CPU per delivery at most {CPU_PER_DELIVERY_GOAL_US} µs": per_delivery <= CPU_PER_DELIVERY_GOAL_US,
    }
    for name, held in checks.items():
        print(f"goal: {name}: {'yes' if held else 'NO'}")
    for phase_name, phase in (("GraphQL", graphql), ("raw", raw)):
        if phase["error_count"]:
            print(f"{phase_name} client errors ({phase['error_count']}): {phase['errors'][:5]}")


if __name__ == "__main__":
    main()
