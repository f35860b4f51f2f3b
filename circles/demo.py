"""Demo circles for `manage.py seed_demo`: city, model and interest circles with hosts, co-hosts,
members, a join request or two, an invite, some chat, and one circle still waiting for approval.

Everything goes through the services (so counts, roles and the activity stream are real).
Idempotent: circles are found by name, and a circle that already has members or chat keeps them.
"""

from __future__ import annotations

import random

from circles import services
from circles.models import ChatMessage, Circle, Membership
from community.kernel.errors import ServiceError

# name, kind, city, join policy, visibility, description
CIRCLES = [
    (
        "重庆欧尚车友会",
        "CITY",
        "重庆",
        "OPEN",
        "PUBLIC",
        "山城车友的大本营：周末自驾、洗车团购、新车提车交流，欢迎重庆的欧尚车主。",
    ),
    (
        "成都欧尚车友会",
        "CITY",
        "成都",
        "APPROVAL",
        "PUBLIC",
        "成都及周边车主，川西自驾、美食探店，入圈请简单介绍你的爱车。",
    ),
    ("北京欧尚车友会", "CITY", "北京", "APPROVAL", "PUBLIC", "京城车友，周末京郊游、冬季用车经验分享。"),
    (
        "欧尚X5 PLUS车主俱乐部",
        "MODEL",
        "",
        "OPEN",
        "PUBLIC",
        "X5 PLUS车主交流用车、保养、改装心得，提车作业欢迎晒。",
    ),
    ("欧尚Z6 iDD混动车友圈", "MODEL", "", "APPROVAL", "PUBLIC", "混动车主聊油耗、充电和长途续航，新手问题有问必答。"),
    ("长安星卡创业帮", "MODEL", "", "OPEN", "PUBLIC", "跑货拉货的兄弟们：接单、路线、省油技巧，互相帮衬。"),
    ("川渝自驾游小分队", "INTEREST", "重庆", "OPEN", "PUBLIC", "川西、贵州、云南，一起规划路线、组队出发，安全第一。"),
    (
        "欧尚露营家族",
        "INTEREST",
        "成都",
        "INVITE_ONLY",
        "PRIVATE",
        "周末带娃露营，装备分享、营地推荐，老成员邀请加入。",
    ),
    ("欧尚公益行", "INTEREST", "", "OPEN", "PUBLIC", "助学、环保、爱心送考，用车友的力量做点好事。"),
    ("欧尚Style官方圈", "OFFICIAL", "", "OPEN", "PUBLIC", "官方活动、新车发布与车主福利第一时间发布。"),
]
PENDING = ("杭州欧尚亲子车友会", "CITY", "杭州", "APPROVAL", "PUBLIC", "杭州的宝爸宝妈车主，周末亲子游、自驾去海边。")

CHAT = [
    "大家好，新人报到！{city}的车主，请多关照",
    "周六早上八点老地方集合，有一起的吗？",
    "刚做完首保，4S店服务不错，推荐一下",
    "高速上油耗多少？我跑下来百公里七个多",
    "下周末去露营，还差两辆车，感兴趣的接龙",
    "昨天洗车团购的券到了吗？",
    "雨天记得开雾灯，安全第一",
    "路上遇到同款车，按了喇叭打招呼哈哈",
]


def seed_app(report) -> None:
    brand = report.brand
    owners = list(report.owners)
    verified = [owner for owner in owners if owner.is_verified_owner]
    made, members_added, messages = 0, 0, 0
    for index, spec in enumerate(CIRCLES):
        circle, created = _circle(spec, _host_for(spec, verified, brand, index), brand, approve=True)
        made += created
        if circle is None:
            continue
        rng = random.Random(f"circles:{circle.name}")  # per circle: a re-run draws the same
        members_added += _members(rng, circle, owners)
        messages += _chat(rng, circle)
    pending_host = verified[-1] if verified else brand
    _circle(PENDING, pending_host, brand, approve=False)
    hosts = Membership.objects.filter(circle__name=CIRCLES[0][0], role=Membership.Role.HOST, status="ACTIVE")
    host = hosts.select_related("user").first()
    if host is not None and host.user.username.startswith("owner"):
        report.logins.append((host.user.username, "oushang-demo-2026", f"圈主 {CIRCLES[0][0]}"))
    total = Circle.objects.filter(name__in=[c[0] for c in CIRCLES] + [PENDING[0]]).count()
    report.lines.append(
        f"车友圈: {total} 个 ({made} 个新建, 1 个待审核), {members_added} 位新成员, {messages} 条新聊天 "
        f"(circles, new members, new chat messages)."
    )


