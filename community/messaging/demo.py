"""What the demo's owners say to each other in private, one message held for review, and one block:
called once from the simulated history's finishing touches, through the services (so the rules, ties
and notifications are real)."""

from __future__ import annotations

import contextlib
import random

from circles.models import Membership
from community.accounts import services as accounts
from community.kernel.errors import ServiceError
from community.messaging import services
from community.models import User

EXCHANGES = (
    ("上次自驾的照片发你了，看看哪张好？", "第三张！夕阳那张绝了", "那我就用它当封面了"),
    ("周末的保养活动你报名了吗？", "报了，周六上午场", "一起呀，我去接你"),
    ("你的车贴膜在哪家做的？", "解放碑那家，报我名字有优惠", "好嘞，谢谢！"),
)
REQUEST = "你好，在活动上见过你，想请教一下充电桩安装的事。"
# Holds on the demo's word list: the brand console's held private messages show it.
HELD = "有个刷单的兼职，一天两百，要不要一起？"


def _circle_mates(owners: list[User]) -> list[tuple[User, User]]:
    """Pairs of owners who share a circle (they may write at once), at most one pair per owner."""
    by_id = {owner.pk: owner for owner in owners}
    circles: dict[int, list[int]] = {}
    for circle_id, user_id in Membership.objects.filter(
        user_id__in=list(by_id), status=Membership.Status.ACTIVE
    ).values_list("circle_id", "user_id"):
        circles.setdefault(circle_id, []).append(user_id)
    used: set[int] = set()
    pairs = []
    for members in circles.values():
        free = [pk for pk in members if pk not in used]
        for a, b in zip(free[::2], free[1::2], strict=False):
            pairs.append((by_id[a], by_id[b]))
            used.update((a, b))
    return pairs


def seed(owners: list[User], rng: random.Random) -> list[str]:
    pairs = _circle_mates(owners)
    rng.shuffle(pairs)
    conversations = 0
    for (a, b), lines in zip(pairs, EXCHANGES * 2, strict=False):
        try:
            for index, body in enumerate(lines):
                sender, recipient = (a, b) if index % 2 == 0 else (b, a)
                services.send_direct_message(user=sender, recipient_id=recipient.pk, body=body)
            conversations += 1
        except ServiceError:
            continue
    held = 0
    if pairs:
        a, b = pairs[0]
        with contextlib.suppress(ServiceError):
            held = int(services.send_direct_message(user=b, recipient_id=a.pk, body=HELD).status == "PENDING_REVIEW")
    in_pairs = {user.pk for pair in pairs for user in pair}
    loners = [owner for owner in owners if owner.pk not in in_pairs]
    requests = blocks = 0
    if len(loners) >= 2:
        try:
            services.send_direct_message(user=loners[0], recipient_id=loners[1].pk, body=REQUEST)
            requests += 1
        except ServiceError:
            pass
    if len(owners) >= 2:
        accounts.block_user(user=owners[0], blocked_id=owners[-1].pk)
        blocks += 1
    return [
        f"私信 private messages: {conversations} conversations, {requests} message request, {blocks} block, "
        f"{held} held for review."
    ]
