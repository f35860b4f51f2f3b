# An audit entry written for an activity (content held or deleted by the content app) is written once.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('community', '0006_content_and_moderation_apps'),
        ('moderation', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='moderationaction',
            name='activity',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='community.activity'),
        ),
        migrations.AddConstraint(
            model_name='moderationaction',
            constraint=models.UniqueConstraint(condition=models.Q(('activity__isnull', False)), fields=('activity', 'action'), name='moderationaction_once_per_activity'),
        ),
    ]