def _host_for(spec, verified, brand, index):
    _name, kind, city, *_ = spec
    if kind == "OFFICIAL" or not verified:
        return brand
    same_city = [owner for owner in verified if owner.city == city]
    pool = same_city or verified
    return pool[index % len(pool)]


def _circle(spec, host, brand, *, approve: bool) -> tuple[Circle | None, bool]:
    name, kind, city, policy, visibility, description = spec
    existing = Circle.objects.filter(name=name).exclude(status=Circle.Status.ARCHIVED).first()
    if existing is not None:
        return existing, False
    try:
        circle = services.create_circle(
            user=host,
            name=name,
            description=description,
            kind=kind,
            city=city,
            join_policy=policy,
            visibility=visibility,
        )
        if approve:
            circle = services.review_circle(user=brand, circle_id=circle.pk, approve=True)
    except ServiceError:
        return None, False
    return circle, True


def _members(rng: random.Random, circle: Circle, owners) -> int:
    """About a third of the owners join (the same city first); in approval circles the last one waits
    for the host; the first joiners become co-hosts. A circle that has members already is left as it is."""
    if circle.member_count > 1 or circle.status != Circle.Status.ACTIVE:
        return 0
    host = Membership.objects.select_related("user").get(circle=circle, role=Membership.Role.HOST, status="ACTIVE")
    candidates = [owner for owner in owners if owner.pk != host.user_id]
    shuffle = {owner.pk: rng.random() for owner in candidates}
    candidates.sort(key=lambda owner: (owner.city != circle.city, shuffle[owner.pk]))
    chosen = candidates[: max(2, len(candidates) // 3)]
    invite = None
    if circle.join_policy == Circle.JoinPolicy.INVITE_ONLY:
        invite = services.create_invite(user=host.user, circle_id=circle.pk)
    joined: list[Membership] = []
    for position, owner in enumerate(chosen):
        membership = services.join_circle(
            user=owner, circle_id=circle.pk, invite_code=invite.code if invite is not None else None
        )
        # the last one to ask in an approval circle is still waiting: the host has a request to see
        waits = circle.join_policy == Circle.JoinPolicy.APPROVAL and position == len(chosen) - 1 and position >= 2
        if membership.status == Membership.Status.PENDING and not waits:
            membership = services.review_join_request(user=host.user, membership_id=membership.pk, approve=True)
        if membership.status == Membership.Status.ACTIVE:
            joined.append(membership)
    for membership in joined[:2] if len(joined) >= 4 else joined[:1]:
        services.set_member_role(user=host.user, membership_id=membership.pk, role="CO_HOST")
    return len(joined)


def _chat(rng: random.Random, circle: Circle) -> int:
    if circle.status != Circle.Status.ACTIVE or ChatMessage.objects.filter(circle=circle).exists():
        return 0
    talkers = list(Membership.objects.filter(circle=circle, status=Membership.Status.ACTIVE).select_related("user")[:6])
    sent = 0
    previous = None
    for line in rng.sample(CHAT, k=min(len(CHAT), 2 + len(talkers))):
        member = rng.choice(talkers)
        try:
            previous = services.send_chat_message(
                user=member.user,
                circle_id=circle.pk,
                body=line.format(city=circle.city or "外地"),
                reply_to_id=previous.pk if previous is not None and rng.random() < 0.3 else None,
            )
            sent += 1
        except ServiceError:  # a sender over their rate limit: the demo has enough chat without it
            continue
    return sent
