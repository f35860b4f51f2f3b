"""Demo posts, comments, likes, event recaps, an announcement and a held post, made through the services."""

from __future__ import annotations

import contextlib

from circles.models import Circle, Membership
from community.content import services as content_services
from community.content.models import Post
from community.kernel.errors import ServiceError
from community.models import SensitiveWord

MOMENTS = [
    "今天提车了，欧尚{model}真香！感谢圈里老哥们的建议。",
    "周末去南山看夜景，有没有一起的？@{friend}",
    "第一次跑高速，油耗比想象中低，分享一下数据：百公里6.8L。",
    "洗车小技巧：先冲泥沙再打泡沫，别干擦！",
    "带娃去露营，后备箱装下了帐篷、天幕和两张折叠床。",
    "车机升级后语音识别快了很多，大家升级了吗？",
    "今天参加圈里的公益活动，给山区小学送了图书。",
    "有没有做果园的车友？老家苹果熟了，车友价。",
]
ARTICLES = [
    ("川西小环线自驾攻略", "第一天成都出发，走雅康高速到康定……沿途加油站不多，建议在泸定加满。"),
    ("新车磨合期注意事项", "前1000公里不要长时间高转速，避免急加速急刹车，定期检查胎压。"),
]
COMMENTS = ["好车！", "同去同去", "收藏了，谢谢分享", "请问在哪个4S店提的？", "羡慕，我的还在路上", "支持公益！"]
ANNOUNCEMENT_TITLE = "欧尚Style 三周年车友节"
WORDS = [("代开发票", "BLOCK"), ("加微信领红包", "HOLD"), ("刷单", "HOLD")]


HELD_BODY = "内部渠道加微信领红包，先到先得"


def seed_app(report) -> None:
    for author, event_id, body in report.recaps:
        _try(content_services.create_post, user=author, body=body, event_id=event_id)
    report.recaps.clear()
    rng = report.rng
    owners = report.owners
    if not owners or report.brand is None or Post.objects.filter(title=ANNOUNCEMENT_TITLE).exists():
        return  # seeded already (other apps' demos may have posted recaps): leave what is there
    for word, action in WORDS:
        if not SensitiveWord.objects.filter(word=word).exists():
            SensitiveWord.objects.create(word=word, action=action, note="演示词")
    memberships = _memberships(owners)
    posts = []
    for index, owner in enumerate(owners):
        circle_ids = memberships.get(owner.pk, [])
        circle_id = rng.choice(circle_ids) if circle_ids and rng.random() < 0.7 else None
        friend = owners[(index + 1) % len(owners)]
        vehicle = owner.vehicles.first()
        body = rng.choice(MOMENTS).format(
            model=(vehicle.model if vehicle else "X5").replace("欧尚", ""), friend=friend.nickname
        )
        posts.append(content_services.create_post(user=owner, body=body, circle_id=circle_id))
        if index % 6 == 0:
            title, text = rng.choice(ARTICLES)
            posts.append(content_services.create_post(user=owner, kind="ARTICLE", title=title, body=text))
    content_services.create_post(
        user=report.brand,
        kind=Post.Kind.ANNOUNCEMENT,
        title=ANNOUNCEMENT_TITLE,
        body="感谢87个车友圈的圈主和每一位车主！本月各地车友会活动报名已开启。",
    )
    for post in posts:
        for fan in rng.sample(owners, k=min(len(owners), rng.randint(0, 6))):
            if fan.pk != post.author_id:
                _try(content_services.like_post, user=fan, post_id=post.pk)
        for commenter in rng.sample(owners, k=min(len(owners), rng.randint(0, 3))):
            _try(content_services.add_comment, user=commenter, post_id=post.pk, body=rng.choice(COMMENTS))
    content_services.create_post(user=owners[-1], body=HELD_BODY)
    report.lines.append(f"Posts: {Post.objects.count()} (one held for review by the word list).")


def _try(action, **arguments) -> None:
    """Owners only like and comment where they may (a private circle's post is not theirs to see)."""
    with contextlib.suppress(ServiceError):
        action(**arguments)


def _memberships(owners) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    rows = Membership.objects.filter(
        user__in=owners, status=Membership.Status.ACTIVE, circle__status=Circle.Status.ACTIVE
    )
    for user_id, circle_id in rows.values_list("user_id", "circle_id"):
        found.setdefault(user_id, []).append(circle_id)
    return found
