from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "活动 Events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model exists (a real cycle).
        from events import notification_text, personal_data, receivers  # noqa: F401  (registers texts, activity consumers, export sections)
