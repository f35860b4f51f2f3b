"""Deleting an account: deactivated at once, cancelled by a login within 15 days, then erased by beat."""

from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Sum
from django.utils import timezone

from circles.models import ChatMessage, Circle, Membership
from community.accounts import deletion, services
from community.content.models import Comment, Post, PostImage
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import AuthToken, Contact, Follow, User
from gamification.models import PointsAccount, PointsTransaction
from gamification.selectors import leaderboard
from tests.community.accounts.people import owner_with_history
from tests.factories import PASSWORD, UserFactory
from tests.helpers import codes, data_of, gid, unauthorized
from tests.images import png_bytes, upload

DELETE = """
mutation($input: DeleteAccountInput!) { deleteAccount(input: $input) { eraseAfter errors { field code message } } }"""
LOGIN = """
mutation($input: LoginInput!) { login(input: $input) { token deletionCancelled errors { code } } }"""
SEARCH = "query($q: String!) { searchUsers(query: $q) { edges { node { nickname } } } }"
MEMBERS = "query($id: ID!) { node(id: $id) { ... on Circle { members { edges { node { user { nickname } } } } } } }"
ME = "{ me { nickname } }"


def delete(gql, user, password=PASSWORD):
    return data_of(gql(DELETE, {"input": {"password": password}}, user=user), "deleteAccount")


def login(gql, user, password=PASSWORD):
    return data_of(gql(LOGIN, {"input": {"username": user.username, "password": password}}), "login")


def test_delete_account_deactivates_at_once_and_hides_the_owner(gql, django_capture_on_commit_callbacks):
    owner = owner_with_history(django_capture_on_commit_callbacks, nickname="独一无二的车主")
    viewer = UserFactory()
    token = gql.token_for(owner)
    circle = Circle.objects.get(memberships__user=owner)
    assert len(data_of(gql(SEARCH, {"q": "独一无二"}, user=viewer), "searchUsers")["edges"]) == 1
    assert owner.pk in [uid for uid, _points in leaderboard(scope="GLOBAL", period="ALL_TIME", limit=50)]

    payload = delete(gql, owner)
    assert payload["errors"] == []
    owner.refresh_from_db()
    assert owner.is_active is False
    assert owner.erase_after > timezone.now() + timedelta(days=14, hours=23)
    assert unauthorized(gql(ME, token=token, status=401))  # signed out everywhere
    assert data_of(gql(SEARCH, {"q": "独一无二"}, user=viewer), "searchUsers")["edges"] == []
    members = data_of(gql(MEMBERS, {"id": gid(circle)}, user=viewer), "node")["members"]["edges"]
    assert "独一无二的车主" not in [edge["node"]["user"]["nickname"] for edge in members]
    assert owner.pk not in [uid for uid, _points in leaderboard(scope="GLOBAL", period="ALL_TIME", limit=50)]
    assert Activity.objects.filter(actor=owner, verb=Verb.ACCOUNT_DELETION_REQUESTED).count() == 1


def test_delete_account_refuses_a_wrong_password_and_anonymous(gql, user):
    payload = delete(gql, user, password="nope")
    assert payload["errors"] == [{"field": "password", "code": "INVALID", "message": "密码不正确。"}]
    user.refresh_from_db()
    assert user.is_active is True
    assert codes(data_of(gql(DELETE, {"input": {"password": PASSWORD}}), "deleteAccount")) == ["UNAUTHENTICATED"]


def test_logging_in_within_the_grace_period_cancels_the_deletion(gql, user):
    delete(gql, user)
    payload = login(gql, user)
    assert payload["errors"] == [] and payload["deletionCancelled"] is True
    user.refresh_from_db()
    assert user.is_active is True and user.erase_after is None
    assert data_of(gql(ME, token=payload["token"]), "me") == {"nickname": user.nickname}
    assert deletion.erase_due_accounts(now=timezone.now() + timedelta(days=30)) == 0
    assert login(gql, user)["deletionCancelled"] is False  # an ordinary login says so too


def test_a_wrong_password_does_not_cancel_and_after_the_grace_period_nobody_logs_in(gql, user):
    delete(gql, user)
    assert codes(login(gql, user, password="nope")) == ["UNAUTHENTICATED"]
    User.objects.filter(pk=user.pk).update(erase_after=timezone.now() - timedelta(seconds=1))
    assert codes(login(gql, user)) == ["UNAUTHENTICATED"]


def test_erasure_leaves_no_personal_data_in_any_table_and_keeps_the_ledger_and_counters(
    gql, django_capture_on_commit_callbacks
):
    owner = owner_with_history(
        django_capture_on_commit_callbacks, nickname="独特昵称甲", username="erase_me_42", email="erase-me@example.com"
    )
    friend = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_profile(user=owner, bio="独特简介乙", city="独特城丙", avatar=upload("me.png", png_bytes()))
        services.follow(user=owner, followee_id=friend.pk)
        services.follow(user=friend, followee_id=owner.pk)
    Contact.objects.create(user=owner, kind="PHONE", value="+8613812345678", verified_at=timezone.now())
    owner.refresh_from_db()
    media = [owner.avatar.name, *PostImage.objects.filter(post__author=owner).values_list("image", flat=True)]
    assert all(default_storage.exists(name) for name in media)
    circle = Circle.objects.get(memberships__user=owner)
    members_before = circle.member_count
    post_count = Post.objects.filter(author=owner).count()
    markers = ["独特昵称甲", "erase_me_42", "erase-me@example.com", "13812345678", "独特简介乙", "独特城丙", "大家好"]
    markers += ["周末一起洗车？"]  # a private message the owner wrote
    markers += [name.rsplit("/", 1)[-1] for name in media]

    delete(gql, owner)
    with django_capture_on_commit_callbacks(execute=True):
        assert deletion.erase_due_accounts(now=timezone.now() + timedelta(days=15, minutes=1)) == 1
        assert deletion.erase_due_accounts(now=timezone.now() + timedelta(days=16)) == 0  # idempotent

    leaks = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField | models.FileField)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            text = " ".join(str(value) for value in row)
            leaks += [(model.__name__, marker) for marker in markers if marker in text]
    assert leaks == []
    assert not any(default_storage.exists(name) for name in media)

    owner.refresh_from_db()
    assert owner.erased_at is not None and not owner.has_usable_password()
    assert AuthToken.objects.filter(user=owner).count() == 0
    # Posts and comments stay, by the "deleted user"; photos are gone.
    assert Post.objects.filter(author=owner).count() == post_count
    assert Comment.objects.filter(author=owner).count() == 1
    assert owner.nickname == "已注销用户" and owner.username == f"deleted-{owner.pk}"
    assert ChatMessage.objects.filter(author=owner).exclude(status=ChatMessage.Status.DELETED).count() == 0
    # Counters: follows both ways are gone and the friend's counts say so; the circle lost a member.
    friend.refresh_from_db()
    assert Follow.objects.filter(follower=owner).count() == Follow.objects.filter(followee=owner).count() == 0
    assert (friend.follower_count, friend.following_count) == (0, 0)
    circle.refresh_from_db()
    assert circle.member_count == members_before - 1
    assert not Membership.objects.filter(user=owner, status=Membership.Status.ACTIVE).exists()
    # The ledger: every balance equals its lines, the erased owner's included.
    for account in PointsAccount.objects.all():
        total = PointsTransaction.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or 0
        assert account.balance == total
    assert PointsAccount.objects.get(user=owner).balance >= 7
    assert Activity.objects.filter(actor=owner, verb=Verb.ACCOUNT_ERASED).count() == 1
