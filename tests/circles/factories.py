"""Circles for tests: made through the services (so counts, roles and the stream are real), or as
rows where a test needs a state the services would not produce."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from circles import services
from circles.models import Circle, Membership
from tests.factories import BrandStaffFactory, UserFactory, VerifiedVehicleFactory


def verified_owner(**fields):
    user = UserFactory(**fields)
    VerifiedVehicleFactory(owner=user)
    return user


def make_circle(
    *,
    host=None,
    name: str | None = None,
    kind: str = "CITY",
    city: str = "重庆",
    join_policy: str = "OPEN",
    visibility: str = "PUBLIC",
    approve: bool = True,
    members=(),
    co_hosts=(),
) -> Circle:
    """A circle founded by `host` (a verified owner by default), approved by brand staff unless told
    otherwise, with `co_hosts` and `members` joined in that order (ties in tenure go by that order)."""
    host = host or verified_owner()
    name = name or f"{city}车友会{Circle.objects.count() + 1}"
    circle = services.create_circle(
        user=host,
        name=name,
        description="一起自驾、露营、做公益。",
        kind=kind,
        city=city,
        join_policy=join_policy,
        visibility=visibility,
    )
    if approve:
        services.review_circle(user=BrandStaffFactory(), circle_id=circle.pk, approve=True)
    for user in (*co_hosts, *members):
        add_member(circle, user)
    for user in co_hosts:
        membership = Membership.objects.get(circle=circle, user=user)
        services.set_member_role(user=host, membership_id=membership.pk, role="CO_HOST")
    circle.refresh_from_db()
    return circle


def add_member(circle: Circle, user, *, joined_days_ago: float | None = None) -> Membership:
    """An ACTIVE member whatever the join policy (as if approved), optionally with an older tenure."""
    now = timezone.now()
    joined_at = now - timedelta(days=joined_days_ago) if joined_days_ago is not None else now
    membership, created = Membership.objects.get_or_create(
        circle=circle,
        user=user,
        defaults={"status": Membership.Status.ACTIVE, "joined_at": joined_at, "role_since": joined_at},
    )
    if created:
        Circle.objects.filter(pk=circle.pk).update(member_count=circle.memberships.filter(status="ACTIVE").count())
    return membership


def membership(circle: Circle, user) -> Membership:
    return Membership.objects.get(circle=circle, user=user)
