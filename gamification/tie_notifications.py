"""Owners feel their ties: both are told when their tie first reaches FRIEND and when it first reaches
STRONG. Once per pair and level (the `TieMilestone` row decides `first`), so a decay and a regrowth
never notify again; once per activity (`notify` is keyed by it), so a redelivery notifies nobody twice.
Brand staff are not owners and are not told."""

from __future__ import annotations

from community.kernel.activity import on_activity
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import User
from community.notifications.services import notify


@on_activity(Verb.TIE_BECAME_FRIEND, Verb.TIE_BECAME_STRONG)
def tell_the_owner(activity: Activity) -> None:
    data = activity.data or {}
    other_id = data.get("other_id") or activity.target_id
    if not data.get("first") or not other_id or activity.actor.is_brand_staff:
        return
    other = User.objects.filter(pk=other_id).first()
    if other is None:
        return
    notify(
        recipient_id=activity.actor_id,
        verb=NotificationVerb.TIE_MILESTONE,
        actor=other,
        target=other,
        activity=activity,
        data={"level": "STRONG" if activity.verb == Verb.TIE_BECAME_STRONG else "FRIEND"},
    )
