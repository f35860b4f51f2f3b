"""Plain HTTP endpoints beside GraphQL."""

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

from community.kernel import database_availability

logger = logging.getLogger(__name__)
CHECK_TIMEOUT = 2.0


def _database_state() -> str:
    """'up', 'busy' (the pool had no connection for us, or requests were just refused one) or 'down'."""
    try:
        state = database_availability.check_database(CHECK_TIMEOUT)
    except Exception as error:
        if database_availability.is_database_unavailable(error):
            return "busy" if connection.vendor == "postgresql" and connection.pool is not None else "down"
        logger.warning("health check: database down", exc_info=True)
        return "down"
    if state == "up" and database_availability.refusals_within(database_availability.BUSY_WINDOW_SECONDS):
        return "busy"
    return state


def _cache_up() -> bool:
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:
        logger.warning("health check: cache down", exc_info=True)
        return False


async def _channel_layer_up() -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        channel = await layer.new_channel()
        await asyncio.wait_for(layer.send(channel, {"type": "healthz"}), CHECK_TIMEOUT)
        message = await asyncio.wait_for(layer.receive(channel), CHECK_TIMEOUT)
        return message.get("type") == "healthz"
    except Exception:
        logger.warning("health check: channel layer down", exc_info=True)
        return False


def _database_report() -> dict:
    state = _database_state()
    return {
        "database": state,
        "pool": database_availability.pool_state(),
        "refusedLastMinute": database_availability.refusals_within(database_availability.REPORT_WINDOW_SECONDS),
    }


async def healthz(request):
    """Each dependency, and this process's connection pool; 503 while the database is down or busy
    (requests are being refused a connection), since the rest only degrade real-time and background work."""
    database = await sync_to_async(_database_report, thread_sensitive=False)()
    cache_ok = await sync_to_async(_cache_up, thread_sensitive=False)()
    layer_ok = await _channel_layer_up()
    state = database["database"]
    body = {
        "status": {"up": "ok", "busy": "busy"}.get(state, "unavailable"),
        **database,
        "cache": "up" if cache_ok else "down",
        "channelLayer": "up" if layer_ok else "down",
    }
    return JsonResponse(body, status=200 if state == "up" else 503)
