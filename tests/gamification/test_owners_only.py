"""Brand staff and superusers are not owners: never on a leaderboard, in a segment cell, in a campaign's
audience, or counted among the members of the tie figures."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from community.models import Activity, Notification
from gamification import scores
from tests.factories import UserFactory
from tests.gamification.factories import grant_points
from tests.helpers import data_of

LEADERBOARD = """
query($scope: LeaderboardScope!, $city: String) { leaderboard(scope: $scope, city: $city) {
  rank user { nickname } } }"""
MATRIX = '{ segmentMatrix(city: "重庆") { total cells { maturity lifecycle users } } }'
CAMPAIGN = """
mutation($input: LaunchCampaignInput!) { launchCampaign(input: $input) { recipients skipped errors { code } } }"""


def test_brand_staff_and_superusers_are_left_out_of_boards_segments_and_campaigns(gql, brand_staff):
    owner = UserFactory(nickname="车主老王")
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "Correct-Horse-42", city="重庆")
    now = timezone.now()
    for person in (owner, brand_staff, admin):
        grant_points(person, 300 if person != owner else 10, key=f"grant:{person.pk}")
        Activity.objects.create(actor=person, verb="post.created", created_at=now - timedelta(hours=1))
    scores.recompute_profiles()

    for scope in ("GLOBAL", "CITY"):
        board = data_of(gql(LEADERBOARD, {"scope": scope, "city": "重庆"}), "leaderboard")
        assert [e["user"]["nickname"] for e in board] == ["车主老王"], scope

    matrix = data_of(gql(MATRIX, user=brand_staff), "segmentMatrix")
    assert matrix["total"] == 1
    cell = next(c for c in matrix["cells"] if c["users"])
    sent = data_of(
        gql(
            CAMPAIGN,
            {"input": {"maturity": cell["maturity"], "lifecycle": cell["lifecycle"], "message": "周末见"}},
            user=brand_staff,
        ),
        "launchCampaign",
    )
    assert sent["recipients"] == 1
    assert list(Notification.objects.filter(verb="CAMPAIGN").values_list("recipient_id", flat=True)) == [owner.pk]
