"""Private messages through the API: who may write at once, message requests, unread counts, paging
backwards, the first-message notification, the refusals, and a third user never reading a message."""

from __future__ import annotations

from django.db import reset_queries
from graphql_relay import to_global_id

from circles import services as circle_services
from community.accounts import services as account_services
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.messaging import services
from community.messaging.models import Conversation, DirectMessage
from community.models import Mute, Notification, SensitiveWord
from tests.circles.factories import make_circle
from tests.content.helpers import veteran
from tests.factories import UserFactory
from tests.gamification.factories import make_tie
from tests.helpers import ERRORS, codes, data_of, gid, run

SEND = f"""mutation($input: SendDirectMessageInput!) {{
  sendDirectMessage(input: $input) {{ message {{ id body pendingReview sender {{ id }} }} {ERRORS} }}
}}"""
RESPOND = f"""mutation($input: RespondToMessageRequestInput!) {{
  respondToMessageRequest(input: $input) {{ conversation {{ status requestedByViewer }} {ERRORS} }}
}}"""
READ = f"""mutation($input: ConversationWithInput!) {{
  markConversationRead(input: $input) {{ conversation {{ unreadCount }} {ERRORS} }}
}}"""
CONVERSATIONS = """query($first: Int) { conversations(first: $first) { edges { node { id status unreadCount
  requestedByViewer otherUser { id } lastMessage { body sender { id } } } } } }"""
