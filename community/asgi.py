"""ASGI entry point for daphne: HTTP (GraphQL, admin, health) and the GraphQL WebSocket."""

import os

from django.conf import settings as _settings
from django.core.asgi import get_asgi_application

# Under an ASGI server each request runs its sync code in a thread of its own: on PostgreSQL a pool
# bounds their connections (and reuses them, instead of a new session per request). It is the
# default for every daphne this project ships (`make serve`, the Procfile, deploy/, the benchmarks):
# ASGI_THREADS connections when that bounds the threads, else SERVER_DB_POOL_SIZE; DB_POOL_MAX_SIZE set
# explicitly wins, and DB_POOL_MAX_SIZE=0 turns the pool off. (Only while settings are not loaded yet:
# a test importing this module keeps its own settings and environment.)
SERVER_DB_POOL_SIZE = 20
if not _settings.configured:
    os.environ.setdefault("DB_POOL_MAX_SIZE", os.environ.get("ASGI_THREADS") or str(SERVER_DB_POOL_SIZE))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
django_http = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402
from django.urls import path  # noqa: E402

from community.accounts.services import user_for_token  # noqa: E402
from community.graphql.consumers import GraphQLTransportWSConsumer, OriginValidator  # noqa: E402
from community.schema import schema  # noqa: E402

http_app = ASGIStaticFilesHandler(django_http) if settings.DEBUG else django_http

from community.scheduler import start_if_enabled  # noqa: E402

# make run: the periodic work (reminders, finishing events, tie decay, nightly scores) in this process.
embedded_scheduler = start_if_enabled()

application = ProtocolTypeRouter(
    {
        "http": http_app,
        "websocket": OriginValidator(
            AuthMiddlewareStack(
                URLRouter(
                    [path("graphql/", GraphQLTransportWSConsumer.as_asgi(schema=schema, authenticate=user_for_token))]
                )
            )
        ),
    }
)
