"""Background work on posts: photo thumbnails."""

from celery import shared_task
from django.conf import settings
from django.core.files.storage import default_storage

from community.content.models import PostImage
from community.kernel.images import make_thumbnail


# Named as before the content app existed, so tasks already queued still find it.
@shared_task(name="community.tasks.make_post_thumbnails", acks_late=True)
def make_post_thumbnails(post_id: int) -> int:
    """Thumbnails for a post's photos that have none yet; safe to run twice."""
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
