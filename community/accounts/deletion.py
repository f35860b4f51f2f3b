"""Services for deleting an account: deactivated at once, erased after a grace period unless the owner
logs in again.

Erasure (`erase_due_accounts`, run by beat) keeps the user's row, anonymised, so nothing that points
at it breaks: the points ledger and balances, the moderation audit log, likes and sign-ups (their
counters stay exact). Posts and comments are kept, shown as by a "deleted user": removing them would
tear holes in other people's threads and change counters others see; their photos are erased. Each
app erases its own personal data with an `@erasure_step` function in its `personal_data.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from community.accounts import export
from community.accounts.services import _check_password, _revoke_tokens
from community.kernel.access import require_user
from community.kernel.activity import record_activity
from community.kernel.verbs import Verb
from community.models import (
    AuthToken,
    Contact,
    DataExport,
    Follow,
    Notification,
    NotificationPreference,
    User,
    Vehicle,
)

logger = logging.getLogger(__name__)

ErasureStep = Callable[[User], None]
_steps: list[ErasureStep] = []


def erasure_step(function: ErasureStep) -> ErasureStep:
    """Register `function(user)`: erases an app's personal data of `user`, inside the erasure's transaction."""
    if function not in _steps:
        _steps.append(function)
    return function


def delete_account(*, user, password: str) -> User:
    """Deactivate the account now (signed out everywhere, hidden from others); erased after the grace period.

    Logging in within the grace period cancels it (`services.login`).
    """
    require_user(user)
    _check_password(user, password, "password")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.is_active = False
        user.erase_after = timezone.now() + timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS)
        user.save(update_fields=["is_active", "erase_after"])
        _revoke_tokens(user)
        record_activity(
            actor=user,
            verb=Verb.ACCOUNT_DELETION_REQUESTED,
            target=user,
            data={"erase_after": user.erase_after.isoformat()},
        )
    return user


# ---------------------------------------------------------------- erasure


DELETED_NICKNAME = _("Deleted user")


def erase_due_accounts(now=None) -> int:
    """Erase every account whose grace period is over; idempotent. Returns how many were erased."""
    now = now or timezone.now()
    due = User.objects.filter(is_active=False, erased_at__isnull=True, erase_after__lte=now).values_list(
        "pk", flat=True
    )
    erased = 0
    for user_id in list(due):
        try:
            if erase_account(user_id):
                erased += 1
        except Exception:
            # One failure must not stop the others; beat tries it again next time.
            logger.exception("erasing account %s failed", user_id)
    return erased


def erase_account(user_id: int) -> bool:
    files: list[str] = []
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None or user.is_active or user.erased_at is not None or user.erase_after is None:
            return False
        files += [f.name for f in (user.avatar, user.avatar_thumbnail) if f]
        for step in _steps:
            step(user)
        for follow in Follow.objects.filter(follower=user):
            User.objects.filter(pk=follow.followee_id).update(follower_count=F("follower_count") - 1)
        for follow in Follow.objects.filter(followee=user):
            User.objects.filter(pk=follow.follower_id).update(following_count=F("following_count") - 1)
        Follow.objects.filter(follower=user).delete()
        Follow.objects.filter(followee=user).delete()
        Contact.objects.filter(user=user).delete()
        Vehicle.objects.filter(owner=user).delete()
        AuthToken.objects.filter(user=user).delete()
        Notification.objects.filter(recipient=user).delete()
        NotificationPreference.objects.filter(user=user).delete()
        exports = list(DataExport.objects.filter(user=user).exclude(file_name="").values_list("file_name", flat=True))
        DataExport.objects.filter(user=user).delete()
        user.username = f"deleted-{user.pk}"
        with translation.override(settings.LANGUAGE_CODE):  # the community's language, not a request's
            user.nickname = str(DELETED_NICKNAME)[:30]
        user.first_name = user.last_name = user.email = ""
        user.city = user.bio = ""
        user.avatar = user.avatar_thumbnail = ""
        user.follower_count = user.following_count = 0
        user.last_login = None
        user.set_unusable_password()
        user.erased_at = timezone.now()
        user.save()
        record_activity(actor=user, verb=Verb.ACCOUNT_ERASED, target=user)
        transaction.on_commit(lambda: _delete_files(files, exports), robust=True)
    return True


def delete_stored_files_later(names: list[str]) -> None:
    """For erasure steps: delete these files of the default storage once the erasure commits."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _delete_files(names, []), robust=True)


def _delete_files(media: list[str], exports: list[str]) -> None:
    for name in media:
        default_storage.delete(name)
    storage = export.export_storage()
    for name in exports:
        storage.delete(name)
