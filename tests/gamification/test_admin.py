"""The back office: brand staff tune rules, watch the ledger (read-only), run the mall and its redemptions."""

import pytest
from django.test import Client

from gamification import services
from gamification.codes import BadgeCode, Rule
from gamification.models import PointsAccount, PointsRule, PointsTransaction, Redemption, Reward
from tests.gamification.factories import RewardFactory, grant_points

PAGES = [
    "pointsrule",
    "pointsaccount",
    "pointstransaction",
    "checkin",
    "badge",
    "badgeaward",
    "reward",
    "redemption",
]


@pytest.fixture
def browser(brand_staff):
    client = Client()
    client.force_login(brand_staff)
    return client


@pytest.fixture
def some_history(user):
    grant_points(user, 300)
    services.daily_check_in(user=user)
    services.award_badge(user_id=user.pk, code=BadgeCode.VERIFIED_OWNER)
    reward = RewardFactory(name="欧尚定制雨伞", cost=150, stock=5)
    return services.redeem_reward(user=user, reward_id=reward.pk).redemption


@pytest.mark.parametrize("model", PAGES)
def test_every_page_opens_for_brand_staff(db, browser, some_history, model):
    listing = browser.get(f"/admin/gamification/{model}/")
    assert listing.status_code == 200
    obj = {
        "pointsrule": lambda: PointsRule.objects.first(),
        "pointsaccount": lambda: PointsAccount.objects.first(),
        "pointstransaction": lambda: PointsTransaction.objects.first(),
        "checkin": lambda: some_history.user.check_ins.first(),
        "badge": lambda: some_history.user.badge_awards.first().badge,
        "badgeaward": lambda: some_history.user.badge_awards.first(),
        "reward": lambda: some_history.reward,
        "redemption": lambda: some_history,
    }[model]()
    assert browser.get(f"/admin/gamification/{model}/{obj.pk}/change/").status_code == 200


def test_the_ledger_cannot_be_typed_into(db, browser, some_history):
    for model in ("pointsaccount", "pointstransaction", "checkin", "badgeaward", "redemption", "pointsrule", "badge"):
        assert browser.get(f"/admin/gamification/{model}/add/").status_code == 403
    entry = PointsTransaction.objects.first()
    response = browser.post(f"/admin/gamification/pointstransaction/{entry.pk}/change/", {"amount": 9999})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.amount != 9999


def test_the_ledger_filters_by_kind_and_account(db, browser, some_history):
    account = PointsAccount.objects.get(user=some_history.user)
    page = browser.get(f"/admin/gamification/pointstransaction/?kind__exact=SPEND&account__id__exact={account.pk}")
    assert page.status_code == 200
    content = page.content.decode()
    assert f"redeem:{some_history.pk}" in content and f"test_grant:{some_history.user.pk}:" not in content
    everything = browser.get("/admin/gamification/pointstransaction/").content.decode()
    assert f"test_grant:{some_history.user.pk}:" in everything


def test_brand_staff_tune_a_rule(db, browser):
    rule = PointsRule.objects.get(code=Rule.POST_CREATED)
    response = browser.post(
        f"/admin/gamification/pointsrule/{rule.pk}/change/",
        {"name": "发布动态", "description": "", "points": 15, "daily_cap": 45, "active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert (rule.points, rule.daily_cap, rule.notify, rule.code) == (15, 45, False, Rule.POST_CREATED)


def test_restocking_from_the_admin_adds_and_never_overwrites_redemptions(db, browser, user):
    response = browser.post(
        "/admin/gamification/reward/add/",
        {"name": "原厂车载香薰", "description": "清新木质香调", "cost": 200, "stock": 2, "active": "on", "position": 1},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reward = Reward.objects.get(name="原厂车载香薰")
    grant_points(user, 200)
    services.redeem_reward(user=user, reward_id=reward.pk)  # while the form is open: stock 2 → 1
    response = browser.post(
        f"/admin/gamification/reward/{reward.pk}/change/",
        {
            "name": "原厂车载香薰",
            "description": "清新木质香调",
            "cost": 180,
            "add_stock": 10,
            "active": "on",
            "position": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reward.refresh_from_db()
    assert (reward.stock, reward.cost) == (11, 180)


def test_cancelling_from_the_admin_refunds(db, browser, some_history):
    response = browser.post(
        "/admin/gamification/redemption/",
        {"action": "cancel_and_refund", "_selected_action": [some_history.pk]},
        follow=True,
    )
    assert response.status_code == 200
    some_history.refresh_from_db()
    assert some_history.status == Redemption.Status.CANCELLED
    account = PointsAccount.objects.get(user=some_history.user)
    assert account.balance == 300 + 5  # the grant and the check-in, the umbrella refunded
    browser.post(
        "/admin/gamification/redemption/", {"action": "fulfil", "_selected_action": [some_history.pk]}, follow=True
    )
    some_history.refresh_from_db()
    assert some_history.status == Redemption.Status.CANCELLED  # handled already: left alone


def test_brand_staff_read_tie_milestones_and_why_an_owner_is_in_their_cell(db, browser, user, other_user):
    from gamification import scores
    from gamification.models import TieMilestone, UserActivityProfile

    low, high = sorted((user, other_user), key=lambda u: u.pk)
    milestone = TieMilestone.objects.create(user_low=low, user_high=high, level="FRIEND")
    listing = browser.get("/admin/gamification/tiemilestone/?level__exact=FRIEND").content.decode()
    assert user.nickname in listing and other_user.nickname in listing
    assert browser.get(f"/admin/gamification/tiemilestone/{milestone.pk}/change/").status_code == 200
    scores.recompute_profiles()
    profile = UserActivityProfile.objects.get(user=user)
    page = browser.get(f"/admin/gamification/useractivityprofile/{user.pk}/change/").content.decode()
    assert "recency" in page.lower() or "近度" in page
    assert profile.tenure_days >= 0


def test_a_reward_cover_uploaded_in_the_admin_goes_through_the_photo_pipeline(db, browser):
    from PIL import Image

    from tests.images import gps_exif, jpeg_bytes, upload

    reward = Reward.objects.create(name="原厂车载香薰", cost=200, stock=2, position=1)
    response = browser.post(
        f"/admin/gamification/reward/{reward.pk}/change/",
        {
            "name": "原厂车载香薰",
            "description": "",
            "cost": 200,
            "active": "on",
            "position": 1,
            "new_cover": upload("cover.jpg", jpeg_bytes(size=(640, 360), exif=gps_exif()), "image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reward.refresh_from_db()
    assert reward.cover and not Image.open(reward.cover.path).getexif()
