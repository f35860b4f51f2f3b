"""The one door for real-time: services publish here, after commit, to channel-layer groups.

Real-time is best effort. The database is the truth; when the channel layer is down the write
still succeeds, the failure is logged, and clients catch up by querying.
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

EVENT_TYPE = "realtime.event"
SEND_TIMEOUT_SECONDS = 2.0


def user_notifications_topic(user_id: int) -> str:
    return f"user.{user_id}.notifications"


def circle_chat_topic(circle_id: int) -> str:
    return f"circle.{circle_id}.chat"


def event_seats_topic(event_id: int) -> str:
    return f"event.{event_id}.seats"


def publish(topic: str, payload: dict) -> None:
    """Send `payload` to everyone subscribed to `topic` once the current transaction commits."""
    transaction.on_commit(partial(send_now, topic, payload), robust=True)


def send_now(topic: str, payload: dict) -> bool:
    try:
        async_to_sync(send_async)(topic, payload)
        return True
    except Exception:
        logger.warning("real-time publish to %s failed; clients will catch up by querying", topic, exc_info=True)
        return False


async def send_async(topic: str, payload: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": EVENT_TYPE, "topic": topic, "payload": payload}
    await asyncio.wait_for(layer.group_send(topic, message), SEND_TIMEOUT_SECONDS)
