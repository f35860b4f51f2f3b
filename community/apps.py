from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "社区 Community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community import receivers  # noqa: F401  (registers activity consumers)
