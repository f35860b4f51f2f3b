"""The notification for the first message of a conversation (a message request says so), from the activity stream."""

from __future__ import annotations

from community.kernel.activity import on_activity
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.messaging.models import DirectMessage
from community.notifications.services import notify


@on_activity(Verb.DIRECT_MESSAGE_SENT)
def notify_first_message(activity: Activity) -> None:
    data = activity.data or {}
    if not data.get("first") or data.get("held"):
        return
    message = DirectMessage.objects.filter(pk=activity.target_id).first()
    if message is None:
        return
    notify(
        recipient_id=data["recipient_id"],
        verb=NotificationVerb.DIRECT_MESSAGE,
        actor=activity.actor,
        target=message.conversation,
        activity=activity,
        data={"request": bool(data.get("request"))},
    )
