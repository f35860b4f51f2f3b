"""Search over posts: pg_trgm GIN indexes on titles and bodies (PostgreSQL), and a recency index."""

from django.db import migrations, models

from community.kernel.search import trigram_index


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0001_initial'),
        ('community', '0007_follow_follower_index_and_nickname_search'),
    ]

    operations = [
        # pg_trgm comes from community 0007 (a dependency): enabling it here too would make
        # reversing this migration drop the extension under the nickname index.
        trigram_index("community_post", "title", "post_title_trgm_idx"),
        trigram_index("community_post", "body", "post_body_trgm_idx"),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(fields=['-created_at', '-id'], name='post_recency_idx'),
        ),
    ]
