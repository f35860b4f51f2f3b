from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "community.messaging"
    label = "messaging"
    verbose_name = "私信 Private messages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model exists (a real cycle).
        from community.messaging import personal_data, receivers  # noqa: F401  (export, erasure, first-message notification)
