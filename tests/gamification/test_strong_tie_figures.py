"""The brand's strong-tie figure: members with a strong tie now, and weekly growth."""

from datetime import timedelta

from django.utils import timezone

from community.kernel.models import Activity
from community.kernel.verbs import Verb
from tests.factories import UserFactory
from tests.gamification.factories import make_tie
from tests.helpers import data_of

QUERY = (
    "query($weeks: Int) { strongTieFigures(weeks: $weeks) { members membersWithStrongTie share "
    "weeks { weekStart newMembers cumulative } } }"
)


def test_counts_members_with_a_strong_tie_and_their_first_weeks(gql, brand_staff):
    a, b, c, d = (UserFactory() for _ in range(4))
    make_tie(a, b, 55, acted=True)
    make_tie(c, d, 12)  # a friend, not strong
    now = timezone.now()
    for user, days_ago in ((a, 1), (b, 1), (c, 20), (a, 0)):  # c was strong once; a twice
        Activity.objects.create(actor=user, verb=Verb.TIE_BECAME_STRONG, created_at=now - timedelta(days=days_ago))
    figures = data_of(gql(QUERY, {"weeks": 4}, user=brand_staff), "strongTieFigures")
    assert figures["members"] == 4 and figures["membersWithStrongTie"] == 2  # brand staff are not members
    assert figures["share"] == 0.5
    weeks = figures["weeks"]
    assert len(weeks) == 4 and weeks[-1]["cumulative"] == 3
    assert sum(w["newMembers"] for w in weeks) == 3  # each member counted once, in their first week


def test_brand_staff_only(gql, user):
    assert gql(QUERY, user=user)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert gql(QUERY)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
