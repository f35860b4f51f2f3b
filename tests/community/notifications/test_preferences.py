"""Notification preferences: kinds on or off (push, inbox), campaign opt-out, quiet hours in Asia/Shanghai."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from community.accounts import services as accounts
from community.kernel import realtime
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb
from community.models import Notification
from community.notifications import preferences
from gamification import scores
from gamification import services as gamification
from gamification.models import UserActivityProfile
from tests.factories import UserFactory
from tests.helpers import codes, data_of

QUERY = "{ notificationPreferences { kinds { kind push inbox } campaignOptOut quietStart quietEnd } }"
UPDATE = """
mutation($input: UpdateNotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) {
    preferences { kinds { kind push inbox } campaignOptOut quietStart quietEnd } errors { field code message }
  }
}"""
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def pushed(monkeypatch):
    topics: list[str] = []
    monkeypatch.setattr(realtime, "send_now", lambda topic, payload: topics.append(topic) or True)
    return topics


def update(gql, user, **input_fields):
    return data_of(gql(UPDATE, {"input": input_fields}, user=user), "updateNotificationPreferences")


def kind_of(prefs, kind):
    return next(k for k in prefs["kinds"] if k["kind"] == kind)


def test_the_defaults_are_everything_on_and_no_quiet_hours(gql, user):
    prefs = data_of(gql(QUERY, user=user), "notificationPreferences")
    assert all(k["push"] and k["inbox"] for k in prefs["kinds"])
    assert {k["kind"] for k in prefs["kinds"]} == set(NotificationVerb.values)
    assert prefs["campaignOptOut"] is False and prefs["quietStart"] is None


def test_update_and_read_back(gql, user):
    payload = update(
        gql,
        user,
        kinds=[{"kind": "LIKED", "push": False}, {"kind": "FOLLOWED", "inbox": False}],
        campaignOptOut=True,
        quietStart="22:00",
        quietEnd="07:30",
    )
    assert payload["errors"] == []
    prefs = data_of(gql(QUERY, user=user), "notificationPreferences")
    assert kind_of(prefs, "LIKED") == {"kind": "LIKED", "push": False, "inbox": True}
    assert kind_of(prefs, "FOLLOWED") == {"kind": "FOLLOWED", "push": True, "inbox": False}
    assert (prefs["campaignOptOut"], prefs["quietStart"], prefs["quietEnd"]) == (True, "22:00", "07:30")
    # Turning back on, and clearing the quiet hours.
    update(gql, user, kinds=[{"kind": "LIKED", "push": True}], quietStart=None, quietEnd=None)
    prefs = data_of(gql(QUERY, user=user), "notificationPreferences")
    assert kind_of(prefs, "LIKED")["push"] is True and prefs["quietStart"] is None
    assert prefs["campaignOptOut"] is True  # untouched


def test_bad_preferences_are_refused_and_nothing_is_written(gql, user):
    payload = update(gql, user, quietStart="22:00", campaignOptOut=True)
    assert payload["errors"][0]["field"] == "quietEnd" and codes(payload) == ["INVALID"]
    assert codes(update(gql, user, quietStart="25:99", quietEnd="07:00")) == ["INVALID"]
    assert codes(update(gql, user, quietStart="07:00", quietEnd="07:00")) == ["INVALID"]
    assert data_of(gql(QUERY, user=user), "notificationPreferences")["campaignOptOut"] is False


def test_preferences_refuse_anonymous(gql):
    assert codes(data_of(gql(UPDATE, {"input": {"campaignOptOut": True}}), "updateNotificationPreferences")) == [
        "UNAUTHENTICATED"
    ]
    assert gql(QUERY)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_kind_off_for_the_inbox_is_not_created_and_off_for_push_is_not_pushed(
    gql, user, other_user, pushed, django_capture_on_commit_callbacks
):
    update(gql, user, kinds=[{"kind": "FOLLOWED", "inbox": False}])
    with django_capture_on_commit_callbacks(execute=True):
        accounts.follow(user=other_user, followee_id=user.pk)
    assert not Notification.objects.filter(recipient=user, verb="FOLLOWED").exists()
    assert realtime.user_notifications_topic(user.pk) not in pushed

    update(gql, user, kinds=[{"kind": "FOLLOWED", "inbox": True, "push": False}])
    third = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        accounts.follow(user=third, followee_id=user.pk)
    assert Notification.objects.filter(recipient=user, verb="FOLLOWED").count() == 1
    assert realtime.user_notifications_topic(user.pk) not in pushed

    update(gql, user, kinds=[{"kind": "FOLLOWED", "push": True}])
    with django_capture_on_commit_callbacks(execute=True):
        accounts.follow(user=UserFactory(), followee_id=user.pk)
    assert realtime.user_notifications_topic(user.pk) in pushed


def test_quiet_hours_wrap_midnight_in_shanghai():
    prefs = preferences.Preferences(quiet_start=time(22, 0), quiet_end=time(7, 0))
    at = lambda h, m=0: datetime(2026, 12, 2, h, m, tzinfo=SHANGHAI)  # noqa: E731
    assert prefs.in_quiet_hours(at(23)) and prefs.in_quiet_hours(at(3)) and prefs.in_quiet_hours(at(22))
    assert not prefs.in_quiet_hours(at(7)) and not prefs.in_quiet_hours(at(12))
    # 15:00 UTC is 23:00 in Shanghai.
    assert prefs.in_quiet_hours(datetime(2026, 12, 2, 15, 0, tzinfo=ZoneInfo("UTC")))
    day = preferences.Preferences(quiet_start=time(12, 0), quiet_end=time(14, 0))
    assert day.in_quiet_hours(at(13)) and not day.in_quiet_hours(at(14))


def test_in_quiet_hours_the_inbox_fills_but_nothing_is_pushed(
    gql, user, other_user, pushed, django_capture_on_commit_callbacks
):
    local_now = timezone.now().astimezone(SHANGHAI)
    start = local_now.replace(minute=0).time()
    end = time((start.hour + 2) % 24, 0)
    update(gql, user, quietStart=start.strftime("%H:%M"), quietEnd=end.strftime("%H:%M"))
    with django_capture_on_commit_callbacks(execute=True):
        accounts.follow(user=other_user, followee_id=user.pk)
    assert Notification.objects.filter(recipient=user, verb="FOLLOWED").count() == 1
    assert realtime.user_notifications_topic(user.pk) not in pushed


def test_a_campaign_skips_owners_who_opted_out_and_says_how_many(
    gql, brand_staff, pushed, django_capture_on_commit_callbacks
):
    owners = [UserFactory(city="重庆") for _ in range(3)]
    for owner in owners:
        Activity.objects.create(actor=owner, verb="post.created", created_at=timezone.now())
    scores.recompute_profiles()
    profile = UserActivityProfile.objects.get(user=owners[0])
    cell = {"maturity": profile.maturity, "lifecycle": profile.lifecycle}
    assert UserActivityProfile.objects.filter(**cell, user__in=owners).count() == 3
    update(gql, owners[0], campaignOptOut=True)
    quiet_start = timezone.now().astimezone(SHANGHAI).replace(minute=0).time()
    update(
        gql,
        owners[1],
        quietStart=quiet_start.strftime("%H:%M"),
        quietEnd=time((quiet_start.hour + 2) % 24).strftime("%H:%M"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = gamification.launch_campaign(user=brand_staff, message="周末见", **cell)
    assert result.opted_out == 1
    assert result.skipped >= 1 and result.recipients == result.campaign.recipients
    reached = set(Notification.objects.filter(verb="CAMPAIGN").values_list("recipient_id", flat=True))
    assert owners[0].pk not in reached and {owners[1].pk, owners[2].pk} <= reached
    # The one in quiet hours got it in the inbox, not pushed.
    assert realtime.user_notifications_topic(owners[1].pk) not in pushed
    assert realtime.user_notifications_topic(owners[2].pk) in pushed


def test_the_campaign_payload_reports_opt_outs(gql, brand_staff):
    owner = UserFactory()
    Activity.objects.create(actor=owner, verb="post.created", created_at=timezone.now())
    scores.recompute_profiles()
    profile = UserActivityProfile.objects.get(user=owner)
    update(gql, owner, campaignOptOut=True)
    document = """mutation($input: LaunchCampaignInput!) {
      launchCampaign(input: $input) { recipients skipped optedOut errors { code } } }"""
    variables = {"input": {"maturity": profile.maturity, "lifecycle": profile.lifecycle, "message": "周末见"}}
    sent = data_of(gql(document, variables, user=brand_staff), "launchCampaign")
    assert sent == {"recipients": 0, "skipped": 1, "optedOut": 1, "errors": []}
