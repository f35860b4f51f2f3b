"""Every write of the circles app: one module per use-case family, one function per use case, atomic,
recording its activity.

Locking: every service that changes memberships or roles first locks the circle row
(`select_for_update`), then the membership rows it changes. So concurrent joins, leaves, transfers,
promotions and removals of one circle run one after the other, and each sees what the previous one
committed. The database backs this up: a partial unique index allows one ACTIVE HOST per circle, and
on PostgreSQL a deferred trigger refuses to commit an ACTIVE circle without one.
"""

from circles.services.chat import (
    CHAT_BODY_MAX_LENGTH,
    delete_chat_message,
    deletion_payload,
    delivery_payload,
    review_chat_message,
    send_chat_message,
)
from circles.services.common import ensure_not_muted_in
from circles.services.invites import (
    INVITE_MAX_DAYS,
    INVITE_MAX_USES,
    create_invite,
    revoke_invite,
    use_invite,
)
from circles.services.lifecycle import (
    CITY_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MAX_PENDING_CIRCLES_PER_USER,
    NAME_MAX_LENGTH,
    NAME_MIN_LENGTH,
    archive_circle,
    create_circle,
    review_circle,
    set_circle_cover,
    update_circle,
)
from circles.services.memberships import (
    MUTE_MAX_DAYS,
    join_by_invite_code,
    join_circle,
    leave_circle,
    mute_member,
    remove_member,
    review_join_request,
    unban_member,
)
from circles.services.roles import set_member_role, transfer_host

__all__ = [
    "CHAT_BODY_MAX_LENGTH",
    "CITY_MAX_LENGTH",
    "DESCRIPTION_MAX_LENGTH",
    "INVITE_MAX_DAYS",
    "INVITE_MAX_USES",
    "MAX_PENDING_CIRCLES_PER_USER",
    "MUTE_MAX_DAYS",
    "NAME_MAX_LENGTH",
    "NAME_MIN_LENGTH",
    "archive_circle",
    "create_circle",
    "create_invite",
    "delete_chat_message",
    "deletion_payload",
    "delivery_payload",
    "ensure_not_muted_in",
    "join_by_invite_code",
    "join_circle",
    "leave_circle",
    "mute_member",
    "remove_member",
    "review_chat_message",
    "review_circle",
    "review_join_request",
    "revoke_invite",
    "send_chat_message",
    "set_circle_cover",
    "set_member_role",
    "transfer_host",
    "unban_member",
    "update_circle",
    "use_invite",
]
