"""ASGI entry point for daphne: HTTP (GraphQL, admin, health) and the GraphQL WebSocket."""

import os

from django.core.asgi import get_asgi_application

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
