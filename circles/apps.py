from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = "车友圈 Circles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model exists (a real cycle).
        from circles import notification_text, personal_data, receivers, selectors, services  # noqa: F401  (registers texts, activity consumers, export sections)
        from community.accounts import registration

        registration.accept_invites_with(
            problem=selectors.invite_error,
            redeem=lambda *, user, invite_code: services.join_by_invite_code(
                user=user, invite_code=invite_code, via="register"
            ),
        )
