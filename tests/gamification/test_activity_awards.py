"""Points and badges paid from the activity stream: once per cause, however often it is delivered."""

import pytest
from graphql_relay import to_global_id

from community.accounts import services as account_services
from community.kernel import activity as stream
from community.kernel.activity import record_activity
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification
from gamification import receivers
from gamification.codes import BadgeCode, Rule
from gamification.models import Badge, BadgeAward, PointsAccount, PointsRule, PointsTransaction
from tests.factories import UserFactory, VehicleFactory
from tests.helpers import data_of

VERIFY = """
mutation($input: VehicleIdInput!) { verifyVehicle(input: $input) { vehicle { verified } errors { code } } }"""


@pytest.fixture
def registries(monkeypatch):
    """Lets a test add mapping lines and consumers, and puts everything back afterwards."""
    for name in ("AWARDS", "TAKE_BACKS", "BADGE_HOOKS"):
        registry = getattr(receivers, name)
        monkeypatch.setattr(receivers, name, type(registry)(list, {k: list(v) for k, v in registry.items()}))
    consumers = type(stream._consumers)(list, {k: list(v) for k, v in stream._consumers.items()})
    monkeypatch.setattr(stream, "_consumers", consumers)


def test_a_verified_vehicle_pays_its_owner_and_gives_the_badge_through_the_api(gql, user, brand_staff):
    first, second = VehicleFactory(owner=user), VehicleFactory(owner=user)
    for vehicle in (first, second):
        result = gql(VERIFY, {"input": {"vehicleId": to_global_id("Vehicle", vehicle.pk)}}, user=brand_staff)
        assert data_of(result, "verifyVehicle")["errors"] == []
    # Once per owner, however many vehicles: one payment, one badge.
    entry = PointsTransaction.objects.get()
    assert entry.key == f"{Rule.VEHICLE_VERIFIED}:user:{user.pk}" and entry.amount == 100
    assert BadgeAward.objects.get().badge.code == BadgeCode.VERIFIED_OWNER
    me = data_of(
        gql("{ me { level badges { code name awardedAt } points { balance lifetimeEarned } } }", user=user), "me"
    )
    assert me["level"] == 2
    assert me["points"] == {"balance": 100, "lifetimeEarned": 100}
    assert [(b["code"], b["name"]) for b in me["badges"]] == [("verified_owner", "认证车主")]
    verbs = sorted(Notification.objects.filter(recipient=user).values_list("verb", flat=True))
    assert verbs == [NotificationVerb.BADGE_AWARDED, NotificationVerb.POINTS_AWARDED]
    texts = "{ notifications { edges { node { verb text actor { id } } } } }"
    chinese = {e["node"]["verb"]: e["node"] for e in data_of(gql(texts, user=user), "notifications")["edges"]}
    assert chinese[NotificationVerb.POINTS_AWARDED]["text"] == "你获得了 100 积分（车辆认证），升到了 2 级"
    assert chinese[NotificationVerb.BADGE_AWARDED]["text"] == "你获得了徽章「认证车主」"
    assert chinese[NotificationVerb.BADGE_AWARDED]["actor"] is None  # from the system, not from a person
    english = data_of(gql(texts, user=user, language="en"), "notifications")["edges"]
    assert {e["node"]["text"] for e in english} == {
        "You earned 100 points (车辆认证) and reached level 2",
        "You earned the badge “认证车主”",
    }


def test_a_redelivered_activity_pays_and_notifies_nothing_twice(db, user, brand_staff, on_commit):
    vehicle = VehicleFactory(owner=user)
    with on_commit():
        account_services.verify_vehicle(user=brand_staff, vehicle_id=vehicle.pk)
    recorded = Activity.objects.get(verb=Verb.VEHICLE_VERIFIED)
    for _ in range(3):
        Activity.objects.filter(pk=recorded.pk).update(dispatched_at=None)
        assert stream.dispatch(recorded.pk) is True
    assert PointsTransaction.objects.count() == 1
    assert PointsAccount.objects.get(user=user).balance == 100
    assert BadgeAward.objects.count() == 1
    assert Notification.objects.filter(recipient=user).count() == 2


def test_a_new_verb_is_paid_and_taken_back_with_one_mapping_line_each(db, user, other_user, on_commit, registries):
    """The mechanism, with the verbs that exist: follows stand in for likes (a cause, and its undoing)."""
    PointsRule.objects.create(code="followed", name="获得关注", points=3, daily_cap=6)

    def follow_key(activity):
        return f"followed:user:{activity.target_id}:by:{activity.actor_id}"

    receivers.points_for(Verb.FOLLOWED, "followed", key=follow_key, recipient=lambda a: a.target_id)
    receivers.take_back_on(Verb.UNFOLLOWED, key=follow_key)

    followers = [UserFactory() for _ in range(3)]
    with on_commit():
        for follower in followers:
            account_services.follow(user=follower, followee_id=other_user.pk)
    account = PointsAccount.objects.get(user=other_user)
    assert account.balance == 6  # the third follow is over the daily cap
    with on_commit():
        account_services.unfollow(user=followers[0], followee_id=other_user.pk)
        account_services.unfollow(user=followers[0], followee_id=other_user.pk)  # a no-op: records nothing
    account.refresh_from_db()
    assert account.balance == 3 and account.lifetime_earned == 3
    assert PointsTransaction.objects.filter(kind="REVOKE").count() == 1
    with on_commit():  # following again does not pay for the same cause again
        account_services.follow(user=followers[0], followee_id=other_user.pk)
    account.refresh_from_db()
    assert account.balance == 3
    balance = sum(PointsTransaction.objects.filter(account=account).values_list("amount", flat=True))
    assert balance == account.balance


