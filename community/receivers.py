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


def _word_list_changed(sender, **kwargs) -> None:
    from django.db import transaction

    from community import wordfilter

    # After commit, so no process rebuilds from the old list under the new version.
    transaction.on_commit(wordfilter.invalidate, robust=True)


def connect_word_list_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from community.models import SensitiveWord

    post_save.connect(_word_list_changed, sender=SensitiveWord, dispatch_uid="wordfilter.saved")
    post_delete.connect(_word_list_changed, sender=SensitiveWord, dispatch_uid="wordfilter.deleted")
