"""Who to meet next: the people an owner met at an event, and the people they may know.

Both are querysets of users annotated with what ranks them, so they page with keyset cursors and
the user fields load in batches. Both leave out the users a viewer blocked or who blocked them.
"""

from __future__ import annotations

from django.db.models import Count, F, FloatField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Least

from circles.models import Membership
from community.accounts.selectors import owners, without_blocked
from community.models import Follow, User
from events.models import Signup
from gamification.models import Tie

# How much each kind of overlap counts towards "may know"
SHARED_EVENT_POINTS = 3
MUTUAL_FOLLOW_POINTS = 2
SHARED_CIRCLE_POINTS = 1

MET_ORDERING = ("-tie_strength", "-id")
MAY_KNOW_ORDERING = ("-know_score", "-tie_strength", "-id")


def _tie_strength(viewer_id: int) -> Coalesce:
    pair = Q(
        user_low_id=Least(Value(viewer_id), OuterRef("pk")), user_high_id=Greatest(Value(viewer_id), OuterRef("pk"))
    )
    return Coalesce(
        Subquery(Tie.objects.filter(pair).values("strength")[:1], output_field=FloatField()),
        Value(0.0),
        output_field=FloatField(),
    )


def _not_followed_by(viewer) -> QuerySet[User]:
    """Active others the viewer does not follow, without anyone blocked either way."""
    followed = Follow.objects.filter(follower=viewer).values("followee_id")
    others = User.objects.filter(is_active=True).exclude(pk=viewer.pk).exclude(pk__in=followed)
    return without_blocked(others, viewer, "pk")


def attended(viewer, event_id: int) -> bool:
    return Signup.objects.filter(event_id=event_id, user=viewer, status=Signup.Status.ATTENDED).exists()


def people_met(viewer, event_id: int) -> QuerySet[User]:
    """The other attendees of an event the viewer attended whom the viewer does not follow yet, to be
    ranked by the viewer's tie with each (`MET_ORDERING`)."""
    others = Signup.objects.filter(event_id=event_id, status=Signup.Status.ATTENDED).values("user_id")
    return _not_followed_by(viewer).filter(pk__in=others).annotate(tie_strength=_tie_strength(viewer.pk))


def people_may_know(viewer) -> QuerySet[User]:
    """Owners the viewer shares circles or attended events with, or whom people the viewer follows
    follow, not followed yet and not brand staff; `know_score` = 3 × shared events attended + 2 ×
    followed by people the viewer follows + 1 × shared circles, then tie strength (`MAY_KNOW_ORDERING`)."""
    my_circles = Membership.objects.filter(user=viewer, status=Membership.Status.ACTIVE).values("circle_id")
    my_events = Signup.objects.filter(user=viewer, status=Signup.Status.ATTENDED).values("event_id")
    my_followees = Follow.objects.filter(follower=viewer).values("followee_id")

    circle_mates = Membership.objects.filter(circle_id__in=my_circles, status=Membership.Status.ACTIVE)
    event_mates = Signup.objects.filter(event_id__in=my_events, status=Signup.Status.ATTENDED)
    followed_by_followees = Follow.objects.filter(follower_id__in=my_followees)

    def count(rows: QuerySet, user_field: str, distinct_field: str) -> Coalesce:
        counted = (
            rows.filter(**{user_field: OuterRef("pk")})
            .order_by()
            .values(user_field)
            .annotate(n=Count(distinct_field, distinct=True))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    candidates = (
        _not_followed_by(viewer)
        .filter(pk__in=owners().values("pk"))
        .filter(
            Q(pk__in=circle_mates.values("user_id"))
            | Q(pk__in=event_mates.values("user_id"))
            | Q(pk__in=followed_by_followees.values("followee_id"))
        )
    )
    return candidates.annotate(
        shared_circles=count(circle_mates, "user_id", "circle_id"),
        shared_events=count(event_mates, "user_id", "event_id"),
        mutual_follows=count(followed_by_followees, "followee_id", "follower_id"),
        tie_strength=_tie_strength(viewer.pk),
    ).annotate(
        know_score=SHARED_EVENT_POINTS * F("shared_events")
        + MUTUAL_FOLLOW_POINTS * F("mutual_follows")
        + SHARED_CIRCLE_POINTS * F("shared_circles")
    )
