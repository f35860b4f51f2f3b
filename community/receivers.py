"""Consumers of the activity stream that belong to the social core."""

from community.activity import Verb, on_activity
from community.models import Activity, Notification
from community.services import notify


@on_activity(Verb.FOLLOWED)
def notify_followed(activity: Activity) -> None:
    notify(
        recipient_id=activity.target_id,
        verb=Notification.Verb.FOLLOWED,
        actor=activity.actor,
        target=activity.actor,
        activity=activity,
    )
