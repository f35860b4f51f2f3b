"""Redis gone for 30 s under writes, while the worker holds a task: the API carries on, nothing is lost.

One scenario for the module (an outage costs half a minute), then one test per promise:
- owners post and chat on both web servers all along; the worker is mid-task (its points write waits
  on a table lock) when Redis is killed, without saving: what it held is gone;
- 30 s later Redis is back (empty); the load goes on for a while, then everything must settle;
- live chat listeners on both web servers stay connected all along (no 1011): when the channel layer
  returns they join their groups again and replay from the database what was published meanwhile, so
  each has heard every message clients were told was sent, in order, once; a client that reconnects
  with a resume cursor (`after`) gets what came after it, then the live ones.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest
from graphql_relay import from_global_id, to_global_id

from community.content.models import Post
from community.models import Activity
from gamification.models import PointsAccount, PointsTransaction
from tests.circles.factories import add_member, make_circle, verified_owner
from tests.faults.conftest import DatabaseLock, Load, serve_topology, wait_until
from tests.faults.operations import CREATE_POST, READ_CIRCLE, SEND_CHAT
from tests.faults.sockets import ChatListener
from tests.live import token_for
from tests.topology import Topology

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

OUTAGE_SECONDS = 30
AFTER_SECONDS = 12
CLEAN_WITHIN_SECONDS = 5.0
WRITERS = 12
MAX_POSTS_PER_WRITER = 3  # the post rule's daily cap is 30 points: 3 posts of 10


@dataclass
class Call:
    kind: str
    web: str
    sent_at: float
    status: int
    body: dict
    seconds: float


@dataclass
class Outcome:
    calls: list[Call] = field(default_factory=list)
    down_at: float = 0.0
    up_at: float = 0.0
    worker_pid_before: int = 0
    worker_pid_after: int = 0
    worker_log: str = ""
    waiting_behind_lock: int = 0
    settled: bool = False
    chat_ids: set[int] = field(default_factory=set)
    post_ids: set[int] = field(default_factory=set)
    activities: list[tuple[int, str, float, float | None]] = field(default_factory=list)
    post_points: dict[str, int] = field(default_factory=dict)
    listeners: list[ChatListener] = field(default_factory=list)
    resumed: ChatListener | None = None
    resumed_after: int = 0
    last_before_outage: int = 0

    def during_outage(self, kind: str) -> list[Call]:
        return [c for c in self.calls if c.kind == kind and self.down_at <= c.sent_at < self.up_at]


def succeeded_id(call: Call, field_name: str, object_name: str) -> int | None:
    payload = (call.body.get("data") or {}).get(field_name) or {}
    if call.status == 200 and not call.body.get("errors") and payload.get(object_name) and not payload["errors"]:
        return int(from_global_id(payload[object_name]["id"])[1])
    return None


@pytest.fixture(scope="module")
def topology(request, tmp_path_factory, django_db_setup, django_db_blocker):
    env = {"ACTIVITY_REDISPATCH_SECONDS": "10", "NEW_USER_DAYS": "0"}
    yield from serve_topology(request, tmp_path_factory, django_db_blocker, env)


@pytest.fixture(scope="module")
def outage(topology: Topology, django_db_blocker) -> Outcome:
    with django_db_blocker.unblock():
        host = verified_owner()
        circle = make_circle(host=host)
        writers = [verified_owner() for _ in range(WRITERS)]
        for writer in writers:
            add_member(circle, writer)
        tokens = [token_for(writer) for writer in writers]
        held = verified_owner()  # the owner whose post's points the worker is paying when Redis goes
        add_member(circle, held)
        PointsAccount.objects.create(user=held)
        held_token = token_for(held)
    circle_id = to_global_id("Circle", circle.pk)
    outcome = Outcome()
    posts_sent = [0] * WRITERS

    def call(kind: str, web: str, query: str, variables: dict, token: str) -> None:
        sent_at = time.monotonic()
        try:
            response = topology.graphql(web, query, variables, token=token, timeout=30)
            outcome.calls.append(Call(kind, web, sent_at, response.status, response.body, response.seconds))
        except OSError as error:
            outcome.calls.append(Call(kind, web, sent_at, 0, {"transport": repr(error)}, time.monotonic() - sent_at))

    def write(i: int, web: str) -> None:
        writer = (2 * i + (web == "web2")) % WRITERS
        if i % 3 == 0 and posts_sent[writer] < MAX_POSTS_PER_WRITER:
            posts_sent[writer] += 1
            call("post", web, CREATE_POST, {"c": circle_id, "b": f"第{i}条动态"}, tokens[writer])
        else:
            call("chat", web, SEND_CHAT, {"c": circle_id, "b": f"第{i}条消息"}, tokens[writer])

    def read(i: int) -> None:
        call("read", ("web2", "web1")[i % 2], READ_CIRCLE, {"c": circle_id}, tokens[i % WRITERS])

    listeners = [ChatListener(topology.ws_url(web), tokens[0], circle_id).started() for web in ("web1", "web2")]
    outcome.listeners = listeners
    for attempt in range(40):  # the protocol has no "subscribed": chat until both hear it
        call("warm", "web1", SEND_CHAT, {"c": circle_id, "b": f"热身{attempt}"}, tokens[1])
        if all(listener.wait_for(f"热身{attempt}", timeout=0.5) for listener in listeners):
            break
    loads = [Load(lambda i: write(i, "web1"), 0.25), Load(lambda i: write(i, "web2"), 0.25), Load(read, 0.3)]
    for load in loads:
        load.start()
    account = "SELECT 1 FROM gamification_pointsaccount WHERE user_id = %s FOR UPDATE"
    with DatabaseLock(account, (held.pk,)) as points_lock:
        call("post", "web1", CREATE_POST, {"c": circle_id, "b": "这条动态的积分正在发放"}, held_token)
        # The worker pays that post's points and waits on the lock, mid-task.
        outcome.waiting_behind_lock = points_lock.wait_for_waiters(1, timeout=30)
        outcome.worker_pid_before = topology.pid("worker")
        for load in loads:  # a quiet second: the worker, holding that task, waits on Redis for more
            load.pause()
        time.sleep(1.5)
        with django_db_blocker.unblock():
            outcome.last_before_outage = circle.chat_messages.order_by("-pk").values_list("pk", flat=True).first()
        outcome.down_at = time.monotonic()
        topology.stop_redis()
        for load in loads:
            load.resume()
        time.sleep(3)
        points_lock.release()  # the held task finishes while Redis is away: its ack is lost
    time.sleep(OUTAGE_SECONDS - 3)
    topology.start_redis()
    outcome.up_at = time.monotonic()
    # A client that lost its socket reconnects with the last message it saw, from before the outage.
    outcome.resumed_after = outcome.last_before_outage
    after = to_global_id("ChatMessage", outcome.last_before_outage)
    outcome.resumed = ChatListener(topology.ws_url("web2"), tokens[2], circle_id, after=after).started()
    time.sleep(AFTER_SECONDS)
    for load in loads:
        load.stop()
    assert not [load.error for load in loads if load.error]
    call("chat", "web2", SEND_CHAT, {"c": circle_id, "b": "最后一条"}, tokens[3])
    for listener in [*listeners, outcome.resumed]:
        listener.wait_for("最后一条", timeout=20)
        listener.stop()

    with django_db_blocker.unblock():
        outcome.settled = wait_until(lambda: not Activity.objects.filter(dispatched_at__isnull=True).exists(), 90)
        outcome.worker_pid_after = topology.pid("worker")
        outcome.worker_log = topology.log("worker")
        outcome.chat_ids = set(circle.chat_messages.values_list("pk", flat=True))
        outcome.post_ids = set(Post.objects.values_list("pk", flat=True))
        epoch = time.time() - time.monotonic()
        outcome.activities = [
            (a.pk, a.verb, a.created_at.timestamp() - epoch, a.dispatched_at and a.dispatched_at.timestamp() - epoch)
            for a in Activity.objects.order_by("pk")
        ]
        keys = PointsTransaction.objects.filter(key__startswith="post_created:").values_list("key", flat=True)
        for key in keys:
            outcome.post_points[key] = outcome.post_points.get(key, 0) + 1
    return outcome


def test_the_worker_holding_a_task_survives_the_outage_and_consumes_what_arrives_after(outage: Outcome):
    assert outage.waiting_behind_lock >= 1, "the worker never got to the points write"
    assert "Unrecoverable error" not in outage.worker_log
    assert outage.worker_pid_after == outage.worker_pid_before, "the worker died (supervisord started another)"
    after = [a for a in outage.activities if a[2] > outage.up_at]
    assert after, "nothing was written after Redis came back"
    assert all(dispatched is not None for _pk, _verb, _created, dispatched in after)


def test_every_write_during_the_outage_succeeded_or_failed_cleanly_within_seconds(outage: Outcome):
    writes = outage.during_outage("chat") + outage.during_outage("post")
    assert len(writes) > OUTAGE_SECONDS, "too few writes to tell"
    for call in writes:
        assert call.status in (200, 503), call
        assert "notJson" not in call.body and "transport" not in call.body, call
        codes = [error.get("extensions", {}).get("code") for error in call.body.get("errors", [])]
        assert "INTERNAL_SERVER_ERROR" not in codes, call
        assert call.seconds < CLEAN_WITHIN_SECONDS, call
    told_succeeded = [succeeded_id(c, "sendChatMessage", "message") for c in outage.calls if c.kind == "chat"]
    told_posted = [succeeded_id(c, "createPost", "post") for c in outage.calls if c.kind == "post"]
    assert {i for i in told_succeeded if i} <= outage.chat_ids  # nothing a client was told succeeded is lost
    assert {i for i in told_posted if i} <= outage.post_ids
    assert sum(1 for c in writes if succeeded_id(c, "sendChatMessage", "message")) > len(writes) / 2


def test_live_sockets_stay_open_and_replay_what_was_sent_while_the_layer_was_away(outage: Outcome):
    told_sent = sorted(i for i in (succeeded_id(c, "sendChatMessage", "message") for c in outage.calls) if i)
    after_warm_up = [i for i in told_sent if i > outage.last_before_outage]
    assert len(after_warm_up) > OUTAGE_SECONDS / 2, "too few messages to tell"
    for listener in outage.listeners:
        assert listener.error is None, listener.error
        assert listener.close_code is None, f"the socket was closed with {listener.close_code}"
        assert listener.errors == []
        heard = [int(from_global_id(gid)[1]) for gid in listener.ids]
        assert len(heard) == len(set(heard)), "a message arrived twice"
        assert set(after_warm_up) <= set(heard), sorted(set(after_warm_up) - set(heard))


def test_a_client_resuming_after_a_message_gets_everything_after_it_once(outage: Outcome):
    resumed = outage.resumed
    assert resumed is not None and resumed.error is None and resumed.close_code is None
    heard = [int(from_global_id(gid)[1]) for gid in resumed.ids]
    told_sent = {i for i in (succeeded_id(c, "sendChatMessage", "message") for c in outage.calls) if i}
    assert len(heard) == len(set(heard))
    assert all(i > outage.resumed_after for i in heard)
    assert {i for i in told_sent if i > outage.resumed_after} <= set(heard)


def test_reads_kept_working_during_the_outage(outage: Outcome):
    reads = outage.during_outage("read")
    assert len(reads) > OUTAGE_SECONDS
    for call in reads:
        assert call.status == 200 and not call.body.get("errors"), call
        assert call.body["data"]["circle"]["memberCount"] == WRITERS + 2  # the host, the writers and the held owner
        assert call.seconds < CLEAN_WITHIN_SECONDS, call


def test_every_activity_is_consumed_and_every_post_paid_exactly_once_afterwards(outage: Outcome):
    assert outage.settled, [a for a in outage.activities if a[3] is None]
    assert outage.post_ids
    assert set(outage.post_points) == {f"post_created:post:{pk}" for pk in outage.post_ids}
    assert set(outage.post_points.values()) == {1}


LOGOUT_ALL = "mutation { logout(input: {allDevices: true}) { revoked errors { code } } }"


def test_logging_out_closes_the_users_sockets_on_both_processes_through_redis(
    outage: Outcome, topology: Topology, django_db_blocker
):
    """After the outage, with Redis back: one user's sockets on web1 and web2 close at once (4401) when they
    log out of all devices through web2; another user's socket on web1 stays open."""
    with django_db_blocker.unblock():
        leaver, stayer = verified_owner(), verified_owner()
        circle = make_circle(host=verified_owner())
        add_member(circle, leaver)
        add_member(circle, stayer)
        tokens = [token_for(leaver) for _ in range(2)]
        other = token_for(stayer)
    circle_id = to_global_id("Circle", circle.pk)
    on_web1 = ChatListener(topology.ws_url("web1"), tokens[0], circle_id).started()
    on_web2 = ChatListener(topology.ws_url("web2"), tokens[1], circle_id).started()
    bystander = ChatListener(topology.ws_url("web1"), other, circle_id).started()
    response = topology.graphql("web2", LOGOUT_ALL, {}, token=tokens[1], timeout=30)
    assert response.body["data"]["logout"] == {"revoked": 2, "errors": []}, response
    for listener in (on_web1, on_web2):
        assert listener.closed.wait(10), "the socket stayed open after logout"
        assert listener.close_code == 4401
    assert not bystander.closed.is_set()
    bystander.stop()
