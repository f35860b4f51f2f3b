# The models moved from the community app; their tables (community_*) stay as they are.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from community.kernel.moves import relabel_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('community', '0005_post_event'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('circles', '0002_active_circle_has_a_host'),
        ('events', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Post',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('MOMENT', 'moment'), ('ARTICLE', 'article'), ('ANNOUNCEMENT', 'announcement')], default='MOMENT', max_length=12)),
                        ('title', models.CharField(blank=True, max_length=120)),
                        ('body', models.TextField(max_length=20000)),
                        ('status', models.CharField(choices=[('PUBLISHED', 'published'), ('PENDING_REVIEW', 'pending review'), ('HIDDEN', 'hidden'), ('DELETED', 'deleted')], default='PUBLISHED', max_length=14)),
                        ('pinned', models.BooleanField(default=False)),
                        ('like_count', models.PositiveIntegerField(default=0)),
                        ('comment_count', models.PositiveIntegerField(default=0)),
                        ('held_reason', models.CharField(blank=True, max_length=200)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='posts', to=settings.AUTH_USER_MODEL)),
                        ('circle', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='posts', to='circles.circle')),
                        ('event', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='posts', to='events.event')),
                    ],
                    options={
                        'db_table': 'community_post',
                    },
                ),
                migrations.CreateModel(
                    name='Like',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='likes', to=settings.AUTH_USER_MODEL)),
                        ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='likes', to='content.post')),
                    ],
                    options={
                        'db_table': 'community_like',
                    },
                ),
                migrations.CreateModel(
                    name='Comment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('body', models.TextField(max_length=2000)),
                        ('status', models.CharField(choices=[('PUBLISHED', 'published'), ('PENDING_REVIEW', 'pending review'), ('HIDDEN', 'hidden'), ('DELETED', 'deleted')], default='PUBLISHED', max_length=14)),
                        ('held_reason', models.CharField(blank=True, max_length=200)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to=settings.AUTH_USER_MODEL)),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='content.comment')),
                        ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='content.post')),
                    ],
                    options={
                        'db_table': 'community_comment',
                    },
                ),
                migrations.CreateModel(
                    name='PostImage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField()),
                        ('image', models.ImageField(upload_to='posts/%Y/%m/')),
                        ('thumbnail', models.ImageField(blank=True, upload_to='posts/thumbs/%Y/%m/')),
                        ('width', models.PositiveIntegerField()),
                        ('height', models.PositiveIntegerField()),
                        ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='images', to='content.post')),
                    ],
                    options={
                        'db_table': 'community_postimage',
                        'ordering': ['post_id', 'position'],
                    },
                ),
                migrations.AddIndex(
                    model_name='post',
                    index=models.Index(fields=['status', '-pinned', '-created_at', '-id'], name='post_feed_idx'),
                ),
                migrations.AddIndex(
                    model_name='post',
                    index=models.Index(fields=['circle', 'status', '-created_at', '-id'], name='post_circle_idx'),
                ),
                migrations.AddIndex(
                    model_name='post',
                    index=models.Index(fields=['author', 'status', '-created_at', '-id'], name='post_author_idx'),
                ),
                migrations.AddIndex(
                    model_name='post',
                    index=models.Index(condition=models.Q(('kind', 'ANNOUNCEMENT')), fields=['-pinned', '-created_at', '-id'], name='post_announcement_idx'),
                ),
                migrations.AddConstraint(
                    model_name='post',
                    constraint=models.CheckConstraint(condition=models.Q(('like_count__gte', 0)), name='post_like_count_gte_0'),
                ),
                migrations.AddConstraint(
                    model_name='post',
                    constraint=models.CheckConstraint(condition=models.Q(('comment_count__gte', 0)), name='post_comment_count_gte_0'),
                ),
                migrations.AddConstraint(
                    model_name='post',
                    constraint=models.CheckConstraint(condition=models.Q(('pinned', False), ('kind', 'ANNOUNCEMENT'), _connector='OR'), name='post_only_announcements_pinned'),
                ),
                migrations.AddIndex(
                    model_name='like',
                    index=models.Index(fields=['user', 'post'], name='community_l_user_id_b74909_idx'),
                ),
                migrations.AddConstraint(
                    model_name='like',
                    constraint=models.UniqueConstraint(fields=('post', 'user'), name='like_once_per_user'),
                ),
                migrations.AddIndex(
                    model_name='comment',
                    index=models.Index(fields=['post', 'status', 'created_at', 'id'], name='comment_post_idx'),
                ),
                migrations.AddConstraint(
                    model_name='postimage',
                    constraint=models.UniqueConstraint(fields=('post', 'position'), name='postimage_unique_position'),
                ),
                migrations.AddConstraint(
                    model_name='postimage',
                    constraint=models.CheckConstraint(condition=models.Q(('position__lt', 9)), name='postimage_at_most_nine'),
                ),
    
            ],
            database_operations=[],
        ),
        relabel_content_types("community", "content", ("post", "postimage", "comment", "like")),
    ]
