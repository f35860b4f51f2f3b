"""The GraphQL WebSocket: the graphql-transport-ws protocol over Channels, running the schema.

Protocol: https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md. Any standard client
(graphql-ws, Apollo, Python gql) speaks it. Subscriptions listen to channel-layer groups named
after their topic; `community.kernel.realtime` is the only thing that sends to those groups.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import uuid
import weakref
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlparse

import graphene
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels.security.websocket import WebsocketDenier
from channels.utils import await_many_dispatch
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http.request import validate_host
from django.utils import translation
from django.utils.translation import gettext as _
from graphql import (
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
    located_error,
)
from graphql.execution import create_source_event_stream
from graphql.execution.collect_fields import collect_fields

from community.graphql.auth import bearer_token
from community.graphql.documents import checked_document
from community.graphql.errors import CodedError
from community.graphql.execution import CommunityExecutionContext
from community.graphql.limits import cost_error
from community.graphql.validation import VALIDATION_RULES
from community.graphql.view import format_error
from community.kernel import realtime

logger = logging.getLogger(__name__)

SUBPROTOCOL = "graphql-transport-ws"
QUEUE_SIZE = 1000
LAYER_RETRY_FIRST_SECONDS = 0.5
LAYER_RETRY_MAX_SECONDS = 5.0
LAYER_CALL_SECONDS = 3.0
REJOIN_CONCURRENCY = 8


class Close:
    BAD_REQUEST = 4400
    UNAUTHORIZED = 4401
    FORBIDDEN = 4403
    SUBPROTOCOL_NOT_ACCEPTABLE = 4406
    INIT_TIMEOUT = 4408
    DUPLICATE_SUBSCRIBER = 4409
    TOO_MANY_INIT = 4429
    INTERNAL_ERROR = 4500


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def origin_allowed(origin: str) -> bool:
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    try:
        parsed = urlparse(origin)
        port = parsed.port
    except ValueError:  # "http://[::1", a port that is no number or out of range: not an origin
        return False
    hostname = parsed.hostname
    if parsed.scheme not in {"http", "https"} or not hostname:
        return False
    if ":" in hostname:  # IPv6, which ALLOWED_HOSTS writes in brackets: [::1]
        hostname = f"[{hostname}]"
    host = hostname if port is None else f"{hostname}:{port}"
    hosts = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    return validate_host(hostname, hosts) or validate_host(host, hosts)


class OriginValidator:
    """Browsers always send Origin, and it must be one of ours; native apps send none."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        origin = _header(scope, b"origin")
        if scope["type"] == "websocket" and origin is not None and not origin_allowed(origin):
            logger.info("refused WebSocket from origin %s", origin)
            return await WebsocketDenier()(scope, receive, send)
        return await self.app(scope, receive, send)


def _meta(scope) -> dict:
    """The request META that resolvers read (user agent, client address for rate limits)."""
    client = scope.get("client") or ("", 0)
    meta = {"HTTP_USER_AGENT": _header(scope, b"user-agent") or "", "REMOTE_ADDR": client[0] or ""}
    forwarded = _header(scope, b"x-forwarded-for")
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return meta


class SocketContext:
    """What resolvers see as `info.context` on the WebSocket; a fresh one per execution."""

    def __init__(self, consumer: GraphQLTransportWSConsumer) -> None:
        self.consumer = consumer
        self.user = consumer.user
        # The token the socket signed in with, so `logout` over the socket revokes it.
        self.bearer_token = getattr(consumer, "token", None)
        self.META = _meta(consumer.scope)

    def listen(self, *topics: str) -> TopicListener:
        """The events published to `topics`: `async for payload in info.context.listen(topic)`. Besides
        them, `{"kind": "access"}` arrives whenever the socket's user was read again (logged out elsewhere,
        muted, deactivated): the subscription checks its access again with `current_user()`."""
        return self.consumer.listen(*topics)

    def current_user(self):
        """The socket's user as of now (read again after a mute or a deactivation), not as of subscribing."""
        return self.consumer.user

    def build_absolute_uri(self, path: str) -> str:
        host = _header(self.consumer.scope, b"host") or "localhost"
        scheme = "https" if self.consumer.scope.get("scheme") == "wss" or settings.HTTPS else "http"
        return f"{scheme}://{host}{path}"


