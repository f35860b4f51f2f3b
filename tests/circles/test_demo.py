"""The circles part of `seed_demo`: realistic, consistent with the rules, and the same when run again."""

from circles import demo
from circles.models import ChatMessage, Circle, Membership
from community import demo as community_demo


def seed(users: int):
    report = community_demo.seed(users)
    demo.seed_app(report)
    return report


def snapshot():
    return (
        sorted(Circle.objects.values_list("name", "status", "member_count")),
        Membership.objects.count(),
        ChatMessage.objects.count(),
    )


def test_demo_circles_are_realistic_and_idempotent(db, on_commit):
    with on_commit():
        report = seed(12)
    names = set(Circle.objects.values_list("name", flat=True))
    assert {spec[0] for spec in demo.CIRCLES} | {demo.PENDING[0]} == names
    assert Circle.objects.get(name=demo.PENDING[0]).status == "PENDING"
    assert Circle.objects.filter(status="ACTIVE").count() == len(demo.CIRCLES)
    for circle in Circle.objects.all():
        active = circle.memberships.filter(status="ACTIVE")
        assert active.filter(role="HOST").count() == 1
        assert circle.member_count == active.count()
    assert Membership.objects.filter(role="CO_HOST").exists()
    assert Membership.objects.filter(status="PENDING").exists()
    assert Membership.objects.filter(invite__isnull=False).exists()  # the invite-only circle
    assert ChatMessage.objects.count() >= 20
    assert any("车友圈" in line for line in report.lines)
    before = snapshot()
    with on_commit():
        seed(12)
    assert snapshot() == before


def test_demo_copes_with_few_owners(db):
    seed(2)
    assert Circle.objects.filter(status="ACTIVE").count() == len(demo.CIRCLES)
