"""Background work of the social core: avatars and file clean-up."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.files.storage import default_storage

from community.kernel.idempotency import forget_old_keys
from community.kernel.images import make_thumbnail
from community.models import User

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def make_avatar_thumbnail(user_id: int, avatar_name: str) -> str | None:
    """Make the avatar's thumbnail, unless the avatar changed again in the meantime."""
    user = User.objects.filter(pk=user_id, avatar=avatar_name).first()
    if user is None or not user.avatar:
        return None
    with default_storage.open(avatar_name, "rb") as source:
        thumbnail = make_thumbnail(source.read(), settings.AVATAR_THUMBNAIL_SIZE)
    name = default_storage.save(f"avatars/thumbs/{user_id}-{avatar_name.rsplit('/', 1)[-1]}.jpg", thumbnail)
    updated = User.objects.filter(pk=user_id, avatar=avatar_name).update(avatar_thumbnail=name)
    if not updated:
        default_storage.delete(name)
        return None
    return name


@shared_task
def delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete %s", name, exc_info=True)


@shared_task(acks_late=True)
def build_data_export(export_id: int) -> None:
    from community.accounts import export  # the export module starts this task (a real cycle)

    export.build(export_id)


@shared_task
def delete_expired_data_exports() -> int:
    from community.accounts import export  # as above

    return export.delete_expired_exports()


@shared_task
def erase_deleted_accounts() -> int:
    from community.accounts import deletion  # deletion imports the export module, which starts tasks (a cycle)

    return deletion.erase_due_accounts()


@shared_task(name="community.tasks.forget_old_idempotency_keys")
def forget_old_idempotency_keys() -> int:
    """Idempotency keys older than clients ever retry (two days) are deleted; returns how many."""
    return forget_old_keys()