def test_a_failing_award_is_retried_by_redispatch_and_then_pays_once(db, user, brand_staff, on_commit, monkeypatch):
    from gamification import services

    real_award = services.award_points
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["key"])
        if len(calls) == 1:
            raise ConnectionError("database hiccup")
        return real_award(**kwargs)

    monkeypatch.setattr(services, "award_points", flaky)
    vehicle = VehicleFactory(owner=user)
    with on_commit():
        account_services.verify_vehicle(user=brand_staff, vehicle_id=vehicle.pk)
    recorded = Activity.objects.get(verb=Verb.VEHICLE_VERIFIED)
    recorded.refresh_from_db()
    assert recorded.dispatched_at is None and not PointsTransaction.objects.exists()
    assert BadgeAward.objects.count() == 1  # the badge consumer succeeded on its own
    assert stream.dispatch(recorded.pk) is True  # what beat does
    assert PointsTransaction.objects.count() == 1 and BadgeAward.objects.count() == 1


def event_target():
    """The events app does not exist yet: any row stands in for an event as the activity's target."""
    return UserFactory()


def test_badge_hooks_wait_for_the_verbs_later_apps_will_record(db, user, on_commit):
    with on_commit():
        record_activity(actor=user, verb=Verb.POST_CREATED, target=user)
        record_activity(actor=user, verb=Verb.POST_CREATED, target=user)
    assert list(BadgeAward.objects.filter(user=user).values_list("badge__code", flat=True)) == [BadgeCode.FIRST_POST]

    events = [event_target() for _ in range(5)]
    with on_commit():
        for event in events[:4]:
            record_activity(actor=user, verb=Verb.EVENT_ATTENDED, target=event)
        record_activity(actor=user, verb=Verb.EVENT_ATTENDED, target=events[0])  # the same event again
    codes = set(BadgeAward.objects.filter(user=user).values_list("badge__code", flat=True))
    assert BadgeCode.FIRST_EVENT in codes and BadgeCode.FIVE_EVENTS not in codes
    with on_commit():
        record_activity(actor=user, verb=Verb.EVENT_ATTENDED, target=events[4])
    assert BadgeAward.objects.filter(user=user, badge__code=BadgeCode.FIVE_EVENTS).exists()

    new_host = UserFactory()
    with on_commit():
        record_activity(actor=user, verb=Verb.CIRCLE_HOST_CHANGED, data={"new_host_id": new_host.pk})
    assert BadgeAward.objects.filter(user=new_host, badge__code=BadgeCode.CIRCLE_HOST).exists()
    assert not BadgeAward.objects.filter(user=user, badge__code=BadgeCode.CIRCLE_HOST).exists()

    with on_commit():
        record_activity(actor=user, verb=Verb.TIE_BECAME_STRONG, target=new_host, data={"strong_ties": 9})
    assert not BadgeAward.objects.filter(badge__code=BadgeCode.TEN_STRONG_TIES).exists()
    with on_commit():
        record_activity(actor=user, verb=Verb.TIE_BECAME_STRONG, target=new_host, data={"strong_ties": 10})
    assert BadgeAward.objects.filter(user=user, badge__code=BadgeCode.TEN_STRONG_TIES).exists()
    # Every badge once, each notified once.
    awarded = BadgeAward.objects.filter(user=user).count()
    assert awarded == 4  # first post, first event, five events, ten strong ties (the host badge went to new_host)
    assert Notification.objects.filter(recipient=user, verb=NotificationVerb.BADGE_AWARDED).count() == awarded


def test_every_badge_of_the_brief_exists_and_a_switched_off_badge_is_not_given(db, user, on_commit):
    assert set(Badge.objects.values_list("code", flat=True)) == {
        BadgeCode.VERIFIED_OWNER,
        BadgeCode.FIRST_POST,
        BadgeCode.FIRST_EVENT,
        BadgeCode.FIVE_EVENTS,
        BadgeCode.CIRCLE_HOST,
        BadgeCode.TEN_STRONG_TIES,
    }
    Badge.objects.filter(code=BadgeCode.FIRST_POST).update(active=False)
    with on_commit():
        record_activity(actor=user, verb=Verb.POST_CREATED, target=user)
    assert not BadgeAward.objects.exists()


def test_a_badge_hook_for_a_new_verb_is_one_function(db, user, other_user, on_commit, registries):
    Badge.objects.create(code="first_follow", name="初次关注", description="关注了第一位车友。")

    @receivers.badges_on(Verb.FOLLOWED)
    def first_follow(activity):
        yield activity.actor_id, "first_follow"

    with on_commit():
        account_services.follow(user=user, followee_id=other_user.pk)
        account_services.follow(user=user, followee_id=UserFactory().pk)
    assert list(BadgeAward.objects.values_list("user_id", "badge__code")) == [(user.pk, "first_follow")]


def test_the_mapping_helpers_name_causes_and_recipients():
    liked = Activity(actor_id=42, verb=Verb.POST_LIKED, target_id=17, data={"author": 7})
    assert receivers.target_key(Rule.POST_CREATED, "post")(liked) == "post_created:post:17"
    assert receivers.data_user("author")(liked) == 7
    assert receivers.data_user("inviter_id")(liked) is None
    assert receivers.actor(liked) == 42
