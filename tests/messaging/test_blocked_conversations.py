"""A block hides the pair's conversation from both sides (list, lookup, unread counts, messages by node)
and refuses sending either way; unblocking brings everything back, since nothing was deleted."""

from __future__ import annotations

from community.accounts import services as account_services
from community.messaging import services
from community.messaging.models import DirectMessage
from tests.content.helpers import veteran
from tests.helpers import ERRORS, codes, data_of, gid, run

SEND = f"""mutation($input: SendDirectMessageInput!) {{
  sendDirectMessage(input: $input) {{ message {{ id }} {ERRORS} }}
}}"""
READ = f"""mutation($input: ConversationWithInput!) {{
  markConversationRead(input: $input) {{ conversation {{ unreadCount }} {ERRORS} }}
}}"""
LISTED = """query { conversations(first: 10) { edges { node { otherUser { id } unreadCount } } }
  unreadDirectMessageCount }"""
ONE = "query($id: ID!) { conversation(userId: $id) { id messages(last: 10) { edges { node { body } } } } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"


def mutual(a, b):
    account_services.follow(user=a, followee_id=b.pk)
    account_services.follow(user=b, followee_id=a.pk)


def listed(gql, viewer):
    data = gql(LISTED, user=viewer)["data"]
    others = [edge["node"]["otherUser"]["id"] for edge in data["conversations"]["edges"]]
    return others, data["unreadDirectMessageCount"]


def test_a_block_hides_the_conversation_both_ways_and_unblocking_brings_it_back(gql):
    alice, bob, carol = veteran(), veteran(), veteran()
    mutual(alice, bob)
    mutual(alice, carol)
    services.send_direct_message(user=bob, recipient_id=alice.pk, body="在吗")
    services.send_direct_message(user=bob, recipient_id=alice.pk, body="周六见")
    services.send_direct_message(user=carol, recipient_id=alice.pk, body="你好")
    message = DirectMessage.objects.filter(sender=bob).first()
    assert listed(gql, alice) == ([gid(carol), gid(bob)], 3)

    account_services.block_user(user=alice, blocked_id=bob.pk)
    assert listed(gql, alice) == ([gid(carol)], 1)
    assert listed(gql, bob) == ([], 0)
    for viewer, other in ((alice, bob), (bob, alice)):
        assert data_of(gql(ONE, {"id": gid(other)}, user=viewer), "conversation") is None
        assert data_of(gql(NODE, {"id": gid(message)}, user=viewer), "node") is None
        assert codes(run(gql, SEND, "sendDirectMessage", user=viewer, userId=gid(other), body="喂")) == ["FORBIDDEN"]
        assert codes(run(gql, READ, "markConversationRead", user=viewer, userId=gid(other))) == ["NOT_FOUND"]

    account_services.unblock_user(user=alice, blocked_id=bob.pk)
    assert listed(gql, alice) == ([gid(carol), gid(bob)], 3)
    history = data_of(gql(ONE, {"id": gid(alice)}, user=bob), "conversation")["messages"]["edges"]
    assert [edge["node"]["body"] for edge in history] == ["在吗", "周六见"]
    assert DirectMessage.objects.count() == 3


def test_the_unread_badge_counts_every_conversation_in_one_query(gql, django_assert_max_num_queries):
    alice = veteran()
    for _ in range(4):
        friend = veteran()
        mutual(alice, friend)
        services.send_direct_message(user=friend, recipient_id=alice.pk, body="早")
        services.send_direct_message(user=friend, recipient_id=alice.pk, body="晚")
    with django_assert_max_num_queries(4):
        assert data_of(gql("{ unreadDirectMessageCount }", user=alice), "unreadDirectMessageCount") == 8
    anonymous = gql("{ unreadDirectMessageCount }")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
