"""Plain HTTP endpoints beside GraphQL."""

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)
CHECK_TIMEOUT = 2.0


def _database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("health check: database down", exc_info=True)
        return False


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


async def healthz(request):
    """Each dependency up or down; 503 only when the database is down (the rest degrade)."""
    database = await sync_to_async(_database_up, thread_sensitive=False)()
    cache_ok = await sync_to_async(_cache_up, thread_sensitive=False)()
    layer_ok = await _channel_layer_up()
    body = {
        "status": "ok" if database else "unavailable",
        "database": "up" if database else "down",
        "cache": "up" if cache_ok else "down",
        "channelLayer": "up" if layer_ok else "down",
    }
    return JsonResponse(body, status=200 if database else 503)
