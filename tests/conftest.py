"""Shared fixtures: a GraphQL client that speaks like the app, factories, and service gating.

Tests marked `services` need PostgreSQL and Redis (DATABASE_URL and REDIS_URL). Without them they
are skipped, unless REQUIRE_SERVICES=1 (as in CI), where they fail instead.
"""

from __future__ import annotations

import json
import os
import secrets
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from community.accounts import services as account_services
from tests.factories import BrandStaffFactory, UserFactory

pytest_plugins = ["tests.sockets"]  # the in-process WebSocket fixtures of the subscription tests

HAS_POSTGRES = bool(os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")))
HAS_REDIS = bool(os.environ.get("REDIS_URL"))
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# The servers and workers tests start (DEBUG off) refuse the development key: one random key for them all.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))


def pytest_runtest_setup(item):
    if item.get_closest_marker("services") and not (HAS_POSTGRES and HAS_REDIS):
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but DATABASE_URL/REDIS_URL do not point at PostgreSQL and Redis")
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RATELIMIT_NAMESPACE = uuid.uuid4().hex
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REGISTRATIONS_PER_IP_PER_HOUR = 10_000
    from community.safety import wordfilter

    wordfilter._state.update(version=None, matcher=None)  # the word list lives in the rolled-back database
    yield
    translation.deactivate()  # a request with Accept-Language must not leave its language to the next test


class GraphQLClient:
    """Posts to /graphql/ like the mobile app: JSON, a bearer token, Accept-Language."""

    def __init__(self, capture_on_commit) -> None:
        self.client = Client()
        self.capture = capture_on_commit
        self.tokens: dict[int, str] = {}
        self.language = "zh-hans"

    def token_for(self, user) -> str:
        if user.pk not in self.tokens:
            self.tokens[user.pk] = account_services.issue_token(user)
        return self.tokens[user.pk]

    def __call__(
        self,
        query: str,
        variables: dict | None = None,
        *,
        user=None,
        token=None,
        files=None,
        language=None,
        status=200,
        **headers,
    ) -> dict:
        if user is not None:
            token = self.token_for(user)
        extra = {"HTTP_ACCEPT_LANGUAGE": language or self.language, **headers}
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        with self.capture(execute=True):
            if files:
                response = self._multipart(query, variables or {}, files, extra)
            else:
                response = self.client.post(
                    "/graphql/",
                    json.dumps({"query": query, "variables": variables or {}}),
                    content_type="application/json",
                    **extra,
                )
        assert response.status_code == status, response.content[:2000]
        return response.json()

    def _multipart(self, query, variables, files, extra):
        """The GraphQL multipart request spec: `files` maps variable paths to uploaded files."""
        file_map = {str(i): [path] for i, path in enumerate(files)}
        data = {"operations": json.dumps({"query": query, "variables": variables}), "map": json.dumps(file_map)}
        for i, upload in enumerate(files.values()):
            data[str(i)] = upload
        return self.client.post("/graphql/", data, **extra)


@pytest.fixture
def gql(db, django_capture_on_commit_callbacks) -> GraphQLClient:
    return GraphQLClient(django_capture_on_commit_callbacks)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def brand_staff(db):
    return BrandStaffFactory()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Use as `with on_commit(): ...` to run what a service deferred to after its commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"