class TopicListener:
    """The events published to some topics, for one subscription.

    Iterating it joins the topics' groups (on the first step) and leaving the loop, however it
    ends (complete, cancel, disconnect), leaves them. `await`ing it first joins right away, for a
    resolver that must not miss what is published before it starts iterating.
    """

    def __init__(self, consumer: GraphQLTransportWSConsumer, *topics: str) -> None:
        self.consumer = consumer
        self.topics = topics
        self.queue: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_SIZE)
        self.joined = False

    @property
    def topic(self) -> str:
        return self.topics[0]

    def __await__(self):
        return self._join().__await__()

    async def _join(self) -> TopicListener:
        if not self.joined:
            self.joined = True
            self.consumer.listeners.add(self.queue)
            for topic in self.topics:
                await self.consumer._join(topic, self.queue)
        return self

    def __aiter__(self) -> AsyncIterator[dict]:
        return self._events()

    async def leave(self) -> None:
        """Leave without having iterated (the resolver refused the subscription after joining)."""
        self.consumer.listeners.discard(self.queue)
        for topic in self.topics:
            await self.consumer._unjoin(topic, self.queue)

    async def _events(self) -> AsyncIterator[dict]:
        try:
            await self._join()
            while True:
                yield await self.queue.get()
        finally:
            self.consumer.listeners.discard(self.queue)
            for topic in self.topics:
                await self.consumer._unjoin(topic, self.queue)


