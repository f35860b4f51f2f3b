"""Brand staff are not superusers: in the back office they manage owners' accounts, but never a superuser,
another staff member's account or password, nor anyone's staff status, groups or permissions. Only
superusers manage staff. Driven through the admin with the test client, as a browser would."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from community.models import BRAND_GROUP, User
from tests.factories import PASSWORD, BrandStaffFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-Horse-77"


def browser_for(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def change_form(user, **changes) -> dict:
    """What the change form posts for `user`, with `changes` applied (no vehicles inline)."""
    form = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "nickname": user.nickname,
        "city": user.city,
        "bio": user.bio,
        "vehicles-TOTAL_FORMS": "0",
        "vehicles-INITIAL_FORMS": "0",
        "vehicles-MIN_NUM_FORMS": "0",
        "vehicles-MAX_NUM_FORMS": "1000",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def set_password(browser, user):
    return browser.post(
        f"/admin/community/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )


@pytest.fixture
def staff(db):
    return BrandStaffFactory()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", PASSWORD, nickname="管理员")


def test_brand_staff_cannot_touch_a_superuser(staff, superuser):
    browser = browser_for(staff)
    assert browser.get(f"/admin/community/user/{superuser.pk}/change/").status_code == 200  # read only
    page = browser.get(f"/admin/community/user/{superuser.pk}/change/").content.decode()
    assert 'name="username"' not in page and 'name="is_superuser"' not in page
    refused = browser.post(f"/admin/community/user/{superuser.pk}/change/", change_form(superuser, is_active=""))
    assert refused.status_code == 403
    assert set_password(browser, superuser).status_code == 403
    deleting = browser.post(
        "/admin/community/user/", {"action": "delete_selected", "_selected_action": [superuser.pk], "post": "yes"}
    )
    assert deleting.status_code in (200, 302, 403)
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.check_password(PASSWORD)
    assert browser.post(f"/admin/community/user/{superuser.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=superuser.pk).exists()


def test_brand_staff_cannot_change_another_staff_members_password_or_account(staff):
    colleague = BrandStaffFactory()
    flagged = UserFactory(is_staff=True)
    browser = browser_for(staff)
    for other in (colleague, flagged):
        assert set_password(browser, other).status_code == 403
        assert (
            browser.post(f"/admin/community/user/{other.pk}/change/", change_form(other, is_active="")).status_code
            == 403
        )
        other.refresh_from_db()
        assert other.is_active and other.check_password(PASSWORD)


def test_brand_staff_cannot_grant_staff_superuser_groups_or_permissions(staff):
    owner = UserFactory()
    browser = browser_for(staff)
    page = browser.get(f"/admin/community/user/{owner.pk}/change/").content.decode()
    for field in ("is_staff", "is_superuser", "groups", "user_permissions"):
        assert f'name="{field}"' not in page
    brand = Group.objects.get(name=BRAND_GROUP)
    permission = Permission.objects.get(codename="change_user")
    forged = change_form(
        owner,
        nickname="改过的昵称",
        is_staff="on",
        is_superuser="on",
        groups=[brand.pk],
        user_permissions=[permission.pk],
    )
    response = browser.post(f"/admin/community/user/{owner.pk}/change/", forged)
    assert response.status_code == 302  # the owner's profile is saved, the privilege fields are ignored
    owner.refresh_from_db()
    assert owner.nickname == "改过的昵称"
    assert not owner.is_staff and not owner.is_superuser
    assert not owner.groups.exists() and not owner.user_permissions.exists()
    assert not owner.is_brand_staff

    # nor on themselves
    response = browser.post(f"/admin/community/user/{staff.pk}/change/", change_form(staff, is_superuser="on"))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert not staff.is_superuser and list(staff.groups.values_list("name", flat=True)) == [BRAND_GROUP]


def test_brand_staff_cannot_edit_groups_or_permissions_directly(staff):
    browser = browser_for(staff)
    brand = Group.objects.get(name=BRAND_GROUP)
    assert browser.get("/admin/auth/group/").status_code == 403
    assert browser.get(f"/admin/auth/group/{brand.pk}/change/").status_code == 403
    assert browser.post("/admin/auth/group/add/", {"name": "root"}).status_code == 403
    assert not Group.objects.filter(name="root").exists()


def test_brand_staff_still_manage_owners(staff):
    owner = UserFactory()
    browser = browser_for(staff)
    assert set_password(browser, owner).status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    response = browser.post(f"/admin/community/user/{owner.pk}/change/", change_form(owner, is_active=""))
    assert response.status_code == 302
    owner.refresh_from_db()
    assert not owner.is_active


def test_superusers_manage_staff(staff, superuser):
    browser = browser_for(superuser)
    assert set_password(browser, staff).status_code == 302
    brand = Group.objects.get(name=BRAND_GROUP)
    response = browser.post(
        f"/admin/community/user/{staff.pk}/change/", change_form(staff, is_staff="on", groups=[brand.pk])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    staff.refresh_from_db()
    assert staff.is_staff and staff.check_password(NEW_PASSWORD)
    response = browser.post(f"/admin/community/user/{staff.pk}/change/", change_form(staff, groups=None))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert not staff.groups.exists() and not staff.is_brand_staff


def test_brand_staff_neither_see_nor_revoke_other_staff_tokens(staff, superuser):
    from community.accounts.services import issue_token
    from community.models import AuthToken

    owner = UserFactory()
    for user in (owner, staff, superuser):
        issue_token(user)
    browser = browser_for(staff)
    page = browser.get("/admin/community/authtoken/").content.decode()
    assert owner.username in page and superuser.username not in page
    root_token = AuthToken.objects.get(user=superuser)
    assert browser.get(f"/admin/community/authtoken/{root_token.pk}/change/").status_code in (302, 404)
    browser.post(
        "/admin/community/authtoken/",
        {"action": "revoke", "_selected_action": list(AuthToken.objects.values_list("pk", flat=True))},
    )
    assert AuthToken.objects.get(user=superuser).revoked_at is None
    assert AuthToken.objects.get(user=owner).revoked_at is not None


def test_brand_staff_cannot_mute_a_superuser_or_another_staff_member(staff, superuser):
    from community.models import Mute

    colleague = BrandStaffFactory()
    owner = UserFactory()
    browser = browser_for(staff)
    for target in (superuser, colleague):
        form = {
            "user": target.pk,
            "until_0": "2099-01-01",
            "until_1": "00:00:00",
            "reason": "x",
            "created_at_0": "2026-01-01",
            "created_at_1": "00:00:00",
        }
        assert browser.post("/admin/community/mute/add/", form).status_code == 403
    assert not Mute.objects.exists()
    form = {
        "user": owner.pk,
        "until_0": "2099-01-01",
        "until_1": "00:00:00",
        "reason": "广告",
        "created_at_0": "2026-01-01",
        "created_at_1": "00:00:00",
    }
    assert browser.post("/admin/community/mute/add/", form).status_code == 302
    assert list(Mute.objects.values_list("user_id", flat=True)) == [owner.pk]
