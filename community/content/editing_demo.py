"""Demo data for editing (seed_demo): an edited post (its earlier text a revision for moderators) and an
event whose organiser moved the meeting point (everyone signed up notified). Through the services."""

from __future__ import annotations

from django.utils import timezone

from community.content import services
from community.content.models import Post
from community.kernel.errors import ServiceError
from community.kernel.statuses import ContentStatus
from events import services as event_services
from events.models import Event


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
            notes.append(f"改了集合地点的活动: #{event.pk} (an event moved: its sign-ups were notified).")
        except ServiceError:
            pass
    return notes
