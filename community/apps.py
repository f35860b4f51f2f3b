from django.apps import AppConfig
from django.db.models.signals import post_migrate

# Apps whose models brand staff manage in the back office.
BRAND_MANAGED_APPS = ("community", "content", "messaging", "moderation", "circles", "events", "gamification")


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "社区 Community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: Django imports apps.py before any model exists (a real cycle).
        from community.accounts import export  # noqa: F401  (registers the social core's export sections)
        from community.accounts import receivers as account_receivers
        from community.notifications import receivers  # noqa: F401  (registers activity consumers)
        from community.safety.receivers import connect_word_list_signals

        connect_word_list_signals()
        account_receivers.connect()
        post_migrate.connect(grant_brand_permissions, dispatch_uid="community.grant_brand_permissions")


def grant_brand_permissions(sender, using="default", **kwargs) -> None:
    """The brand group may manage every model of the product's apps, including ones added later."""
    from django.contrib.auth.models import Group, Permission

    from community.models import BRAND_GROUP  # apps.py loads before the models (a real cycle)

    group, _ = Group.objects.using(using).get_or_create(name=BRAND_GROUP)
    permissions = Permission.objects.using(using).filter(content_type__app_label__in=BRAND_MANAGED_APPS)
    group.permissions.add(*permissions)
