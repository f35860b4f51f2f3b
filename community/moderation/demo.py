"""Demo moderation: the brand's announcement pinned, and a report on the advert if the word list let it through."""

from __future__ import annotations

from community.content.demo import ANNOUNCEMENT_TITLE, HELD_BODY
from community.content.models import Post
from community.kernel.statuses import ContentStatus
from community.moderation import services as moderation_services
from community.moderation.models import Report


def seed_app(report) -> None:
    owners = report.owners
    if not owners or report.brand is None:
        return
    announcement = Post.objects.filter(title=ANNOUNCEMENT_TITLE, kind=Post.Kind.ANNOUNCEMENT).first()
    if announcement is not None and not announcement.pinned:
        moderation_services.set_post_pinned(user=report.brand, post_id=announcement.pk, pinned=True)
    advert = Post.objects.filter(author=owners[-1], body=HELD_BODY).first()
    if (
        len(owners) > 3
        and advert is not None
        and advert.status == ContentStatus.PUBLISHED
        and not Report.objects.filter(post=advert).exists()
    ):
        moderation_services.report_content(
            user=owners[0], kind="post", target_id=advert.pk, reason=Report.Reason.SPAM, note="疑似广告"
        )
