"""Search: the trigram index on nicknames (PostgreSQL), and following lists paged by follow time."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from community.kernel.search import trigram_index


class Migration(migrations.Migration):

    dependencies = [
        ('community', '0006_content_and_moderation_apps'),
    ]

    operations = [
        TrigramExtension(),
        trigram_index("community_user", "nickname", "user_nickname_trgm_idx"),
        migrations.AddIndex(
            model_name='follow',
            index=models.Index(fields=['follower', 'created_at', 'id'], name='follow_follower_created_idx'),
        ),
    ]
