"""Processes of the topology that die or are stopped: supervisord starts them again and nothing is lost.

- the worker killed with SIGKILL in the middle of paying points: no award paid twice, none lost;
- one web server killed: its clients recover on reconnect, the other server's clients never notice;
- SIGTERM during requests: they finish, WebSockets close with 1001, the process exits within the grace
  time; a request stuck beyond it does not keep the process alive, and leaves nothing half-written.
"""

from __future__ import annotations

import signal
import threading
import time

import pytest
from django.db.models import Sum
from graphql_relay import from_global_id, to_global_id

from circles.models import ChatMessage
from community.content.models import Post
from community.models import Activity
from gamification.models import PointsAccount, PointsTransaction
from tests.circles.factories import add_member, make_circle, verified_owner
from tests.faults.conftest import DatabaseLock, serve_topology, wait_until
from tests.faults.operations import CREATE_POST, SEND_CHAT
from tests.faults.sockets import ABNORMAL_CLOSURE, ChatListener
from tests.live import token_for
from tests.topology import Topology

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

GRACE_SECONDS = 6.0
EXIT_MARGIN_SECONDS = 4.0
GOING_AWAY = 1001
WARM_UP = "预热"


@pytest.fixture(scope="module")
def topology(request, tmp_path_factory, django_db_setup, django_db_blocker):
    env = {
        "ACTIVITY_REDISPATCH_SECONDS": "5",
        "NEW_USER_DAYS": "0",
        "SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
        "SHUTDOWN_EXIT_MARGIN_SECONDS": str(EXIT_MARGIN_SECONDS),
    }
    yield from serve_topology(request, tmp_path_factory, django_db_blocker, env)


@pytest.fixture(autouse=True)
def _every_process_up(topology: Topology):
    """Each test starts on a whole topology, whatever the one before it broke."""
    for web in ("web1", "web2"):
        topology.wait_healthy(web)


@pytest.fixture
def circle_with_members():
    """A public circle, its host and six members with their tokens."""
    host = verified_owner()
    circle = make_circle(host=host)
    members = [verified_owner() for _ in range(6)]
    for member in members:
        add_member(circle, member)
    return circle, to_global_id("Circle", circle.pk), [token_for(member) for member in members]


def send_chat(topology: Topology, web: str, circle_id: str, token: str, body: str) -> int:
    response = topology.graphql(web, SEND_CHAT, {"c": circle_id, "b": body}, token=token)
    payload = response.body["data"]["sendChatMessage"]
    assert response.status == 200 and not payload["errors"], response
    return int(from_global_id(payload["message"]["id"])[1])


def all_listening(topology: Topology, circle_id: str, token: str, listeners: list[ChatListener]) -> None:
    """Chat until every listener hears it: their subscriptions have joined the topic's group."""
    for attempt in range(40):
        body = f"{WARM_UP}{attempt}"
        send_chat(topology, "web2", circle_id, token, body)
        if all(listener.wait_for(body, timeout=0.5) for listener in listeners):
            return
    raise AssertionError("the subscriptions never received a message")


def heard(listener: ChatListener) -> list[str]:
    return [body for body in listener.bodies if not body.startswith(WARM_UP)]


def restarted_and_healthy(topology: Topology, program: str, old_pid: int) -> int:
    pid = topology.wait_restarted(program, old_pid)
    if program.startswith("web"):
        topology.wait_healthy(program)
    else:
        wait_until(lambda: topology.log(program).count(" ready.") >= 2, 90)
    return pid


def test_the_worker_killed_mid_work_is_restarted_and_pays_every_post_exactly_once(topology: Topology):
    circle = make_circle()
    authors = [verified_owner() for _ in range(24)]
    for author in authors:
        add_member(circle, author)
    circle_id = to_global_id("Circle", circle.pk)
    with DatabaseLock.table("gamification_pointstransaction") as ledger:
        for i, author in enumerate(authors):
            response = topology.graphql(
                ("web1", "web2")[i % 2], CREATE_POST, {"c": circle_id, "b": f"第{i}条"}, token=token_for(author)
            )
            assert response.status == 200 and not response.body["data"]["createPost"]["errors"], response
        assert ledger.wait_for_waiters(2) >= 2  # both pool processes are paying points, mid-transaction
        old_pid = topology.kill("worker", signal.SIGKILL)  # the whole worker: main process and its pool
    restarted_and_healthy(topology, "worker", old_pid)

    posts = list(Post.objects.values_list("pk", "author_id"))
    assert len(posts) == len(authors)
    assert wait_until(lambda: not Activity.objects.filter(dispatched_at__isnull=True).exists(), 90)
    keys = list(PointsTransaction.objects.filter(key__startswith="post_created:").values_list("key", flat=True))
    assert sorted(keys) == sorted(f"post_created:post:{pk}" for pk, _author in posts)  # none lost, none twice
    balances = dict(PointsAccount.objects.filter(user__in=authors).values_list("user_id", "balance"))
    assert balances == {author.pk: 10 for author in authors}
    ledger_total = PointsTransaction.objects.filter(account__user__in=authors).aggregate(total=Sum("amount"))
    assert ledger_total["total"] == 10 * len(authors)


