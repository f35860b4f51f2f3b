"""Circle chat over HTTP: who may send, limits, the word filter, history by cursor, live publishing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from circles import services
from circles.models import ChatMessage, Membership
from community.kernel import realtime
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import SensitiveWord
from tests.circles.factories import add_member, make_circle, membership
from tests.circles.helpers import SEND
from tests.factories import UserFactory
from tests.helpers import codes, data_of, gid, run

HISTORY = """
query($id: ID!, $last: Int, $before: String) {
  circle(id: $id) {
    chatMessages(last: $last, before: $before) {
      pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
      edges { cursor node { body author { nickname } replyTo { body } pendingReview } }
    }
  }
}"""


@pytest.fixture
def published(monkeypatch):
    """What reached the real-time door, in order: (topic, payload)."""
    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(realtime, "send_now", lambda topic, payload: sent.append((topic, payload)) or True)
    return sent


@pytest.fixture
def chat(db):
    member = UserFactory(nickname="小张")
    circle = make_circle(members=[member])
    return circle, member


def send(gql, user, circle, body="大家好", **extra):
    return run(gql, SEND, "sendChatMessage", user=user, circleId=gid(circle), body=body, **extra)


def test_a_member_sends_and_it_is_recorded_and_published_after_commit(gql, chat, published):
    circle, member = chat
    result = send(gql, member, circle, "  周六南山露营，谁去？ ")
    assert result["errors"] == []
    message = result["message"]
    assert message["body"] == "周六南山露营，谁去？" and message["author"] == {"nickname": "小张"}
    assert message["circle"] == {"id": gid(circle)} and message["pendingReview"] is False
    row = ChatMessage.objects.get()
    sent = Activity.objects.get(verb=Verb.CHAT_MESSAGE_SENT)
    assert (sent.actor, sent.circle_id, sent.target_id) == (member, circle.pk, row.pk)
    assert published == [
        (
            f"circle.{circle.pk}.chat",
            {
                "kind": "message",
                "id": row.pk,
                "at": row.created_at.isoformat(),
                "authorId": member.pk,
                "hiddenFrom": [],
            },
        )
    ]


def test_nothing_is_published_before_the_commit(db, chat, published, django_capture_on_commit_callbacks):
    circle, member = chat
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.send_chat_message(user=member, circle_id=circle.pk, body="还没提交")
    assert published == []
    for callback in callbacks:
        callback()
    assert [topic for topic, _ in published] == [f"circle.{circle.pk}.chat"]


def test_a_reply_names_the_message_it_answers(gql, chat):
    circle, member = chat
    first = send(gql, circle.created_by, circle, "有人去自驾吗")["message"]
    reply = send(gql, member, circle, "我去！", replyToId=first["id"])
    assert reply["message"]["replyTo"] == {"id": first["id"], "body": "有人去自驾吗"}
    assert (
        Activity.objects.filter(verb=Verb.CHAT_MESSAGE_SENT).last().data["reply_to_author_id"] == circle.created_by_id
    )
    elsewhere = make_circle(members=[member])
    wrong = send(gql, member, elsewhere, "串台", replyToId=first["id"])
    assert wrong["errors"] == [{"field": "replyToId", "code": "INVALID", "message": "你回复的消息不在此群聊中。"}]


def test_who_may_not_send(gql, chat, published):
    circle, member = chat
    assert codes(send(gql, None, circle)) == ["UNAUTHENTICATED"]
    assert send(gql, UserFactory(), circle)["errors"] == [
        {"field": None, "code": "FORBIDDEN", "message": "只有成员可以在该车友圈聊天。"}
    ]
    approval = make_circle(join_policy="APPROVAL")
    asking = UserFactory()
    services.join_circle(user=asking, circle_id=approval.pk)
    assert codes(send(gql, asking, approval)) == ["FORBIDDEN"]  # a pending request is not membership

    services.remove_member(user=circle.created_by, membership_id=membership(circle, member).pk, ban=True)
    assert send(gql, member, circle)["errors"][0]["message"] == "你已被该车友圈封禁。"

    muted = UserFactory()
    add_member(circle, muted)
    Membership.objects.filter(user=muted).update(muted_until=timezone.now() + timedelta(days=1))
    assert codes(send(gql, muted, circle)) == ["MUTED"]
    assert "禁言" in send(gql, muted, circle)["errors"][0]["message"]

    pending = make_circle(approve=False)
    assert codes(send(gql, pending.created_by, pending)) == ["CLOSED"]
    missing = run(gql, SEND, "sendChatMessage", user=member, circleId=to_global_id("Circle", 10**9), body="?")
    assert codes(missing) == ["NOT_FOUND"]
    assert not ChatMessage.objects.exists() and published == []


def test_body_limits(gql, chat):
    circle, member = chat
    assert send(gql, member, circle, "   ")["errors"] == [
        {"field": "body", "code": "INVALID", "message": "此项为必填项。"}
    ]
    assert send(gql, member, circle, "长" * 501)["errors"] == [
        {"field": "body", "code": "INVALID", "message": "最多 500 个字符。"}
    ]
    assert send(gql, member, circle, "长" * 500)["errors"] == []
    english = gql(SEND, {"input": {"circleId": gid(circle), "body": ""}}, user=member, language="en")
    assert data_of(english, "sendChatMessage")["errors"][0]["message"] == "This field is required."


def test_each_sender_is_rate_limited_new_accounts_sooner(gql, chat):
    circle, member = chat  # a new account: sandboxed, 10 messages a minute
    for n in range(10):
        assert send(gql, member, circle, f"第{n}条")["errors"] == []
    limited = send(gql, member, circle, "第11条")
    assert codes(limited) == ["RATE_LIMITED"] and "新账号" in limited["errors"][0]["message"]
    assert send(gql, circle.created_by, circle, "圈主不受影响")["errors"] == []
    assert ChatMessage.objects.filter(author=member).count() == 10


def test_blocked_words_are_refused_and_held_ones_wait_for_review(gql, chat, published, on_commit, brand_staff):
    circle, member = chat
    with on_commit():
        SensitiveWord.objects.create(word="代开发票", action="BLOCK")
        SensitiveWord.objects.create(word="微信", action="HOLD")
    blocked = send(gql, member, circle, "专业代開發票")
    assert blocked["errors"] == [{"field": "body", "code": "INVALID", "message": "内容包含不允许使用的词语。"}]
    held = send(gql, member, circle, "加我微信")
    assert held["errors"] == [] and held["message"]["pendingReview"] is True
    assert published == []  # not live

    def bodies(viewer):
        edges = data_of(gql(HISTORY, {"id": gid(circle)}, user=viewer), "circle")["chatMessages"]["edges"]
        return [edge["node"]["body"] for edge in edges]

    assert bodies(member) == ["加我微信"]  # its author sees it, waiting
    assert bodies(circle.created_by) == []
    with on_commit():
        services.review_chat_message(user=brand_staff, message_id=ChatMessage.objects.get().pk, publish=True)
    assert bodies(circle.created_by) == ["加我微信"]
    assert [payload["kind"] for _, payload in published] == ["message"]


def test_history_is_newest_last_and_pages_backwards(gql, chat):
    circle, member = chat
    now = timezone.now()
    ChatMessage.objects.bulk_create(
        [
            ChatMessage(circle=circle, author=member, body=f"消息{n}", created_at=now - timedelta(minutes=10 - n))
            for n in range(7)
        ]
    )
    page = data_of(gql(HISTORY, {"id": gid(circle), "last": 3}, user=member), "circle")["chatMessages"]
    assert [e["node"]["body"] for e in page["edges"]] == ["消息4", "消息5", "消息6"]
    assert page["pageInfo"]["hasPreviousPage"] is True and page["pageInfo"]["hasNextPage"] is False
    assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
    older = data_of(
        gql(HISTORY, {"id": gid(circle), "last": 3, "before": page["pageInfo"]["startCursor"]}, user=member), "circle"
    )["chatMessages"]
    assert [e["node"]["body"] for e in older["edges"]] == ["消息1", "消息2", "消息3"]
    assert older["pageInfo"]["hasNextPage"] is True
    oldest = data_of(
        gql(HISTORY, {"id": gid(circle), "last": 3, "before": older["pageInfo"]["startCursor"]}, user=member), "circle"
    )["chatMessages"]
    assert [e["node"]["body"] for e in oldest["edges"]] == ["消息0"]
    assert oldest["pageInfo"]["hasPreviousPage"] is False
    # a message arriving meanwhile moves nothing in the older pages
    send(gql, member, circle, "新消息")
    again = data_of(
        gql(HISTORY, {"id": gid(circle), "last": 3, "before": page["pageInfo"]["startCursor"]}, user=member), "circle"
    )["chatMessages"]
    assert again["edges"] == older["edges"]


def test_hidden_messages_leave_the_history(gql, chat, brand_staff):
    circle, member = chat
    first = send(gql, member, circle, "广告")["message"]
    send(gql, circle.created_by, circle, "请勿发广告", replyToId=first["id"])
    services.review_chat_message(user=brand_staff, message_id=ChatMessage.objects.get(body="广告").pk, publish=False)
    edges = data_of(gql(HISTORY, {"id": gid(circle)}, user=circle.created_by), "circle")["chatMessages"]["edges"]
    assert [(e["node"]["body"], e["node"]["replyTo"]) for e in edges] == [("请勿发广告", None)]


def test_every_delivery_names_who_is_blocked_either_way_with_its_author_live_and_replayed(gql, chat, published):
    from circles import selectors
    from community.accounts import services as account_services

    circle, member = chat
    blocker, blocked, bystander = UserFactory(), UserFactory(), UserFactory()
    account_services.block_user(user=blocker, blocked_id=member.pk)
    account_services.block_user(user=member, blocked_id=blocked.pk)
    other = add_member(circle, UserFactory()).user
    run(gql, SEND, "sendChatMessage", user=member, circleId=gid(circle), body="大家好")
    run(gql, SEND, "sendChatMessage", user=other, circleId=gid(circle), body="你好")
    live = [payload for _topic, payload in published]
    assert [p["hiddenFrom"] for p in live] == [sorted([blocker.pk, blocked.pk]), []]
    replayed = selectors.chat_deliveries_after(circle.pk, 0)
    assert replayed == live
    assert bystander.pk not in live[0]["hiddenFrom"]
