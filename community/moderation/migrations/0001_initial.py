# The models moved from the community app; their tables (community_*) stay as they are.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from community.kernel.moves import relabel_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('circles', '0002_active_circle_has_a_host'),
        ('community', '0005_post_event'),
        ('content', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason', models.CharField(choices=[('SPAM', 'spam'), ('ABUSE', 'abuse'), ('ADVERTISING', 'advertising'), ('ILLEGAL', 'illegal'), ('MISINFORMATION', 'misinformation'), ('OTHER', 'other')], max_length=16)),
                        ('note', models.CharField(blank=True, max_length=500)),
                        ('status', models.CharField(choices=[('OPEN', 'open'), ('ACTIONED', 'actioned'), ('DISMISSED', 'dismissed')], default='OPEN', max_length=10)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('decision', models.CharField(blank=True, max_length=12)),
                        ('chat_message', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='circles.chatmessage')),
                        ('comment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='content.comment')),
                        ('post', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='content.post')),
                        ('reporter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to=settings.AUTH_USER_MODEL)),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'community_report',
                    },
                ),
                migrations.CreateModel(
                    name='ModerationAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('HIDE', 'hide'), ('DELETE', 'delete'), ('DISMISS', 'dismiss'), ('MUTE_AUTHOR', 'mute the author'), ('APPROVE', 'approve held content'), ('REJECT', 'reject held content'), ('AUTO_HOLD', 'held automatically')], max_length=12)),
                        ('target_id', models.PositiveBigIntegerField()),
                        ('note', models.CharField(blank=True, max_length=500)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('moderator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='moderation_log', to=settings.AUTH_USER_MODEL)),
                        ('target_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
                        ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='actions', to='moderation.report')),
                    ],
                    options={
                        'db_table': 'community_moderationaction',
                    },
                ),
                migrations.AddIndex(
                    model_name='report',
                    index=models.Index(fields=['status', 'created_at', 'id'], name='report_queue_idx'),
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('chat_message__isnull', True), ('comment__isnull', True), ('post__isnull', False)), models.Q(('chat_message__isnull', True), ('comment__isnull', False), ('post__isnull', True)), models.Q(('chat_message__isnull', False), ('comment__isnull', True), ('post__isnull', True)), _connector='OR'), name='report_exactly_one_target'),
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.UniqueConstraint(condition=models.Q(('post__isnull', False), ('status', 'OPEN')), fields=('reporter', 'post'), name='report_open_post_once'),
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.UniqueConstraint(condition=models.Q(('comment__isnull', False), ('status', 'OPEN')), fields=('reporter', 'comment'), name='report_open_comment_once'),
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.UniqueConstraint(condition=models.Q(('chat_message__isnull', False), ('status', 'OPEN')), fields=('reporter', 'chat_message'), name='report_open_chat_once'),
                ),
                migrations.AddIndex(
                    model_name='moderationaction',
                    index=models.Index(fields=['target_type', 'target_id'], name='community_m_target__455803_idx'),
                ),
                migrations.AddIndex(
                    model_name='moderationaction',
                    index=models.Index(fields=['-created_at'], name='community_m_created_3f013d_idx'),
                ),
    
            ],
            database_operations=[],
        ),
        relabel_content_types("community", "moderation", ("report", "moderationaction")),
    ]
