"""The Celery broker transport: kombu's Redis transport, made to survive Redis going away mid-poll.

When Redis disappears while the worker waits in BRPOP for more work and still holds an unacked task,
celery 5.7 first `collect()`s the broken connection and then closes it. The first close reads the
pending BRPOP reply, gets a ConnectionError and gives up before the channel is marked closed;
`collect()` then detaches the transport from the connection. The second close finds the channel
still open, tries to put the unacked task back, builds a Redis pool from the detached transport and
raises AttributeError ("'NoneType' object has no attribute 'hostname'"), which is no connection
error: the worker logs "Unrecoverable error" and exits for good.

Here a BRPOP reply lost with the connection is treated like an empty one, so the first close
finishes: the channel is closed, the unacked task stays in Redis's unacked index (restored once its
visibility timeout passes, or redispatched by beat for activities), and the worker reconnects when
Redis returns. Selected by CELERY_BROKER_TRANSPORT for redis:// brokers.
"""

from __future__ import annotations

import logging
from queue import Empty

from kombu.transport import redis

logger = logging.getLogger(__name__)


class Channel(redis.Channel):
    def close(self) -> None:
        if self._in_poll and not self.closed:
            try:
                self._brpop_read()  # a task that arrived just now is delivered, as kombu's close does
            except Empty:
                pass
            except self.connection_errors as error:
                logger.info("broker connection lost while closing the channel: %r", error)
        super().close()


class Transport(redis.Transport):
    Channel = Channel