def test_one_web_server_killed_its_clients_recover_on_reconnect_and_the_others_never_notice(
    topology: Topology, circle_with_members
):
    _circle, circle_id, tokens = circle_with_members
    on_web1 = [ChatListener(topology.ws_url("web1"), token, circle_id).started() for token in tokens[:3]]
    on_web2 = [ChatListener(topology.ws_url("web2"), token, circle_id).started() for token in tokens[3:]]
    all_listening(topology, circle_id, tokens[0], on_web1 + on_web2)
    send_chat(topology, "web2", circle_id, tokens[0], "大家好")
    assert all(listener.wait_for("大家好") for listener in on_web1 + on_web2)

    old_pid = topology.kill("web1", signal.SIGKILL)
    assert all(listener.closed.wait(10) for listener in on_web1)
    assert {listener.close_code for listener in on_web1} == {ABNORMAL_CLOSURE}
    send_chat(topology, "web2", circle_id, tokens[3], "一号服务器刚刚挂了")

    # The load balancer sends the reconnecting clients to the server that is still up...
    reconnected = [ChatListener(topology.ws_url("web2"), token, circle_id).started() for token in tokens[:3]]
    all_listening(topology, circle_id, tokens[4], reconnected)
    send_chat(topology, "web2", circle_id, tokens[4], "重连以后还能收到吗")
    assert all(listener.wait_for("重连以后还能收到吗") for listener in reconnected)
    # ...and supervisord has started the killed one again, which takes clients as before.
    restarted_and_healthy(topology, "web1", old_pid)
    back_on_web1 = ChatListener(topology.ws_url("web1"), tokens[0], circle_id).started()
    all_listening(topology, circle_id, tokens[5], [back_on_web1])
    send_chat(topology, "web1", circle_id, tokens[5], "一号服务器回来了")
    assert back_on_web1.wait_for("一号服务器回来了")

    for listener in on_web2:
        assert listener.wait_for("一号服务器回来了")
        assert not listener.closed.is_set(), listener.close_code
        assert heard(listener) == ["大家好", "一号服务器刚刚挂了", "重连以后还能收到吗", "一号服务器回来了"]
    for listener in [*on_web2, *reconnected, back_on_web1]:
        listener.stop()
        assert listener.error is None, listener.error


def test_sigterm_finishes_requests_in_flight_closes_sockets_with_1001_and_exits_within_the_grace_time(
    topology: Topology, circle_with_members
):
    circle, circle_id, tokens = circle_with_members
    listeners = [ChatListener(topology.ws_url("web1"), token, circle_id).started() for token in tokens[:2]]
    results: dict[int, object] = {}

    def send(i: int) -> None:
        try:
            results[i] = topology.graphql("web1", SEND_CHAT, {"c": circle_id, "b": f"关机前的第{i}条"}, token=tokens[i])
        except OSError as error:
            results[i] = error

    with DatabaseLock.table("circles_chatmessage") as chat_table:
        senders = [threading.Thread(target=send, args=(i,)) for i in range(5)]
        for sender in senders:
            sender.start()
        assert chat_table.wait_for_waiters(5) >= 5  # five requests in flight, waiting to write
        pid = topology.pid("web1")
        stopped_at = time.monotonic()
        topology.kill("web1", signal.SIGTERM, group=False)  # as systemd's KillMode=mixed does first
        assert all(listener.closed.wait(5) for listener in listeners)
        time.sleep(0.5)
    for sender in senders:
        sender.join(30)
    exited_after = topology.wait_exited(pid, GRACE_SECONDS + EXIT_MARGIN_SECONDS)
    exited_at = time.monotonic()  # now, not after the checks below (their queries are no part of the stop)

    assert {listener.close_code for listener in listeners} == {GOING_AWAY}
    for i in range(5):
        response = results[i]
        assert not isinstance(response, OSError), response
        payload = (response.body.get("data") or {}).get("sendChatMessage")
        assert response.status == 200 and payload and not payload["errors"], response.body
        assert ChatMessage.objects.filter(pk=from_global_id(payload["message"]["id"])[1], circle=circle).exists()
    assert exited_after is not None and exited_at - stopped_at < GRACE_SECONDS, "not drained in time"
    restarted_and_healthy(topology, "web1", pid)


def test_a_request_stuck_past_the_grace_time_does_not_keep_the_server_alive_nor_half_write(
    topology: Topology, circle_with_members
):
    circle, circle_id, tokens = circle_with_members
    result: list[object] = []

    def send() -> None:
        try:
            result.append(topology.graphql("web1", SEND_CHAT, {"c": circle_id, "b": "卡住的消息"}, token=tokens[0]))
        except OSError as error:
            result.append(error)

    with DatabaseLock.table("circles_chatmessage") as chat_table:
        sender = threading.Thread(target=send)
        sender.start()
        assert chat_table.wait_for_waiters(1) >= 1
        pid = topology.pid("web1")
        topology.kill("web1", signal.SIGTERM, group=False)
        exited_after = topology.wait_exited(pid, GRACE_SECONDS + EXIT_MARGIN_SECONDS + 3)
    sender.join(30)

    assert exited_after is not None, "the server outlived its grace time and exit margin"
    assert exited_after < GRACE_SECONDS + EXIT_MARGIN_SECONDS + 1
    assert isinstance(result[0], OSError), result  # the client was not told it succeeded...
    assert not ChatMessage.objects.filter(circle=circle, body="卡住的消息").exists()  # ...and nothing was written
    restarted_and_healthy(topology, "web1", pid)
