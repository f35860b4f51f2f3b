"""Notifications of the social core, from the activity stream."""

from community.kernel.activity import on_activity
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.notifications.services import notify


@on_activity(Verb.FOLLOWED)
def notify_followed(activity: Activity) -> None:
    notify(
        recipient_id=activity.target_id,
        verb=NotificationVerb.FOLLOWED,
        actor=activity.actor,
        target=activity.actor,
        activity=activity,
    )
