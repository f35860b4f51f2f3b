from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = "车友圈 Circles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from circles import notification_text, receivers  # noqa: F401  (registers texts and activity consumers)
