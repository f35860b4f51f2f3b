"""Services and reads for notification preferences: the one place that decides, for each notification,
whether it reaches the inbox and whether it is pushed live.

- a kind switched off for the inbox is not created at all (nor pushed);
- a kind switched off for push lands in the inbox silently;
- during quiet hours (Asia/Shanghai, may wrap midnight) nothing is pushed; the inbox still fills;
- campaigns skip owners who opted out (`campaign_opted_out_ids`), and say how many.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.kernel.access import require_user
from community.kernel.activity import dispatch_memo
from community.kernel.errors import ErrorCode, FieldError, ServiceError
from community.kernel.verbs import NotificationVerb
from community.models import NotificationPreference

QUIET_HOURS_ZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Preferences:
    push_off: frozenset[str] = field(default_factory=frozenset)
    inbox_off: frozenset[str] = field(default_factory=frozenset)
    campaign_opt_out: bool = False
    quiet_start: time | None = None
    quiet_end: time | None = None

    def wants_inbox(self, verb: str) -> bool:
        return verb not in self.inbox_off

    def wants_push(self, verb: str, now: datetime | None = None) -> bool:
        if verb in self.push_off or verb in self.inbox_off:
            return False
        return not self.in_quiet_hours(now)

    def in_quiet_hours(self, now: datetime | None = None) -> bool:
        if self.quiet_start is None or self.quiet_end is None:
            return False
        local = (now or timezone.now()).astimezone(QUIET_HOURS_ZONE).time()
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= local < self.quiet_end
        return local >= self.quiet_start or local < self.quiet_end  # wraps midnight


DEFAULTS = Preferences()


def _from_row(row: NotificationPreference | None) -> Preferences:
    if row is None:
        return DEFAULTS
    return Preferences(
        push_off=frozenset(row.push_off or ()),
        inbox_off=frozenset(row.inbox_off or ()),
        campaign_opt_out=row.campaign_opt_out,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
    )


def preferences_of(user_id: int) -> Preferences:
    """The user's preferences; read once per batch of activities being dispatched (no consumer changes
    them), every time outside one."""
    memo = dispatch_memo()
    key = ("notifications.preferences", user_id)
    if memo is not None and key in memo:
        return memo[key]
    found = _from_row(NotificationPreference.objects.filter(user_id=user_id).first())
    if memo is not None:
        memo[key] = found
    return found


def preferences_of_many(user_ids) -> dict[int, Preferences]:
    """Everyone's preferences in one query (users without a row get the defaults)."""
    rows = NotificationPreference.objects.filter(user_id__in=list(user_ids))
    found = {row.user_id: _from_row(row) for row in rows}
    return {uid: found.get(uid, DEFAULTS) for uid in user_ids}


def campaign_opted_out_ids():
    """A subquery of the users who opted out of brand campaigns."""
    return NotificationPreference.objects.filter(campaign_opt_out=True).values("user_id")


def _parse_time(value, field_name: str) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    try:
        hours, minutes = str(value).strip().split(":")
        return time(int(hours), int(minutes))
    except (ValueError, TypeError):
        raise ServiceError(ErrorCode.INVALID, _("Give the time as HH:MM."), field_name) from None


_UNSET = object()


def update_notification_preferences(
    *,
    user,
    kinds: list[dict] | None = None,
    campaign_opt_out: bool | None = None,
    quiet_start=_UNSET,
    quiet_end=_UNSET,
) -> Preferences:
    """Change what was passed. `kinds`: [{"kind": verb, "push": bool?, "inbox": bool?}]; quiet hours are
    set with both times or cleared with both None."""
    require_user(user)
    errors: list[FieldError] = []
    for entry in kinds or ():
        if entry.get("kind") not in NotificationVerb.values:
            errors.append(FieldError(ErrorCode.INVALID, _("Unknown kind of notification."), "kinds"))
    quiet_given = quiet_start is not _UNSET or quiet_end is not _UNSET
    start = end = None
    if quiet_given:
        start = None if quiet_start in (_UNSET, None, "") else quiet_start
        end = None if quiet_end in (_UNSET, None, "") else quiet_end
        if (start is None) != (end is None):
            errors.append(
                FieldError(ErrorCode.INVALID, _("Give both ends of the quiet hours, or neither."), "quietEnd")
            )
        else:
            try:
                start = _parse_time(start, "quietStart") if start is not None else None
                end = _parse_time(end, "quietEnd") if end is not None else None
            except ServiceError as error:
                errors.extend(error.errors)
            if start is not None and start == end:
                errors.append(
                    FieldError(ErrorCode.INVALID, _("Quiet hours must not start and end together."), "quietEnd")
                )
    if errors:
        raise ServiceError.many(errors)
    with transaction.atomic():
        row, _created = NotificationPreference.objects.select_for_update().get_or_create(user_id=user.pk)
        push_off, inbox_off = set(row.push_off or ()), set(row.inbox_off or ())
        for entry in kinds or ():
            kind = entry["kind"]
            for flag, switched_off in (("push", push_off), ("inbox", inbox_off)):
                value = entry.get(flag)
                if value is True:
                    switched_off.discard(kind)
                elif value is False:
                    switched_off.add(kind)
        row.push_off, row.inbox_off = sorted(push_off), sorted(inbox_off)
        if campaign_opt_out is not None:
            row.campaign_opt_out = bool(campaign_opt_out)
        if quiet_given:
            row.quiet_start, row.quiet_end = start, end
        row.updated_at = timezone.now()
        row.save()
    return _from_row(row)
