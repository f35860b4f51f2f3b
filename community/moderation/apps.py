from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """Reports, the review of held content and the audit log."""

    name = "community.moderation"
    label = "moderation"
    verbose_name = "审核 Moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model exists (a real cycle).
        from community.moderation import receivers  # noqa: F401  (registers activity consumers)
