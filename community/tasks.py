"""Background work of the social core."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.files.storage import default_storage

from community.kernel import activity
from community.kernel.images import make_thumbnail

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def dispatch_activity(activity_id: int) -> bool:
    return activity.dispatch(activity_id)


@shared_task
def redispatch_stale_activities() -> int:
    """Beat's safety net: activities whose consumers never ran (broker down, crash) run now."""
    ids = activity.stale_undispatched()
    for activity_id in ids:
        activity.dispatch(activity_id)
    if ids:
        logger.info("redispatched %d stale activities", len(ids))
    return len(ids)


@shared_task(acks_late=True)
def make_avatar_thumbnail(user_id: int, avatar_name: str) -> str | None:
    """Make the avatar's thumbnail, unless the avatar changed again in the meantime."""
    from community.models import User

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
def make_post_thumbnails(post_id: int) -> int:
    """Thumbnails for a post's photos that have none yet; safe to run twice."""
    from community.models import PostImage

    made = 0
    for image in PostImage.objects.filter(post_id=post_id, thumbnail=""):
        with default_storage.open(image.image.name, "rb") as source:
            thumbnail = make_thumbnail(source.read(), settings.POST_THUMBNAIL_SIZE)
        name = default_storage.save(f"posts/thumbs/{image.image.name.rsplit('/', 1)[-1]}.jpg", thumbnail)
        if PostImage.objects.filter(pk=image.pk, thumbnail="").update(thumbnail=name):
            made += 1
        else:
            default_storage.delete(name)
    return made
