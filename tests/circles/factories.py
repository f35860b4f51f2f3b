"""Circles for tests: made and joined through the services (so counts, roles and the stream are real), then
moved in time as rows where a test needs an older tenure."""

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
    founders = (*co_hosts, *members)
    circle = services.create_circle(
        user=host,
        name=name,
        description="一起自驾、露营、做公益。",
        kind=kind,
        city=city,
        join_policy=Circle.JoinPolicy.OPEN if founders else join_policy,
        visibility=visibility,
    )
    if approve:
        services.review_circle(user=BrandStaffFactory(), circle_id=circle.pk, approve=True)
    for user in founders:  # the founding members join while the circle is open...
        add_member(circle, user)
    for user in co_hosts:
        membership = Membership.objects.get(circle=circle, user=user)
        services.set_member_role(user=host, membership_id=membership.pk, role="CO_HOST")
    if founders and join_policy != Circle.JoinPolicy.OPEN:  # ...then the host sets the policy asked for
        services.update_circle(user=host, circle_id=circle.pk, join_policy=join_policy)
    circle.refresh_from_db()
    return circle


def add_member(circle: Circle, user, *, joined_days_ago: float | None = None) -> Membership:
    """An ACTIVE member whatever the join policy, joined the way users join (an open circle at once, a
    request the host approves, an invite of the host's), optionally with an older tenure; a user with a
    membership already keeps it as it is."""
    existing = Membership.objects.filter(circle=circle, user=user).first()
    if existing is not None:
        return existing
    host = circle.memberships.get(role=Membership.Role.HOST, status=Membership.Status.ACTIVE).user
    if circle.join_policy == Circle.JoinPolicy.APPROVAL:
        asked = services.join_circle(user=user, circle_id=circle.pk)
        joined = services.review_join_request(user=host, membership_id=asked.pk, approve=True)
    elif circle.join_policy == Circle.JoinPolicy.INVITE_ONLY:
        invite = services.create_invite(user=host, circle_id=circle.pk, max_uses=1)
        joined = services.join_circle(user=user, circle_id=circle.pk, invite_code=invite.code)
    else:
        joined = services.join_circle(user=user, circle_id=circle.pk)
    if joined_days_ago is not None:  # as if time had passed since
        joined_at = timezone.now() - timedelta(days=joined_days_ago)
        Membership.objects.filter(pk=joined.pk).update(joined_at=joined_at, role_since=joined_at)
        joined.refresh_from_db()
    return joined


def membership(circle: Circle, user) -> Membership:
    return Membership.objects.get(circle=circle, user=user)
