"""Substring search over posts' titles and bodies: pg_trgm GIN indexes on PostgreSQL."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from community.kernel.search import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("community", "0007_follow_follower_index_and_nickname_search"),
    ]

    operations = [
        TrigramExtension(),
        trigram_index("community_post", "title", "post_title_trgm_idx"),
        trigram_index("community_post", "body", "post_body_trgm_idx"),
    ]
