# Posts, comments, likes, reports and the audit log now belong to the content and moderation apps:
# only the state moves, the tables stay (see content.0001 and moderation.0001).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('community', '0005_post_event'),
        ('content', '0001_initial'),
        ('moderation', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='report',
                    name='comment',
                ),
                migrations.RemoveField(
                    model_name='like',
                    name='post',
                ),
                migrations.RemoveField(
                    model_name='like',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='moderationaction',
                    name='moderator',
                ),
                migrations.RemoveField(
                    model_name='moderationaction',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='moderationaction',
                    name='subject',
                ),
                migrations.RemoveField(
                    model_name='moderationaction',
                    name='target_type',
                ),
                migrations.RemoveField(
                    model_name='post',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='post',
                    name='circle',
                ),
                migrations.RemoveField(
                    model_name='post',
                    name='event',
                ),
                migrations.RemoveField(
                    model_name='postimage',
                    name='post',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='post',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='chat_message',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='reporter',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='resolved_by',
                ),
                migrations.DeleteModel(
                    name='Comment',
                ),
                migrations.DeleteModel(
                    name='Like',
                ),
                migrations.DeleteModel(
                    name='ModerationAction',
                ),
                migrations.DeleteModel(
                    name='PostImage',
                ),
                migrations.DeleteModel(
                    name='Post',
                ),
                migrations.DeleteModel(
                    name='Report',
                ),
    
            ],
            database_operations=[],
        ),
    ]
