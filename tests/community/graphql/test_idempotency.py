"""Writes a client may retry take an `idempotencyKey`: the same key returns the first result and writes nothing.

Every retryable write (sendChatMessage, sendDirectMessage, createPost, addComment, signUpForEvent,
redeemReward) goes
through the one helper of the mutation base, so each is checked here the same way: a retry answers
the first result without a second row or activity; the key is per user and per mutation; a key
reused with another input is CONFLICT; a refused write keeps no key; concurrent duplicates on
PostgreSQL write exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from circles.models import ChatMessage
from community.accounts import services as account_services
from community.content.models import Comment, Post
from community.kernel import idempotency
from community.kernel.models import Activity, IdempotencyKey
from community.messaging.models import DirectMessage
from events.models import Signup
from gamification.models import PointsTransaction, Redemption
from tests.circles.factories import add_member, make_circle, verified_owner
from tests.content.helpers import make_post, veteran
from tests.events.factories import make_event
from tests.gamification.factories import RewardFactory, grant_points
from tests.helpers import at_once, data_of, gid

KEY = "8b0f0c1e-4c1b-4c4e-9d38-1f3f9a0b7c11"


@dataclass
class Write:
    name: str  # the mutation field
    document: str
    input: dict[str, Any]
    model: type
    result: str  # the payload field holding what it created
    user: Any
    changed: dict[str, Any]  # an input with something else in it

    def rows(self) -> int:
        return self.model.objects.count()


def chat() -> Write:
    owner = verified_owner()
    circle = make_circle()
    add_member(circle, owner)
    return Write(
        "sendChatMessage",
        "mutation($input: SendChatMessageInput!) { sendChatMessage(input: $input) "
        "{ message { id body } errors { field code message } } }",
        {"circleId": gid(circle), "body": "今晚南山见"},
        ChatMessage,
        "message",
        owner,
        {"circleId": gid(circle), "body": "今晚不去了"},
    )


def direct_message() -> Write:
    owner, circle_mate = verified_owner(), verified_owner()
    make_circle(members=[owner, circle_mate])  # a shared circle: they may write at once
    return Write(
        "sendDirectMessage",
        "mutation($input: SendDirectMessageInput!) { sendDirectMessage(input: $input) "
        "{ message { id body } errors { field code message } } }",
        {"userId": gid(circle_mate), "body": "周末一起洗车？"},
        DirectMessage,
        "message",
        owner,
        {"userId": gid(circle_mate), "body": "周末不洗了"},
    )


def post() -> Write:
    return Write(
        "createPost",
        "mutation($input: CreatePostInput!) { createPost(input: $input) "
        "{ post { id body } errors { field code message } } }",
        {"body": "今天提车了，欧尚Z6真香！"},
        Post,
        "post",
        veteran(),
        {"body": "今天提车了，欧尚Z6真香！！"},
    )


def comment() -> Write:
    target = make_post(veteran())
    return Write(
        "addComment",
        "mutation($input: AddCommentInput!) { addComment(input: $input) "
        "{ comment { id body } errors { field code message } } }",
        {"postId": gid(target), "body": "恭喜提车"},
        Comment,
        "comment",
        veteran(),
        {"postId": gid(target), "body": "恭喜恭喜"},
    )


def signup() -> Write:
    event = make_event(capacity=10, max_guests=2)
    return Write(
        "signUpForEvent",
        "mutation($input: SignUpForEventInput!) { signUpForEvent(input: $input) "
        "{ signup { id guests } errors { field code message } } }",
        {"eventId": gid(event), "guests": 1},
        Signup,
        "signup",
        verified_owner(),
        {"eventId": gid(event), "guests": 2},
    )


def redemption() -> Write:
    owner = verified_owner()
    grant_points(owner, 1000)
    reward, other = RewardFactory(cost=100, stock=5), RewardFactory(cost=100, stock=5)
    return Write(
        "redeemReward",
        "mutation($input: RedeemRewardInput!) { redeemReward(input: $input) "
        "{ redemption { id } account { balance } errors { field code message } } }",
        {"rewardId": gid(reward)},
        Redemption,
        "redemption",
        owner,
        {"rewardId": gid(other)},
    )


WRITES = [chat, direct_message, post, comment, signup, redemption]


def send(gql, write: Write, user=None, **input_fields) -> dict:
    variables = {"input": {**write.input, **input_fields}}
    return data_of(gql(write.document, variables, user=user or write.user), write.name)


@pytest.fixture(params=WRITES, ids=lambda make: make.__name__)
def write(request, db) -> Write:
    return request.param()


def test_a_retry_with_the_same_key_returns_the_first_result_and_writes_nothing(gql, write):
    first = send(gql, write, idempotencyKey=KEY)
    assert first["errors"] == [] and first[write.result] is not None
    rows, activities = write.rows(), Activity.objects.count()
    ledger = PointsTransaction.objects.count()

    again = send(gql, write, idempotencyKey=KEY)
    assert again == first  # the same object, the same answer
    assert (write.rows(), Activity.objects.count(), PointsTransaction.objects.count()) == (rows, activities, ledger)
    assert IdempotencyKey.objects.filter(user=write.user, key=KEY).count() == 1


def test_without_a_key_every_request_writes(gql, write):
    if write.name == "signUpForEvent":  # one sign-up per owner: the second is refused by the rule instead
        pytest.skip("a second sign-up is refused by the event's own rule")
    before = write.rows()
    send(gql, write)
    send(gql, write)
    assert write.rows() == before + 2


def test_the_same_key_with_another_input_is_a_conflict_and_writes_nothing(gql, write):
    send(gql, write, idempotencyKey=KEY)
    rows = write.rows()
    other = data_of(
        gql(write.document, {"input": {**write.changed, "idempotencyKey": KEY}}, user=write.user), write.name
    )
    assert other[write.result] is None
    assert [(e["field"], e["code"]) for e in other["errors"]] == [("idempotencyKey", "CONFLICT")]
    assert other["errors"][0]["message"] == "这个幂等键已用于另一个请求。"
    assert write.rows() == rows


def test_keys_are_per_user_and_per_mutation(gql, db):
    circle = make_circle()
    owners = [verified_owner(), verified_owner()]
    for owner in owners:
        add_member(circle, owner)
    document = chat().document
    for owner in owners:  # the same key from two users: two messages
        variables = {"input": {"circleId": gid(circle), "body": "早", "idempotencyKey": KEY}}
        payload = data_of(gql(document, variables, user=owner), "sendChatMessage")
        assert payload["errors"] == []
    assert ChatMessage.objects.filter(circle=circle).count() == 2
    made_post = post()
    made_post.user = owners[0]
    payload = send(gql, made_post, idempotencyKey=KEY)  # the same key, another mutation
    assert payload["errors"] == [] and Post.objects.count() == 1


@pytest.mark.parametrize("key", ["", "   ", "k" * 101])
def test_an_empty_or_too_long_key_is_invalid_and_writes_nothing(gql, key):
    write = chat()
    payload = send(gql, write, idempotencyKey=key)
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("idempotencyKey", "INVALID")]
    assert write.rows() == 0 and not IdempotencyKey.objects.exists()


def test_a_key_of_exactly_the_longest_length_is_taken(gql):
    write = chat()
    key = "k" * idempotency.KEY_MAX_LENGTH
    assert send(gql, write, idempotencyKey=key)["errors"] == []
    assert send(gql, write, idempotencyKey=key)["errors"] == []
    assert write.rows() == 1


def test_a_refused_write_keeps_no_key_so_its_retry_runs_again(gql):
    owner = verified_owner()
    reward = RewardFactory(cost=100, stock=5)
    write = redemption()
    write.user, write.input = owner, {"rewardId": gid(reward)}
    refused = send(gql, write, idempotencyKey=KEY)
    assert [e["code"] for e in refused["errors"]] == ["INSUFFICIENT_POINTS"]
    assert not IdempotencyKey.objects.exists()
    grant_points(owner, 100)
    accepted = send(gql, write, idempotencyKey=KEY)
    assert accepted["errors"] == [] and accepted["redemption"] is not None
    assert accepted["account"] == {"balance": 0}
    assert send(gql, write, idempotencyKey=KEY) == accepted
    assert Redemption.objects.filter(user=owner).count() == 1


def test_a_retry_after_what_it_created_was_deleted_says_not_found(gql):
    write = chat()
    send(gql, write, idempotencyKey=KEY)
    ChatMessage.objects.all().delete()
    again = send(gql, write, idempotencyKey=KEY)
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("idempotencyKey", "NOT_FOUND")]
    assert write.rows() == 0


def test_old_keys_are_forgotten(gql):
    from datetime import timedelta

    from django.utils import timezone

    write = chat()
    send(gql, write, idempotencyKey=KEY)
    assert idempotency.forget_old_keys(now=timezone.now() + idempotency.KEEP_KEYS_FOR - timedelta(minutes=1)) == 0
    assert idempotency.forget_old_keys(now=timezone.now() + idempotency.KEEP_KEYS_FOR + timedelta(minutes=1)) == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("make", [chat, signup, redemption], ids=lambda make: make.__name__)
def test_concurrent_duplicates_write_exactly_once(make):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    write = make()
    token = account_services.issue_token(write.user)
    threads_count = 8

    def request() -> dict:
        response = Client().post(
            "/graphql/",
            {"query": write.document, "variables": {"input": {**write.input, "idempotencyKey": KEY}}},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        return response.json()

    outcomes = at_once([request] * threads_count, wait=20, join=60)
    assert not outcomes.crashes and not outcomes.refusals, outcomes.each
    answers = outcomes.results
    payloads = [data_of(answer, write.name) for answer in answers]
    assert len(payloads) == threads_count
    assert all(payload["errors"] == [] for payload in payloads), payloads
    assert len({payload[write.result]["id"] for payload in payloads}) == 1  # everyone got the one write
    assert write.rows() == 1
    assert IdempotencyKey.objects.count() == 1


def test_beat_forgets_keys_older_than_clients_retry(gql, settings):
    from datetime import timedelta

    from django.utils import timezone

    from community.tasks import forget_old_idempotency_keys

    entry = settings.CELERY_BEAT_SCHEDULE["forget-old-idempotency-keys"]
    assert entry["task"] == forget_old_idempotency_keys.name
    write = chat()
    send(gql, write, idempotencyKey=KEY)
    send(gql, write, idempotencyKey="a-newer-key")
    IdempotencyKey.objects.filter(key=KEY).update(created_at=timezone.now() - idempotency.KEEP_KEYS_FOR - timedelta(1))
    assert forget_old_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["a-newer-key"]