CONVERSATION = """query($id: ID!, $last: Int, $before: String) { conversation(userId: $id) { id status unreadCount
  messages(last: $last, before: $before) { edges { cursor node { body } }
  pageInfo { hasPreviousPage startCursor } } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on DirectMessage { body } ... on Conversation { unreadCount } }}"


def send(gql, sender, recipient, body="你好"):
    return run(gql, SEND, "sendDirectMessage", user=sender, userId=gid(recipient), body=body)


def mutual(a, b):
    account_services.follow(user=a, followee_id=b.pk)
    account_services.follow(user=b, followee_id=a.pk)


def test_mutual_followers_write_at_once_and_the_first_message_notifies(gql):
    alice, bob = veteran(), veteran()
    mutual(alice, bob)
    first = send(gql, alice, bob, "周末一起去露营？")
    assert first["errors"] == [] and first["message"]["body"] == "周末一起去露营？"
    send(gql, bob, alice, "好啊")
    send(gql, alice, bob, "那说定了")
    conversation = Conversation.objects.get()
    assert conversation.status == Conversation.Status.ACTIVE
    notified = Notification.objects.filter(verb=NotificationVerb.DIRECT_MESSAGE)
    assert list(notified.values_list("recipient_id", "actor_id")) == [(bob.pk, alice.pk)]  # the first only
    # Bob's answer to Alice's message is a reply, as in circle chat: the ties consumer counts it.
    sent = Activity.objects.filter(verb=Verb.DIRECT_MESSAGE_SENT).order_by("pk")
    assert [activity.data["reply_to_author_id"] for activity in sent] == [None, alice.pk, bob.pk]

    listed = data_of(gql(CONVERSATIONS, {"first": 10}, user=bob), "conversations")["edges"]
    assert [edge["node"]["otherUser"]["id"] for edge in listed] == [gid(alice)]
    node = listed[0]["node"]
    # Replying reads what came before: only Alice's message after Bob's answer is unread.
    assert node["unreadCount"] == 1 and node["lastMessage"]["body"] == "那说定了" and node["status"] == "ACTIVE"
    read = run(gql, READ, "markConversationRead", user=bob, userId=gid(alice))
    assert read["errors"] == [] and read["conversation"]["unreadCount"] == 0

    def unread_of_alice():
        return data_of(gql(CONVERSATIONS, {"first": 10}, user=alice), "conversations")["edges"][0]["node"][
            "unreadCount"
        ]

    assert unread_of_alice() == 0
    send(gql, bob, alice, "明早八点")
    send(gql, bob, alice, "别迟到")
    assert unread_of_alice() == 2


def test_members_of_a_shared_circle_write_at_once(gql):
    alice, bob = veteran(), veteran()
    make_circle(members=[alice, bob])
    send(gql, alice, bob)
    assert Conversation.objects.get().status == Conversation.Status.ACTIVE


def test_an_acquaintance_tie_writes_at_once(gql):
    alice, bob = veteran(), veteran()
    make_tie(alice, bob, 50)
    send(gql, alice, bob)
    assert Conversation.objects.get().status == Conversation.Status.ACTIVE


def test_a_strangers_first_message_is_a_request_until_accepted(gql):
    stranger, owner = veteran(), veteran()
    request = send(gql, stranger, owner, "你好，想请教改装")
    assert request["errors"] == []
    notification = Notification.objects.get(verb=NotificationVerb.DIRECT_MESSAGE)
    assert notification.recipient == owner and notification.data == {"request": True}
    more = send(gql, stranger, owner, "在吗？")
    assert codes(more) == ["CONFLICT"]
    mine = data_of(gql(CONVERSATIONS, {"first": 5}, user=stranger), "conversations")["edges"][0]["node"]
    assert mine["status"] == "REQUESTED" and mine["requestedByViewer"] is True
    theirs = data_of(gql(CONVERSATIONS, {"first": 5}, user=owner), "conversations")["edges"][0]["node"]
    assert theirs["status"] == "REQUESTED" and theirs["requestedByViewer"] is False

    assert codes(run(gql, RESPOND, "respondToMessageRequest", user=stranger, userId=gid(owner), accept=True)) == [
        "NOT_FOUND"  # the requester cannot accept their own request
    ]
    accepted = run(gql, RESPOND, "respondToMessageRequest", user=owner, userId=gid(stranger), accept=True)
    assert accepted["errors"] == [] and accepted["conversation"]["status"] == "ACTIVE"
    assert send(gql, stranger, owner, "谢谢！")["errors"] == []
    assert DirectMessage.objects.count() == 2


def test_a_declined_request_stops_further_messages_and_leaves_the_decliners_list(gql):
    stranger, owner = veteran(), veteran()
    send(gql, stranger, owner)
    declined = run(gql, RESPOND, "respondToMessageRequest", user=owner, userId=gid(stranger), accept=False)
    assert declined["errors"] == [] and declined["conversation"]["status"] == "DECLINED"
    assert codes(send(gql, stranger, owner, "再问一次")) == ["FORBIDDEN"]
    assert data_of(gql(CONVERSATIONS, {"first": 5}, user=owner), "conversations")["edges"] == []
    assert DirectMessage.objects.count() == 1


def test_refusals(gql, brand_staff):
    alice, bob = veteran(), veteran()
    mutual(alice, bob)
    assert codes(send(gql, None, bob)) == ["UNAUTHENTICATED"]
    assert codes(send(gql, alice, alice)) == ["INVALID"]
    missing = run(gql, SEND, "sendDirectMessage", user=alice, userId=to_global_id("User", 10**9), body="hi")
    assert codes(missing) == ["NOT_FOUND"]
    assert codes(send(gql, alice, bob, "   ")) == ["INVALID"]
    assert codes(send(gql, alice, bob, "长" * 1001)) == ["INVALID"]
    # blocked, either way
    account_services.block_user(user=bob, blocked_id=alice.pk)
    blocked = send(gql, alice, bob)
    assert blocked["errors"][0]["code"] == "FORBIDDEN" and blocked["errors"][0]["field"] == "userId"
    assert codes(send(gql, bob, alice)) == ["FORBIDDEN"]
    account_services.unblock_user(user=bob, blocked_id=alice.pk)
    # muted by moderation
    from datetime import timedelta

    from django.utils import timezone

    Mute.objects.create(user=alice, until=timezone.now() + timedelta(days=1))
    assert codes(send(gql, alice, bob)) == ["MUTED"]
    # the word filter
    SensitiveWord.objects.create(word="代开发票", action="BLOCK")
    SensitiveWord.objects.create(word="加微信", action="HOLD")
    assert codes(send(gql, bob, alice, "代开发票找我")) == ["INVALID"]
    held = send(gql, bob, alice, "加微信聊")
    assert held["errors"] == [] and held["message"]["pendingReview"] is True
    seen = data_of(gql(CONVERSATION, {"id": gid(bob), "last": 10}, user=alice), "conversation")
    assert seen["messages"]["edges"] == []  # held: only its sender sees it
    services.review_direct_message(user=brand_staff, message_id=DirectMessage.objects.get().pk, publish=True)
    seen = data_of(gql(CONVERSATION, {"id": gid(bob), "last": 10}, user=alice), "conversation")
    assert [edge["node"]["body"] for edge in seen["messages"]["edges"]] == ["加微信聊"]
    assert DirectMessage.objects.count() == 1


def test_the_new_user_sandbox_limits_new_conversations(gql):
    newcomer = UserFactory()
    results = [send(gql, newcomer, veteran(), "你好") for _ in range(6)]
    assert [codes(result) for result in results[:5]] == [[]] * 5
    assert codes(results[5]) == ["RATE_LIMITED"]


def test_messages_page_backwards_newest_last(gql):
    alice, bob = veteran(), veteran()
    mutual(alice, bob)
    for index in range(5):
        services.send_direct_message(
            user=alice if index % 2 == 0 else bob,
            recipient_id=(bob if index % 2 == 0 else alice).pk,
            body=f"第{index}条",
        )
    page = data_of(gql(CONVERSATION, {"id": gid(bob), "last": 2}, user=alice), "conversation")["messages"]
    assert [edge["node"]["body"] for edge in page["edges"]] == ["第3条", "第4条"]
    assert page["pageInfo"]["hasPreviousPage"] is True
    older = data_of(
        gql(CONVERSATION, {"id": gid(bob), "last": 10, "before": page["pageInfo"]["startCursor"]}, user=alice),
        "conversation",
    )["messages"]
    assert [edge["node"]["body"] for edge in older["edges"]] == ["第0条", "第1条", "第2条"]
    assert older["pageInfo"]["hasPreviousPage"] is False


def test_a_third_user_reads_nothing_through_any_query(gql):
    alice, bob, eve = veteran(), veteran(), veteran()
    mutual(alice, bob)
    message = services.send_direct_message(user=alice, recipient_id=bob.pk, body="只给你看")
    conversation = message.conversation
    assert data_of(gql(CONVERSATIONS, {"first": 10}, user=eve), "conversations")["edges"] == []
    assert data_of(gql(CONVERSATION, {"id": gid(alice), "last": 10}, user=eve), "conversation") is None
    for target in (message, conversation):
        assert data_of(gql(NODE, {"id": gid(target)}, user=eve), "node") is None
        assert data_of(gql(NODE, {"id": gid(target)}), "node") is None
        assert data_of(gql(NODE, {"id": gid(target)}, user=bob), "node") is not None
    assert codes(run(gql, READ, "markConversationRead", user=eve, userId=gid(alice))) == ["NOT_FOUND"]
    result = gql(CONVERSATIONS, {"first": 5})
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_the_conversation_list_takes_the_same_queries_for_any_page(gql, django_assert_max_num_queries):
    me = veteran()
    circle = make_circle(members=[me])

    def add(n):
        for _ in range(n):
            someone = veteran()
            circle_services.join_circle(user=someone, circle_id=circle.pk)
            services.send_direct_message(user=someone, recipient_id=me.pk, body="你好")
            services.send_direct_message(user=me, recipient_id=someone.pk, body="你好呀")

    add(1)
    token = gql.token_for(me)
    reset_queries()
    with django_assert_max_num_queries(20) as small:
        data_of(gql(CONVERSATIONS, {"first": 50}, token=token), "conversations")
    budget = small.final_queries - small.initial_queries
    add(6)
    reset_queries()
    with django_assert_max_num_queries(budget):
        edges = data_of(gql(CONVERSATIONS, {"first": 50}, token=token), "conversations")["edges"]
    assert len(edges) == 7 and all(edge["node"]["lastMessage"]["body"] == "你好呀" for edge in edges)
