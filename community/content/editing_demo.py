"""Demo data for editing (seed_demo): an edited post (its earlier text a revision for moderators) and an
event whose organiser moved the meeting point (everyone signed up notified). Through the services."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from community.content import services
from community.content.models import Post
from community.kernel.errors import ServiceError
from community.kernel.statuses import ContentStatus
from events import services as event_services
from events.models import Event


def _cover_upload() -> SimpleUploadedFile:
    """A night-sky gradient, drawn here: the demo ships no image files."""
    image = Image.new("RGB", (960, 540))
    image.putdata([(20 + y // 6, 30 + y // 8, 80 + y // 5) for y in range(540) for _x in range(960)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile("cover.jpg", buffer.getvalue(), content_type="image/jpeg")


def edit_a_post_and_an_event() -> list[str]:
    notes = []
    post = Post.objects.filter(status=ContentStatus.PUBLISHED, kind=Post.Kind.MOMENT, edited_at=None).first()
    if post is not None:
        try:
            services.update_post(user=post.author, post_id=post.pk, body=post.body + "\n（补充：周六晚上八点出发）")
            notes.append(f"编辑过的帖子: #{post.pk} (an edited post, its earlier text kept as a revision).")
        except ServiceError:
            pass
    event = Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=timezone.now()).order_by("id").first()
    if event is not None:
        try:
            event_services.update_event(user=event.organizer, event_id=event.pk, address="南山一棵树观景台停车场")
            event_services.set_event_cover(user=event.organizer, event_id=event.pk, image=_cover_upload())
            notes.append(f"改了集合地点、加了封面的活动: #{event.pk} (an event moved, with a cover).")
        except ServiceError:
            pass
    return notes
