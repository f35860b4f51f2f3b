from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Posts, photos, comments, likes and the feed."""

    name = "community.content"
    label = "content"
    verbose_name = "内容 Content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model exists (a real cycle).
        from community.content import personal_data, receivers  # noqa: F401  (registers activity consumers, export sections)
