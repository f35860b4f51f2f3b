"""The starting points rules and badges of the product brief; brand staff edit them in the back office."""

from django.db import migrations

RULES = [
    # code, name, description, points, daily cap (points per user per day), notify
    ("daily_check_in", "每日签到", "每天签到一次。", 5, None, False),
    ("check_in_streak_bonus", "连续签到奖励", "连续签到每满 7 天，额外奖励一次。", 30, None, False),
    ("post_created", "发布动态或文章", "发布一条动态或文章。", 10, 30, False),
    ("comment_created", "发表评论", "发表一条评论或回复。", 2, 20, False),
    ("like_received", "获得点赞", "你的内容被其他车友点赞。", 1, 50, False),
    ("event_attended", "参加活动", "报名的活动到场签到。", 30, 60, True),
    ("event_hosted", "组织活动", "组织的活动每有一位车友到场签到。", 5, 200, False),
    ("invite_accepted", "邀请车友", "邀请的车友通过邀请码加入。", 20, 100, True),
    ("vehicle_verified", "车辆认证", "爱车通过品牌认证，成为认证车主（每位车主一次）。", 100, None, True),
]

BADGES = [
    ("verified_owner", "认证车主", "爱车通过品牌认证，成为认证车主。"),
    ("first_post", "初次发声", "发布了第一条动态或文章。"),
    ("first_event", "初次相聚", "第一次参加车友活动并到场签到。"),
    ("five_events", "活动达人", "参加了 5 场车友活动。"),
    ("circle_host", "圈主", "成为车友圈的圈主。"),
    ("ten_strong_ties", "铁杆车友", "与 10 位车友建立了强关系。"),
]


def seed(apps, schema_editor):
    PointsRule = apps.get_model("gamification", "PointsRule")
    Badge = apps.get_model("gamification", "Badge")
    for code, name, description, points, daily_cap, notify in RULES:
        PointsRule.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "points": points,
                "daily_cap": daily_cap,
                "notify": notify,
            },
        )
    for code, name, description in BADGES:
        Badge.objects.get_or_create(code=code, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("gamification", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
