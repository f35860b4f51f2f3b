"""Private messages the word filter held wait in brand staff's queue, each with the few messages around it
(never the whole conversation); staff deliver or hide them through the API, and the audit log says so."""

from __future__ import annotations

from community.accounts import services as account_services
from community.kernel.statuses import ContentStatus
from community.messaging import services
from community.messaging.models import DirectMessage
from community.models import SensitiveWord
from community.moderation.models import ModerationAction
from tests.content.helpers import veteran
from tests.helpers import ERRORS, codes, data_of, gid, run

PENDING = """query($first: Int) { pendingDirectMessages(first: $first) { edges { node { id body heldReason
  sender { id } recipient { id } reviewContext { body recipient { id } } } } } }"""
REVIEW = f"""mutation($input: ReviewDirectMessageInput!) {{
  reviewDirectMessage(input: $input) {{ message {{ id pendingReview }} {ERRORS} }}
}}"""
HISTORY = "query($id: ID!) { conversation(userId: $id) { messages(last: 50) { edges { node { body } } } } }"


def mutual(a, b):
    account_services.follow(user=a, followee_id=b.pk)
    account_services.follow(user=b, followee_id=a.pk)


def held_word():
    SensitiveWord.objects.create(word="代购", action=SensitiveWord.Action.HOLD)


def test_held_messages_are_reviewed_in_the_queue_with_their_context_only(gql, brand_staff, on_commit):
    held_word()
    alice, bob = veteran(), veteran()
    mutual(alice, bob)
    with on_commit():
        for index in range(14):
            sender, recipient = (alice, bob) if index % 2 == 0 else (bob, alice)
            body = "找我代购配件" if index == 7 else f"消息{index}"
            services.send_direct_message(user=sender, recipient_id=recipient.pk, body=body)
    held = DirectMessage.objects.get(status=ContentStatus.PENDING_REVIEW)

    assert gql(PENDING, {"first": 10}, user=alice)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    node = data_of(gql(PENDING, {"first": 10}, user=brand_staff), "pendingDirectMessages")["edges"][0]["node"]
    assert node["body"] == "找我代购配件" and "代购" in node["heldReason"]
    assert node["sender"]["id"] == gid(bob) and node["recipient"]["id"] == gid(alice)
    expected = [f"消息{i}" for i in range(2, 7)] + ["找我代购配件"] + [f"消息{i}" for i in range(8, 13)]
    assert [m["body"] for m in node["reviewContext"]] == expected
    assert ModerationAction.objects.filter(action=ModerationAction.Action.AUTO_HOLD, target_id=held.pk).count() == 1

    assert codes(run(gql, REVIEW, "reviewDirectMessage", user=alice, messageId=gid(held), approve=True)) == [
        "FORBIDDEN"
    ]
    passed = run(gql, REVIEW, "reviewDirectMessage", user=brand_staff, messageId=gid(held), approve=True)
    assert passed["errors"] == [] and passed["message"]["pendingReview"] is False
    again = run(gql, REVIEW, "reviewDirectMessage", user=brand_staff, messageId=gid(held), approve=False)
    assert codes(again) == ["CONFLICT"]
    assert data_of(gql(PENDING, {"first": 10}, user=brand_staff), "pendingDirectMessages")["edges"] == []
    bodies = [
        e["node"]["body"]
        for e in data_of(gql(HISTORY, {"id": gid(bob)}, user=alice), "conversation")["messages"]["edges"]
    ]
    assert "找我代购配件" in bodies
    entry = ModerationAction.objects.get(action=ModerationAction.Action.APPROVE)
    assert (entry.moderator, entry.subject, entry.target_id) == (brand_staff, bob, held.pk)


def test_a_hidden_held_message_never_reaches_the_recipient(gql, brand_staff):
    held_word()
    alice, bob = veteran(), veteran()
    mutual(alice, bob)
    services.send_direct_message(user=bob, recipient_id=alice.pk, body="代购吗")
    held = DirectMessage.objects.get()
    hidden = run(gql, REVIEW, "reviewDirectMessage", user=brand_staff, messageId=gid(held), approve=False)
    assert hidden["errors"] == []
    assert data_of(gql(HISTORY, {"id": gid(bob)}, user=alice), "conversation")["messages"]["edges"] == []
    assert ModerationAction.objects.filter(action=ModerationAction.Action.REJECT, subject=bob).count() == 1


def test_the_held_queue_costs_the_same_queries_for_one_or_many(gql, brand_staff, django_assert_max_num_queries):
    held_word()
    for _ in range(6):
        alice, bob = veteran(), veteran()
        mutual(alice, bob)
        services.send_direct_message(user=alice, recipient_id=bob.pk, body="你好")
        services.send_direct_message(user=bob, recipient_id=alice.pk, body="代购吗")
    with django_assert_max_num_queries(8):
        edges = data_of(gql(PENDING, {"first": 10}, user=brand_staff), "pendingDirectMessages")["edges"]
    assert len(edges) == 6 and all(len(edge["node"]["reviewContext"]) == 2 for edge in edges)
