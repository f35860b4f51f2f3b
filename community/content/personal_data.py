"""The content app's part of the owner's personal data: export sections (posts with photos, comments) and erasure."""

from community.accounts.deletion import delete_stored_files_later, erasure_step
from community.accounts.export import Archive, export_section
from community.content.models import Comment, Post, PostImage
from community.models import User


@export_section("posts")
def posts(user: User, archive: Archive) -> list:
    rows = Post.objects.filter(author=user).prefetch_related("images").order_by("created_at", "id")
    return [
        {
            "id": post.pk,
            "kind": post.kind,
            "title": post.title,
            "body": post.body,
            "status": post.status,
            "circle_id": post.circle_id,
            "event_id": post.event_id,
            "created_at": post.created_at.isoformat(),
            "photos": [archive.add_file(image.image, "photos") for image in post.images.all()],
        }
        for post in rows
    ]


@export_section("comments")
def comments(user: User, archive: Archive) -> list:
    rows = Comment.objects.filter(author=user).order_by("created_at", "id")
    return [
        {
            "post_id": c.post_id,
            "parent_id": c.parent_id,
            "body": c.body,
            "status": c.status,
            "created_at": c.created_at.isoformat(),
        }
        for c in rows
    ]


@erasure_step
def erase_photos(user: User) -> None:
    """Posts and comments stay (as a "deleted user"); their photos go, rows and files."""
    images = PostImage.objects.filter(post__author=user)
    delete_stored_files_later([name for pair in images.values_list("image", "thumbnail") for name in pair])
    images.delete()
