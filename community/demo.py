"""Demo data for `manage.py seed_demo`: realistic owners, vehicles and follows, made through services.

Deterministic (a seeded random generator and fixed usernames), so running it twice changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from community.accounts import services as account_services
from community.models import BRAND_GROUP, Follow, User, Vehicle

DEMO_PASSWORD = "oushang-demo-2026"
BRAND_USERNAME = "brand"
SUPERUSER_USERNAME = "admin"

CITIES = [
    "重庆",
    "成都",
    "北京",
    "上海",
    "广州",
    "深圳",
    "西安",
    "武汉",
    "杭州",
    "南京",
    "长沙",
    "郑州",
    "昆明",
    "贵阳",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "桂英",
    "浩然",
    "子轩",
    "雨桐",
    "思远",
    "一鸣",
    "欣怡",
    "宇航",
]
STYLES = [
    "{surname}{given}",
    "{city}{surname}哥",
    "{model}车主{given}",
    "老{surname}爱自驾",
    "{surname}{given}的{model}",
    "{city}奔跑的{surname}",
    "周末去露营的{given}",
    "{model}·{given}",
]
MODELS = [
    ("欧尚X5 PLUS", Vehicle.Category.PASSENGER),
    ("欧尚X7 PLUS", Vehicle.Category.PASSENGER),
    ("欧尚Z6", Vehicle.Category.PASSENGER),
    ("欧尚Z6 iDD", Vehicle.Category.PASSENGER),
    ("欧尚X5", Vehicle.Category.PASSENGER),
    ("欧尚科赛5", Vehicle.Category.PASSENGER),
    ("欧尚COS1°", Vehicle.Category.PASSENGER),
    ("欧尚A800", Vehicle.Category.PASSENGER),
    ("欧尚X70A", Vehicle.Category.PASSENGER),
    ("长安星卡", Vehicle.Category.COMMERCIAL),
    ("长安跨越王", Vehicle.Category.COMMERCIAL),
    ("欧尚科尚", Vehicle.Category.COMMERCIAL),
]
BIOS = [
    "通过一台车认识一群人。",
    "周末带娃自驾，欢迎一起。",
    "跑过川藏线，想再去一次。",
    "喜欢洗车和改装，乐于分享经验。",
    "新手司机，请多指教。",
    "做水果生意，车友价优惠。",
    "摄影爱好者，活动跟拍找我。",
    "公益活动常客。",
    "",
]


@dataclass
class SeedReport:
    """What the seeding made; each app's `demo.seed_app(report)` reads and extends it."""

    users: int
    created: int
    logins: list[tuple[str, str, str]]
    brand: User | None = None
    owners: list[User] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    lines: list[str] = field(default_factory=list)
    # Recaps an app below content wants posted (author, event id, body): the content demo posts them.
    recaps: list[tuple[User, int, str]] = field(default_factory=list)


def _nickname(rng: random.Random, city: str, model: str) -> str:
    style = rng.choice(STYLES)
    name = style.format(
        surname=rng.choice(SURNAMES), given=rng.choice(GIVEN), city=city, model=model.replace("欧尚", "")
    )
    return name[:30]


def _ensure_user(
    username: str, nickname: str, city: str, bio: str, *, brand=False, superuser=False
) -> tuple[User, bool]:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    if superuser:
        user = User.objects.create_superuser(
            username, f"{username}@example.com", DEMO_PASSWORD, nickname=nickname, city=city
        )
    else:
        user = User.objects.create_user(username, password=DEMO_PASSWORD, nickname=nickname, city=city, bio=bio)
    if brand:
        user.groups.add(Group.objects.get_or_create(name=BRAND_GROUP)[0])
    return user, True


def seed(users: int = 30, *, progress=None) -> SeedReport:
    """Make `users` owners (plus brand staff and an admin); existing demo rows are left as they are."""
    rng = random.Random(2026)
    brand, _ = _ensure_user(BRAND_USERNAME, "欧尚Style官方运营", "重庆", "品牌运营团队", brand=True)
    _ensure_user(SUPERUSER_USERNAME, "系统管理员", "重庆", "", superuser=True)
    owners: list[User] = []
    created = 0
    for index in range(1, users + 1):
        city = rng.choice(CITIES)
        model, category = rng.choice(MODELS)
        nickname = _nickname(rng, city, model)
        bio = rng.choice(BIOS)
        verified = rng.random() < 0.7
        has_car = rng.random() < 0.9  # a few prospects have no car yet
        joined_days_ago = rng.randint(20, 1000)
        purchased = date(2021, 1, 1) + timedelta(days=rng.randrange(0, 1400))
        vin = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(6))
        with transaction.atomic():
            owner, is_new = _ensure_user(f"owner{index:03d}", nickname, city, bio)
            if is_new:
                created += 1
                User.objects.filter(pk=owner.pk).update(date_joined=timezone.now() - timedelta(days=joined_days_ago))
                if has_car:
                    vehicle = account_services.add_vehicle(
                        user=owner, model=model, category=category, purchased_on=purchased, vin_suffix=vin
                    )
                    if verified:
                        account_services.verify_vehicle(user=brand, vehicle_id=vehicle.pk)
        owners.append(owner)
        if progress:
            progress(1)
    _seed_follows(rng, owners)
    logins = [
        (BRAND_USERNAME, DEMO_PASSWORD, "品牌运营 (brand staff)"),
        (SUPERUSER_USERNAME, DEMO_PASSWORD, "超级管理员 (/admin/)"),
        *[(o.username, DEMO_PASSWORD, f"车主 {o.nickname}") for o in owners[:3]],
    ]
    return SeedReport(users=len(owners), created=created, logins=logins, brand=brand, owners=owners, rng=rng)


def _seed_follows(rng: random.Random, owners: list[User]) -> None:
    """Owners in the same city tend to follow each other; the first owner gets a few followers to show."""
    if len(owners) < 2:
        return
    existing = set(Follow.objects.filter(follower__in=owners).values_list("follower_id", "followee_id"))
    for follower in owners:
        same_city = [o for o in owners if o.city == follower.city and o.pk != follower.pk]
        pool = same_city or [o for o in owners if o.pk != follower.pk]
        for followee in rng.sample(pool, k=min(len(pool), rng.randint(1, 4))):
            if (follower.pk, followee.pk) not in existing:
                account_services.follow(user=follower, followee_id=followee.pk)
                existing.add((follower.pk, followee.pk))
