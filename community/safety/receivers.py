"""Every process rebuilds its word filter when brand staff change the list."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from community.models import SensitiveWord
from community.safety import wordfilter


def _word_list_changed(sender, **kwargs) -> None:
    # After commit, so no process rebuilds from the old list under the new version.
    transaction.on_commit(wordfilter.invalidate, robust=True)


def connect_word_list_signals() -> None:
    post_save.connect(_word_list_changed, sender=SensitiveWord, dispatch_uid="wordfilter.saved")
    post_delete.connect(_word_list_changed, sender=SensitiveWord, dispatch_uid="wordfilter.deleted")
