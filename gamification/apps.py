from django.apps import AppConfig


class GamificationConfig(AppConfig):
    name = "gamification"
    verbose_name = "积分 Points and scores"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registers texts, activity consumers and the new-ties counter of the event comparison
        from community.messaging import permissions
        from gamification import notification_text, personal_data, receivers, tie_figures, tie_notifications, ties  # noqa: F401

        permissions.tell_tie_levels_with(ties.level_between)
