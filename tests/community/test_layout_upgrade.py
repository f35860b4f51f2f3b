"""A database migrated when posts, comments, likes, reports and the audit log were part of the community
app upgrades to the content and moderation apps without losing a row or a reference to one."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from community.content.models import Comment, Like, Post
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification
from community.moderation.models import ModerationAction, Report

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

MOVED_APPS = ("content", "moderation")
BEFORE = ("community", "0005_post_event")


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


def _old_layout_targets(executor: MigrationExecutor) -> list[tuple[str, str | None]]:
    leaves = executor.loader.graph.leaf_nodes()
    kept = [node for node in leaves if node[0] not in ("community", *MOVED_APPS)]
    return [*kept, BEFORE, *((app, None) for app in MOVED_APPS)]


def test_a_database_on_the_old_layout_upgrades_without_loss():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    old_targets = _old_layout_targets(executor)
    executor = _migrate(old_targets)
    old = executor.loader.project_state([node for node in old_targets if node[1] is not None]).apps

    OldContentType = old.get_model("contenttypes", "ContentType")
    post_type = OldContentType.objects.get_or_create(app_label="community", model="post")[0]
    assert not OldContentType.objects.filter(app_label="content", model="post").exists()
    author = old.get_model("community", "User").objects.create(username="laowang", nickname="老王")
    reader = old.get_model("community", "User").objects.create(username="xiaoli", nickname="小李")
    post = old.get_model("community", "Post").objects.create(author=author, body="周末去南山看夜景", like_count=1)
    comment = old.get_model("community", "Comment").objects.create(post=post, author=reader, body="同去！")
    like = old.get_model("community", "Like").objects.create(post=post, user=reader)
    report = old.get_model("community", "Report").objects.create(reporter=reader, reason="SPAM", post=post)
    logged = old.get_model("community", "ModerationAction").objects.create(
        action="HIDE", target_type=post_type, target_id=post.pk, subject=author, report=report, note="广告"
    )
    activity = old.get_model("community", "Activity").objects.create(
        actor=reader, verb=Verb.POST_LIKED, target_type=post_type, target_id=post.pk, dispatched_at=timezone.now()
    )
    notification = old.get_model("community", "Notification").objects.create(
        recipient=author, actor=reader, verb=NotificationVerb.LIKED, target_type=post_type, target_id=post.pk
    )

    _migrate(leaves)

    assert ContentType.objects.get_for_model(Post).pk == post_type.pk  # relabelled, not replaced
    moved = Post.objects.get(pk=post.pk)
    assert (moved.author.username, moved.body, moved.like_count) == ("laowang", "周末去南山看夜景", 1)
    assert Comment.objects.get(pk=comment.pk).post == moved
    assert Like.objects.get(pk=like.pk).user.username == "xiaoli"
    assert Report.objects.get(pk=report.pk).post == moved
    entry = ModerationAction.objects.get(pk=logged.pk)
    assert (entry.target_type.model_class(), entry.target_id, entry.report_id, entry.activity) == (
        Post,
        post.pk,
        report.pk,
        None,
    )
    assert Activity.objects.get(pk=activity.pk).target_type.model_class() is Post
    assert Notification.objects.get(pk=notification.pk).target_type.model_class() is Post