class GraphQLTransportWSConsumer(AsyncWebsocketConsumer):
    """Given by the ASGI application (`as_asgi(schema=..., authenticate=...)`): the root schema, and how a
    bearer token becomes a user. The API machinery knows neither the apps nor the accounts."""

    schema: graphene.Schema | None = None
    authenticate: Callable[[str], object | None] | None = None

    def __init__(self, *args, schema: graphene.Schema | None = None, authenticate=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if schema is not None:
            self.schema = schema
        if authenticate is not None:
            self.authenticate = authenticate
        self.listeners: set[asyncio.Queue] = set()  # every subscription's queue, told when access changes
        self.control_topics: list[str] = []  # the groups of this socket's user, token and session
        self.layer_down = False
        self.rejoining: asyncio.Task | None = None
        self.rejoin_again = False  # the layer restarted while a rejoin was under way: join once more

    async def __call__(self, scope, receive, send):
        """As channels' AsyncConsumer, but a channel layer that goes away (Redis down or restarted) does not end
        the socket (channels lets the receive error through: daphne closed every socket with 1011): receiving
        retries with backoff, the socket's groups are joined again once the layer answers, and every
        subscription is told to resume (it replays from the database what it missed)."""
        self.scope = scope
        self.base_send = send
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        sources = [receive]
        _live_consumers.add(self)
        if self.channel_layer is not None:
            _watch_layer(self.channel_layer)
            self.channel_name = await self.channel_layer.new_channel()
            sources.append(self._channel_receive)
        try:
            await await_many_dispatch(sources, self.dispatch)
        except StopConsumer:
            pass
        finally:
            _live_consumers.discard(self)
            if self.rejoining is not None:
                self.rejoining.cancel()

    async def _channel_receive(self) -> dict:
        delay = LAYER_RETRY_FIRST_SECONDS
        while True:
            try:
                return await self.channel_layer.receive(self.channel_name)
            except asyncio.CancelledError:
                raise
            except Exception:
                # channels-redis raises in one receiver only (the one holding its receive lock); the others
                # of this process wait on their buffers and would never learn their groups are gone.
                for consumer in list(_live_consumers):
                    consumer._layer_lost()
                await asyncio.sleep(delay * (0.5 + random.random()))  # jittered: processes do not retry in step
                delay = min(delay * 2, LAYER_RETRY_MAX_SECONDS)

    def _layer_lost(self, *, memberships_gone: bool = False) -> None:
        """The channel layer failed: join the groups again (with backoff) until it answers, then resume.

        `memberships_gone`: the layer's Redis restarted (see `_LayerWatcher`), so whatever a rejoin under
        way has already joined may have been on the Redis that is gone: it joins everything once more."""
        if not hasattr(self, "membership"):  # not connected yet: connect joins nothing before the ack
            return
        if not self.layer_down:
            self.layer_down = True
            logger.warning(
                "channel layer unavailable: the socket stays open and joins its groups again when it returns"
            )
        if self.rejoining is None or self.rejoining.done():
            self.rejoin_again = False
            self.rejoining = asyncio.create_task(self._rejoin())
        elif memberships_gone:
            self.rejoin_again = True

    async def _rejoin(self) -> None:
        delay = LAYER_RETRY_FIRST_SECONDS
        while True:
            await asyncio.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, LAYER_RETRY_MAX_SECONDS)
            try:
                async with _rejoin_gate(), self.membership:
                    self.rejoin_again = False
                    for topic in list(self.topics) + self.control_topics:
                        await asyncio.wait_for(
                            self.channel_layer.group_add(topic, self.channel_name), LAYER_CALL_SECONDS
                        )
            except asyncio.CancelledError:
                raise
            except Exception:
                continue
            if not self.rejoin_again:
                break
        self.layer_down = False
        logger.info("channel layer back: groups joined again, subscriptions resume")
        for queue in list(self.listeners):
            _put_control(queue, RESUME)

    async def connect(self):
        self.user = AnonymousUser()
        self.acknowledged = False
        self.init_received = False
        self.closing = False
        self.operations: dict[str, asyncio.Task] = {}
        self.topics: dict[str, set[asyncio.Queue]] = {}
        self.membership = asyncio.Lock()  # keeps group_add and group_discard of a topic in order
        self.language = translation.get_language_from_request(_LanguageProbe(self.scope))
        self.background: list[asyncio.Task] = []
        if SUBPROTOCOL not in self.scope.get("subprotocols", []):
            await self.close()  # refuses the handshake: we speak nothing else
            return
        await self.accept(subprotocol=SUBPROTOCOL)
        self.background.append(asyncio.create_task(self._init_timeout()))
        self.background.append(asyncio.create_task(self._renew_memberships()))

    async def disconnect(self, code):
        self.closing = True
        tasks = list(self.operations.values()) + getattr(self, "background", [])
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        for topic in list(getattr(self, "topics", {})):
            del self.topics[topic]
            await self._leave(topic)
        for topic in getattr(self, "control_topics", []):
            try:
                await self.channel_layer.group_discard(topic, self.channel_name)
            except Exception:
                logger.warning("could not leave %s", topic, exc_info=True)

    # ------------------------------------------------------------ protocol

    async def receive(self, text_data=None, bytes_data=None):
        if self.closing:  # the server closed the socket: whatever the client still sends is moot
            return None
        if text_data is None:
            return await self._close(Close.BAD_REQUEST, "Binary messages are not supported")
        if len(text_data) > settings.GRAPHQL_MAX_QUERY_BYTES * 4:
            return await self._close(Close.BAD_REQUEST, "Message is too large")
        try:
            message = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than json's parser recurses
            return await self._close(Close.BAD_REQUEST, "Invalid message received")
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            return await self._close(Close.BAD_REQUEST, "Invalid message received")
        handler = {
            "connection_init": self._on_init,
            "ping": self._on_ping,
            "pong": self._on_pong,
            "subscribe": self._on_subscribe,
            "complete": self._on_complete,
        }.get(message["type"])
        if handler is None:
            return await self._close(Close.BAD_REQUEST, f"Invalid message type {message['type'][:40]!r}")
        await handler(message)

    async def _on_init(self, message):
        if self.init_received:
            return await self._close(Close.TOO_MANY_INIT, "Too many initialisation requests")
        self.init_received = True
        payload = message.get("payload")
        if payload is not None and not isinstance(payload, dict):
            return await self._close(Close.BAD_REQUEST, "Invalid connection_init payload")
        payload = payload or {}
        header = payload.get("authorization") or payload.get("Authorization")
        if header is not None:
            token = bearer_token(header) if isinstance(header, str) else None
            user = await database_sync_to_async(self.authenticate)(token) if token else None
            if user is None:  # invalid, expired or revoked: graphql-transport-ws says 4401
                return await self._close(Close.UNAUTHORIZED, "Unauthorized")
            self.user = user
            self.token = token
            self.control_topics = [realtime.user_sockets_topic(user.pk), realtime.token_sockets_topic(token)]
        else:
            session_user = self.scope.get("user")
            signed_in = database_sync_to_async(lambda: session_user.is_authenticated)
            if session_user is not None and await signed_in():
                self.user = session_user._wrapped if hasattr(session_user, "_wrapped") else session_user
                self.control_topics = [realtime.user_sockets_topic(self.user.pk)]
                session_key = getattr(self.scope.get("session"), "session_key", None)
                if session_key:
                    self.control_topics.append(realtime.session_sockets_topic(session_key))
        # Joined before the ack: a logout committed after the client saw connection_ack reaches this socket.
        try:
            for topic in self.control_topics:
                await asyncio.wait_for(self.channel_layer.group_add(topic, self.channel_name), LAYER_CALL_SECONDS)
        except Exception:
            self._layer_lost()  # joined when the layer returns
        language = payload.get("language")
        if isinstance(language, str) and language and _supported(language):
            self.language = translation.get_supported_language_variant(language)
        self.acknowledged = True
        await self._send({"type": "connection_ack"})
        self.background.append(asyncio.create_task(self._keepalive()))

    async def _on_ping(self, message):
        reply = {"type": "pong"}
        if isinstance(message.get("payload"), dict):
            reply["payload"] = message["payload"]
        await self._send(reply)

    async def _on_pong(self, message):
        return None

    async def _on_subscribe(self, message):
        if not self.acknowledged:
            return await self._close(Close.UNAUTHORIZED, "Unauthorized")
        op_id = message.get("id")
        payload = message.get("payload")
        if not isinstance(op_id, str) or not op_id or not isinstance(payload, dict):
            return await self._close(Close.BAD_REQUEST, "Invalid subscribe message")
        if not isinstance(payload.get("query"), str):
            return await self._close(Close.BAD_REQUEST, "Invalid subscribe message")
        if payload.get("variables") is not None and not isinstance(payload["variables"], dict):
            return await self._close(Close.BAD_REQUEST, "Invalid subscribe message")
        if op_id in self.operations:
            reason = f"Subscriber for {op_id[:40]} already exists"
            return await self._close(Close.DUPLICATE_SUBSCRIBER, reason)
        if len(self.operations) >= settings.WS_MAX_SUBSCRIPTIONS:
            return await self._send_error(op_id, [GraphQLError("Too many subscriptions on this connection")])
        self.operations[op_id] = asyncio.create_task(self._run(op_id, payload))

    async def _on_complete(self, message):
        op_id = message.get("id")
        if not isinstance(op_id, str):
            return await self._close(Close.BAD_REQUEST, "Invalid complete message")
        task = self.operations.pop(op_id, None)
        if task is not None:
            task.cancel()

    # ------------------------------------------------------------ execution

    async def _run(self, op_id: str, payload: dict) -> None:
        try:
            with translation.override(self.language):
                try:
                    await self._execute(op_id, payload)
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    # format_error logs it and shows an opaque INTERNAL_SERVER_ERROR, as over HTTP.
                    logger.warning("WebSocket operation %s failed", op_id)
                    await self._send_error(op_id, [error])
        finally:
            if self.operations.get(op_id) is asyncio.current_task():
                del self.operations[op_id]

    async def _execute(self, op_id: str, payload: dict) -> None:
        schema = self.schema
        query = payload["query"]
        variables = payload.get("variables") or {}
        operation_name = payload.get("operationName")
        # Parsing, the limits and validation are CPU work: in a thread, never on the event loop.
        document, operation, errors = await sync_to_async(self._prepare, thread_sensitive=False)(
            query, variables, operation_name
        )
        if errors:
            return await self._send_error(op_id, errors)

        run = database_sync_to_async(self._execute_sync)
        if operation.operation != OperationType.SUBSCRIPTION:
            result = await run(document, None, variables, operation_name)
            await self._send({"id": op_id, "type": "next", "payload": self._format(result)})
            return await self._send({"id": op_id, "type": "complete"})

        stream = await create_source_event_stream(
            schema.graphql_schema,
            document,
            context_value=SocketContext(self),
            variable_values=variables,
            operation_name=operation_name,
        )
        if isinstance(stream, ExecutionResult):
            return await self._send_error(op_id, stream.errors or [])
        events = stream.__aiter__()
        try:
            while True:
                try:
                    event = await events.__anext__()
                except StopAsyncIteration:
                    break
                except GraphQLError as error:
                    # An async-generator resolver raises on its first step, not when it is called
                    # (require_viewer, for one), so create_source_event_stream cannot catch it.
                    located = self._locate(error, document, operation, variables)
                    return await self._send_error(op_id, [located])
                payload_json = await self._shared_execution(document, query, event, variables, operation_name)
                await self._send_next(op_id, payload_json)
        finally:
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()
        await self._send({"id": op_id, "type": "complete"})

    async def _shared_execution(self, document, query: str, event, variables: dict, operation_name) -> str:
        """The `next` payload (JSON text) of one event for this subscriber: executed once per process for every
        subscriber of the same document, variables, language and event, and shared, unless the execution read
        who the viewer is (then it is valid for that viewer only, and the others execute their own). One thread
        hop per execution, none per subscriber; what each subscriber may receive was decided by its resolver."""
        host = (_header(self.scope, b"host"), self.scope.get("scheme"))  # absolute URLs in the payload
        key = (query, operation_name, _frozen(variables), self.language, host, _frozen(event))
        shared = _shared_results()
        task = shared.get(key)
        if task is None:
            task = asyncio.ensure_future(
                database_sync_to_async(self._execute_shareable)(document, event, variables, operation_name)
            )
            shared.put(key, task)
        payload_json, viewer = await asyncio.shield(task)
        if viewer is None or viewer == _viewer_key(self.user):
            return payload_json
        return (await database_sync_to_async(self._execute_shareable)(document, event, variables, operation_name))[0]

    def _execute_shareable(self, document, root_value, variables, operation_name) -> tuple[str, tuple | None]:
        """The payload's JSON and, when a resolver read the viewer, whose it is (else None: anyone's)."""
        schema = self.schema
        context = _WatchedContext(self)
        with translation.override(self.language):
            result = execute(
                schema.graphql_schema,
                document,
                root_value=root_value,
                context_value=context,
                variable_values=variables,
                operation_name=operation_name,
                execution_context_class=CommunityExecutionContext,
            )
        payload_json = json.dumps(self._format(result), ensure_ascii=False, default=str)
        return payload_json, (_viewer_key(context.consumer.user) if context.viewer_read else None)

    async def _send_next(self, op_id: str, payload_json: str) -> None:
        if self.closing:
            return
        await self.send(text_data=f'{{"id":{json.dumps(op_id)},"type":"next","payload":{payload_json}}}')

    def _prepare(self, query: str, variables: dict, operation_name) -> tuple:
        """The checked document and operation, or the errors that refuse them (a cheap refusal first)."""
        schema = self.schema
        with translation.override(self.language):
            if len(query.encode()) > settings.GRAPHQL_MAX_QUERY_BYTES:
                message = _("The query is too large: at most %(max)d bytes.") % {
                    "max": settings.GRAPHQL_MAX_QUERY_BYTES
                }
                return None, None, [CodedError(message, "QUERY_TOO_LARGE")]
            document, errors = checked_document(schema.graphql_schema, query, VALIDATION_RULES)
            if errors:
                return None, None, errors
            operation = get_operation_ast(document, operation_name)
            if operation is None:
                return None, None, [GraphQLError(_("Unknown operation."))]
            too_costly = cost_error(schema.graphql_schema, document, operation, variables)
            return document, operation, [too_costly] if too_costly else []

    def _execute_sync(self, document, root_value, variables, operation_name) -> ExecutionResult:
        schema = self.schema
        with translation.override(self.language):
            return execute(
                schema.graphql_schema,
                document,
                root_value=root_value,
                context_value=SocketContext(self),
                variable_values=variables,
                operation_name=operation_name,
                execution_context_class=CommunityExecutionContext,
            )

    def _locate(self, error: GraphQLError, document, operation, variables: dict) -> GraphQLError:
        """Give a subscription resolver's error the path and location of its root field."""
        schema = self.schema
        if error.path is not None:
            return error
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        root = schema.graphql_schema.subscription_type
        fields = collect_fields(schema.graphql_schema, fragments, variables, root, operation.selection_set)
        if not fields:
            return error
        response_name, nodes = next(iter(fields.items()))
        return located_error(error, nodes, [response_name])

    @staticmethod
    def _format(result: ExecutionResult) -> dict:
        formatted: dict = {"data": result.data}
        if result.errors:
            formatted["errors"] = [format_error(error) for error in result.errors]
        return formatted

    # ------------------------------------------------------------ the channel layer

    def listen(self, *topics: str) -> TopicListener:
        """The events of `topics` for one subscription; see TopicListener."""
        return TopicListener(self, *topics)

    async def _join(self, topic: str, queue: asyncio.Queue) -> None:
        self.topics.setdefault(topic, set()).add(queue)
        async with self.membership:
            # Every listener makes sure (group_add is idempotent): an earlier one may still be joining.
            if self.layer_down:
                return  # joined by _rejoin, which then tells the subscription to resume
            try:
                await asyncio.wait_for(self.channel_layer.group_add(topic, self.channel_name), LAYER_CALL_SECONDS)
            except Exception:
                self._layer_lost()

    async def _unjoin(self, topic: str, queue: asyncio.Queue) -> None:
        listeners = self.topics.get(topic)
        if listeners is None:
            return
        listeners.discard(queue)
        if not listeners:
            del self.topics[topic]
            await self._leave(topic)

    async def _leave(self, topic: str) -> None:
        async with self.membership:
            if topic in self.topics:  # a new subscription joined it again meanwhile
                return
            try:
                await self.channel_layer.group_discard(topic, self.channel_name)
            except Exception:
                logger.warning("could not leave %s", topic, exc_info=True)

    async def dispatch(self, message):
        # Channels closes stale database connections (a thread hop) before every handler. A real-time
        # event only queues its payload, with no database; the execution that follows runs through
        # database_sync_to_async, which does that closing itself. Skipping it here halves the thread
        # hops per delivery when one event fans out to hundreds of subscribers (bench/chat_fanout.py).
        if message.get("type") == "realtime.event":
            return await self.realtime_event(message)
        return await super().dispatch(message)

    async def realtime_control(self, message):
        """From `community.kernel.realtime.close_sockets` / `refresh_sockets`, to this socket's user, token or
        session group: a logout closes the socket at once; a refresh reads the user again and has every
        subscription check its access again."""
        if message.get("action") == "close":
            return await self._close(int(message.get("code") or Close.UNAUTHORIZED), str(message.get("reason") or ""))
        if message.get("action") == "refresh" and self.user.is_authenticated:
            user = await database_sync_to_async(self._read_user_again)()
            if user is None:
                return await self._close(Close.FORBIDDEN, "Forbidden")
            self.user = user
            for queue in list(self.listeners):
                _put_control(queue, realtime.ACCESS_CHANGED)

    def _read_user_again(self):
        """The socket's user as the database has it now, or None when they may no longer be signed in."""
        if getattr(self, "token", None):
            return self.authenticate(self.token)
        user = get_user_model().objects.filter(pk=self.user.pk, is_active=True).first()
        return user

    async def realtime_event(self, message):
        if self.layer_down:
            # Rejoining: an event arriving now (on a group joined again already) would move the subscription's
            # cursor past what it missed; the resume that follows replays it from the database, in order.
            return
        for queue in list(self.topics.get(message.get("topic"), ())):
            try:
                queue.put_nowait(message.get("payload") or {})
            except asyncio.QueueFull:
                logger.warning("dropping real-time event for a slow subscriber on %s", message.get("topic"))

    # ------------------------------------------------------------ helpers

    async def _init_timeout(self):
        await asyncio.sleep(settings.WS_CONNECTION_INIT_TIMEOUT)
        if not self.acknowledged:
            await self._close(Close.INIT_TIMEOUT, "Connection initialisation timeout")

    async def _renew_memberships(self):
        """Join this socket's topics again well within the layer's group expiry, which lets the
        memberships of a process that died without leaving expire soon instead of after a day."""
        interval = settings.CHANNEL_GROUP_EXPIRY_SECONDS / 3
        while True:
            await asyncio.sleep(interval)
            for topic in list(self.topics) + self.control_topics:
                try:
                    async with self.membership:
                        if topic in self.topics or topic in self.control_topics:
                            await self.channel_layer.group_add(topic, self.channel_name)
                except Exception:
                    logger.warning("could not renew the membership of %s", topic, exc_info=True)

    async def _keepalive(self):
        interval = settings.WS_KEEPALIVE_SECONDS
        if interval <= 0:
            return
        while True:
            await asyncio.sleep(interval)
            await self._send({"type": "ping"})

    async def _send(self, message: dict) -> None:
        if self.closing:  # nothing may follow a close frame (RFC 6455)
            return
        await self.send(text_data=json.dumps(message, ensure_ascii=False, default=str))

    async def _send_error(self, op_id: str, errors) -> None:
        await self._send({"id": op_id, "type": "error", "payload": [format_error(e) for e in errors]})

    async def _close(self, code: int, reason: str) -> None:
        if self.closing:  # e.g. the init timeout firing after a 4403: the first close stands
            return
        self.closing = True
        await self.close(code=code, reason=reason)


