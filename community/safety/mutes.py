"""Mutes: while one lasts, its user can't post, comment or chat anywhere, nor create or publish events, make
invites, or found or edit circles (anything that puts their words in front of others). Refusals carry MUTED."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.kernel.errors import ErrorCode, ServiceError
from community.models import Mute


def active_mute(user) -> Mute | None:
    return Mute.objects.filter(user=user, until__gt=timezone.now()).order_by("-until").first()


def ensure_not_muted(user) -> None:
    """MUTED while the user's mute lasts."""
    mute = active_mute(user)
    if mute is not None:
        until = timezone.localtime(mute.until).strftime("%Y-%m-%d %H:%M")
        raise ServiceError(ErrorCode.MUTED, _("You are muted until %(until)s.") % {"until": until})
