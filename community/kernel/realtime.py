"""The one door for real-time: services publish here, after commit, to channel-layer groups.

Real-time is best effort. The database is the truth; when the channel layer is down the write
still succeeds, the failure is logged, and clients catch up by querying.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial

from asgiref.sync import SyncToAsync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

EVENT_TYPE = "realtime.event"
CONTROL_TYPE = "realtime.control"  # to sockets themselves: close them, or have them read their user again
SEND_TIMEOUT_SECONDS = 2.0


def user_notifications_topic(user_id: int) -> str:
    return f"user.{user_id}.notifications"


def user_direct_messages_topic(user_id: int) -> str:
    """A person's private messages, sent and received: only that person's own sockets listen."""
    return f"user.{user_id}.direct_messages"


def circle_chat_topic(circle_id: int) -> str:
    return f"circle.{circle_id}.chat"


def event_seats_topic(event_id: int) -> str:
    return f"event.{event_id}.seats"


def circle_access_topic(circle_id: int) -> str:
    """Who may read the circle changed (visibility, a member out, a role): live subscriptions check again."""
    return f"circle.{circle_id}.access"


# The sockets themselves: every signed-in socket joins its user's, its token's or its session's group.


def user_sockets_topic(user_id: int) -> str:
    return f"user.{user_id}.sockets"


def token_sockets_topic(token: str) -> str:
    """By the token's digest: group names travel through Redis, the raw token never does."""
    return f"token.{hashlib.sha256(token.encode()).hexdigest()}.sockets"


def session_sockets_topic(session_key: str) -> str:
    return f"session.{session_key}.sockets"


ACCESS_CHANGED = {"kind": "access"}


def publish(topic: str, payload: dict) -> None:
    """Send `payload` to everyone subscribed to `topic` once the current transaction commits."""
    transaction.on_commit(partial(send_now, topic, payload), robust=True)


def publish_access_changed(circle_id: int) -> None:
    """After commit, every live subscription of the circle (its chat, its events' seats) checks its viewer again
    and ends with FORBIDDEN if they may no longer read it."""
    publish(circle_access_topic(circle_id), ACCESS_CHANGED)


def close_sockets(topic: str, *, code: int, reason: str) -> None:
    """After commit, close every socket of a `*_sockets_topic` group, on every server process."""
    message = {"type": CONTROL_TYPE, "action": "close", "code": code, "reason": reason}
    transaction.on_commit(partial(send_message_now, topic, message), robust=True)


def refresh_sockets(topic: str) -> None:
    """After commit, the sockets of a `*_sockets_topic` group read their user again (a mute, a deactivation,
    lost staff rights) and their subscriptions check their access again."""
    message = {"type": CONTROL_TYPE, "action": "refresh"}
    transaction.on_commit(partial(send_message_now, topic, message), robust=True)


def send_now(topic: str, payload: dict) -> bool:
    """Publish `payload` to `topic` from sync code now; see send_message_now."""
    return send_message_now(topic, {"type": EVENT_TYPE, "topic": topic, "payload": payload})


def send_message_now(topic: str, message: dict) -> bool:
    """Publish from sync code, waiting a bounded time: never longer than SEND_TIMEOUT_SECONDS and a margin.

    Not `async_to_sync`: it waits for ever on a server loop that stopped (daphne shutting down),
    which kept the process alive after SIGTERM. The send runs on the loop of the server thread that
    called us while that loop runs (the in-memory layer needs it; Redis reuses its connections),
    else on this process's own publishing loop (Celery workers, commands, a stopped server).
    """
    future = None
    try:
        future = asyncio.run_coroutine_threadsafe(send_async(topic, None, message=message), _target_loop())
        future.result(timeout=SEND_TIMEOUT_SECONDS + 1.0)
        return True
    except Exception as error:
        if future is not None:
            future.cancel()
        timed_out = isinstance(error, FutureTimeout | TimeoutError)
        logger.warning(
            "real-time publish to %s %s; clients will catch up by querying",
            topic,
            "timed out" if timed_out else "failed",
            exc_info=not timed_out,
        )
        return False


def _target_loop() -> asyncio.AbstractEventLoop:
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is not None and getattr(local, "main_event_loop_pid", None) == os.getpid() and loop.is_running():
        return loop
    return _publishing_loop()


_publisher_lock = threading.Lock()
_publisher: dict = {"loop": None, "pid": None}


def _publishing_loop() -> asyncio.AbstractEventLoop:
    """One event loop per process in a daemon thread (started again after a fork, as in Celery's pool)."""
    with _publisher_lock:
        loop = _publisher["loop"]
        if loop is None or _publisher["pid"] != os.getpid() or not loop.is_running():
            loop = asyncio.new_event_loop()
            started = threading.Event()
            loop.call_soon(started.set)
            threading.Thread(target=loop.run_forever, name="realtime-publisher", daemon=True).start()
            started.wait(5)
            _publisher.update(loop=loop, pid=os.getpid())
        return loop


async def send_async(topic: str, payload: dict | None, *, message: dict | None = None) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    if message is None:
        message = {"type": EVENT_TYPE, "topic": topic, "payload": payload}
    await asyncio.wait_for(layer.group_send(topic, message), SEND_TIMEOUT_SECONDS)
