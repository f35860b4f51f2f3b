"""Helpers every test folder shares: global IDs, running a mutation, reading payloads and error codes, and
running work at the same moment in threads (real concurrency, on PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from graphql_relay import to_global_id

from community.kernel.errors import ServiceError

# The `errors` selection of every payload.
ERRORS = "errors { field code message }"


def gid(obj) -> str:
    """The global ID of a row (model names are the GraphQL type names: User, Circle, Post, Event...)."""
    return to_global_id(type(obj).__name__, obj.pk)


def data_of(result: dict, field: str):
    """`result["data"][field]`, asserting the response has no top-level errors."""
    assert "errors" not in result, result.get("errors")
    return result["data"][field]


def run(gql, document: str, field: str, user=None, **input_fields) -> dict:
    """Run a mutation with `input`; the payload (asserting no top-level errors)."""
    return data_of(gql(document, {"input": input_fields}, user=user), field)


def browser_for(user) -> Client:
    """A browser signed in as `user` (a session, as the admin and the web client use)."""
    browser = Client()
    browser.force_login(user)
    return browser


def admin_action(browser: Client, app: str, model: str, action: str, rows) -> None:
    """Run the admin action `action` on `rows` from the `/admin/<app>/<model>/` list, as a click would."""
    selected = [row.pk for row in rows]
    response = browser.post(f"/admin/{app}/{model}/", {"action": action, "_selected_action": selected}, follow=True)
    assert response.status_code == 200


def unauthorized(result: dict) -> bool:
    """A response refused before any GraphQL ran because its bearer token is not (or no longer) valid."""
    return "data" not in result and [e["extensions"]["code"] for e in result["errors"]] == ["UNAUTHENTICATED"]


def codes(payload: dict) -> list[str]:
    """The error codes of a payload, in order."""
    return [error["code"] for error in payload["errors"]]


@dataclass
class Outcomes:
    """What jobs run at once came to: one entry per job in `each` (what it returned, or what it raised),
    and the same split three ways."""

    each: list = field(default_factory=list)
    results: list = field(default_factory=list)
    refusals: list[ServiceError] = field(default_factory=list)
    crashes: list[BaseException] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        """The refusals' error codes."""
        return [refusal.code for refusal in self.refusals]


def at_once(jobs: Sequence[Callable[[], object]], *, wait: float = 30, join: float = 120) -> Outcomes:
    """Run every job in its own thread (so its own database connection), released together by a barrier.
    A ServiceError is a refusal, anything else raised a crash; the caller asserts on both."""
    barrier = threading.Barrier(len(jobs))
    each: list = [TimeoutError(f"still running after {join}s") for _ in jobs]  # until the job ends

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=wait)
            each[index] = job()
        except BaseException as error:  # sorted below, asserted by the caller
            each[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join)
    outcomes = Outcomes(each=each)
    for outcome in each:
        if isinstance(outcome, ServiceError):
            outcomes.refusals.append(outcome)
        elif isinstance(outcome, BaseException):
            outcomes.crashes.append(outcome)
        else:
            outcomes.results.append(outcome)
    return outcomes