class _WatchedContext(SocketContext):
    """A SocketContext that notes whether anything read who the viewer is: if nothing did, the result is the
    same for every subscriber (who may receive it at all was decided before, per subscriber)."""

    viewer_read = False

    @property
    def user(self):
        self.viewer_read = True
        return self._user

    @user.setter
    def user(self, value) -> None:
        self._user = value

    @property
    def bearer_token(self):
        self.viewer_read = True
        return self._bearer_token

    @bearer_token.setter
    def bearer_token(self, value) -> None:
        self._bearer_token = value

    @property
    def META(self):
        self.viewer_read = True
        return self._meta

    @META.setter
    def META(self, value) -> None:
        self._meta = value

    def current_user(self):
        self.viewer_read = True
        return super().current_user()


def _viewer_key(user) -> tuple:
    return ("user", user.pk) if user.is_authenticated else ("anonymous",)


def _frozen(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


SHARED_RESULT_SECONDS = 2.0  # how long an event's execution serves the subscribers that process it late
SHARED_RESULT_MAX = 2000


class _SharedResults:
    """This event loop's executions of subscription events, by key, kept SHARED_RESULT_SECONDS."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.entries: dict[tuple, tuple[float, asyncio.Future]] = {}

    def get(self, key: tuple) -> asyncio.Future | None:
        entry = self.entries.get(key)
        if entry is None or self.loop.time() - entry[0] > SHARED_RESULT_SECONDS:
            return None
        return entry[1]

    def put(self, key: tuple, task: asyncio.Future) -> None:
        now = self.loop.time()
        if len(self.entries) >= SHARED_RESULT_MAX:
            self.entries = {k: e for k, e in self.entries.items() if now - e[0] <= SHARED_RESULT_SECONDS}
            while len(self.entries) >= SHARED_RESULT_MAX:
                del self.entries[next(iter(self.entries))]
        self.entries[key] = (now, task)


_shared_by_loop: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _shared_results() -> _SharedResults:
    loop = asyncio.get_running_loop()
    shared = _shared_by_loop.get(loop)
    if shared is None:
        shared = _shared_by_loop[loop] = _SharedResults(loop)
    return shared


_live_consumers: weakref.WeakSet = weakref.WeakSet()  # this process's open sockets (one event loop)


class _LayerWatcher:
    """One per process (event loop): notices that the channel layer lost this process's group memberships.

    channels-redis raises only in the receivers that reach its receive lock while Redis is away, and in
    none when Redis restarts between two of its blocking pops: every socket would then listen to groups
    that no longer exist, with no error and no close. So a positive signal instead: each shard of the
    layer holds an epoch key, written (if absent) by the first process to look. A restarted or flushed
    Redis has lost it with the groups: a new epoch tells every socket of the process to join its groups
    again and replay from the database what it missed. So does the layer answering again after refusing
    connections (what was published meanwhile was lost, even where the groups survived). A slow answer is
    no signal: on a loaded machine it would send every socket back to the database for nothing, and the
    replays would slow the machine further. One GET per shard per `CHANNEL_LAYER_WATCH_SECONDS`, nothing
    per message; the watcher ends with the process's last socket.
    """

    def __init__(self, layer) -> None:
        self.layer = layer
        self.key = f"{layer.prefix}:layer-epoch"
        self.epochs: dict[int, bytes] = {}
        self.failing = False

    async def run(self) -> None:
        interval = settings.CHANNEL_LAYER_WATCH_SECONDS
        while _live_consumers:
            try:
                restarted = await self._check()
            except TimeoutError:
                pass  # slow, not gone
            except Exception:
                if not self.failing:
                    self.failing = True
                    logger.warning("channel layer unreachable: the sockets of this process resume when it returns")
            else:
                if restarted or self.failing:
                    logger.warning(
                        "channel layer %s: every socket of this process joins its groups again and resumes",
                        "restarted" if restarted else "back",
                    )
                    self.failing = False
                    for consumer in list(_live_consumers):
                        consumer._layer_lost(memberships_gone=restarted)
            await asyncio.sleep(interval)

    async def _check(self) -> bool:
        """Whether some shard's epoch changed since the last look (the first look only records it)."""
        restarted = False
        for index in range(self.layer.ring_size):
            connection = self.layer.connection(index)
            epoch = await asyncio.wait_for(connection.get(self.key), LAYER_CALL_SECONDS)
            if epoch is None:  # a new Redis (or a flushed one): the first process to look writes its epoch
                await asyncio.wait_for(connection.set(self.key, uuid.uuid4().hex, nx=True), LAYER_CALL_SECONDS)
                epoch = await asyncio.wait_for(connection.get(self.key), LAYER_CALL_SECONDS)
            known = self.epochs.get(index)
            restarted = restarted or (known is not None and epoch != known)
            self.epochs[index] = epoch
        return restarted


_watchers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # event loop -> its watcher's task
_rejoin_gates: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # event loop -> its rejoin semaphore


def _rejoin_gate() -> asyncio.Semaphore:
    """At most REJOIN_CONCURRENCY sockets of a process joining their groups again at once.

    redis-py hands out its pool's connections one at a time, reconnecting each under the pool's lock, and
    after a restart every pooled connection is dead: every socket of a process rejoining at once (hundreds
    in the launch drill) queues its commands, and the real-time publishes of the process, behind that lock.
    """
    loop = asyncio.get_running_loop()
    gate = _rejoin_gates.get(loop)
    if gate is None:
        gate = _rejoin_gates[loop] = asyncio.Semaphore(REJOIN_CONCURRENCY)
    return gate


def _watch_layer(layer) -> None:
    """Start this event loop's layer watcher unless it runs (a layer without Redis shards needs none)."""
    if not hasattr(layer, "connection") or not hasattr(layer, "ring_size") or settings.CHANNEL_LAYER_WATCH_SECONDS <= 0:
        return
    loop = asyncio.get_running_loop()
    task = _watchers.get(loop)
    if task is None or task.done():
        _watchers[loop] = loop.create_task(_LayerWatcher(layer).run())


RESUME = {"kind": "resume"}  # the channel layer is back: replay from the database what was missed


def _put_control(queue: asyncio.Queue, payload: dict) -> None:
    """Queue an access change or a resume even when the queue is full: a subscriber that fell that far
    behind loses its oldest event rather than the news that it must check again or replay."""
    try:
        queue.put_nowait(dict(payload))
    except asyncio.QueueFull:
        queue.get_nowait()
        queue.put_nowait(dict(payload))


def _supported(language: str) -> bool:
    try:
        translation.get_supported_language_variant(language)
        return True
    except LookupError:
        return False


class _LanguageProbe:
    """Just enough of a request for Django to read Accept-Language from the handshake."""

    def __init__(self, scope) -> None:
        self.META = {"HTTP_ACCEPT_LANGUAGE": _header(scope, b"accept-language") or ""}
        self.COOKIES: dict = {}
        self.path_info = "/"
