"""What follows a change of a user made outside the services (the back office's user form)."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_save

from community.kernel import realtime
from community.models import User

SOCKET_DEACTIVATED = 4403


def close_sockets_of_deactivated(sender, instance: User, **kwargs) -> None:
    """A deactivated user's open WebSockets close at once, on every server process (after commit)."""
    if not instance.is_active:
        realtime.close_sockets(realtime.user_sockets_topic(instance.pk), code=SOCKET_DEACTIVATED, reason="Forbidden")


def refresh_sockets_on_groups_change(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Joining or leaving the brand group changes what the user's open sockets may do: they read the user again."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    user_ids = (pk_set or ()) if reverse else (instance.pk,)
    for user_id in user_ids:
        realtime.refresh_sockets(realtime.user_sockets_topic(user_id))


def connect() -> None:
    post_save.connect(close_sockets_of_deactivated, sender=User, dispatch_uid="accounts.close_sockets_of_deactivated")
    m2m_changed.connect(
        refresh_sockets_on_groups_change, sender=User.groups.through, dispatch_uid="accounts.refresh_sockets_on_groups"
    )
