"""The demo's private messages: conversations between circle mates, a message request, a held message
and a block."""

import random

from community.messaging import demo
from community.messaging.models import Conversation, DirectMessage
from community.models import Block, SensitiveWord
from tests.circles.factories import make_circle
from tests.content.helpers import veteran


def test_the_demo_draws_conversations_a_request_and_a_block(db):
    SensitiveWord.objects.create(word="刷单", action=SensitiveWord.Action.HOLD)
    mates = [veteran() for _ in range(4)]
    loners = [veteran() for _ in range(2)]
    make_circle(members=mates)
    lines = demo.seed([*mates, *loners], random.Random(1))
    assert lines == ["私信 private messages: 2 conversations, 1 message request, 1 block, 1 held for review."]
    assert Conversation.objects.filter(status="ACTIVE").count() == 2
    assert Conversation.objects.filter(status="REQUESTED").count() == 1
    assert DirectMessage.objects.count() == 8
    assert DirectMessage.objects.filter(status="PENDING_REVIEW").count() == 1
    assert Block.objects.count() == 1
