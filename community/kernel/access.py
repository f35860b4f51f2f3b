"""Who may act at all: the two checks every write starts with, written once.

The GraphQL mutation base applies them declaratively (`ServiceMutation.access`); services call them
too, because a service is also reached from admin, tasks and the demo seeding.
"""

from django.utils.translation import gettext_lazy as _

from community.kernel.errors import ErrorCode, ServiceError


def require_user(user):
    """The signed-in, active user; UNAUTHENTICATED otherwise."""
    if user is None or not user.is_authenticated:
        raise ServiceError(ErrorCode.UNAUTHENTICATED, _("Please sign in first."))
    return user


def require_brand_staff(user):
    """A member of the brand team; FORBIDDEN for anyone else."""
    require_user(user)
    if not user.is_brand_staff:
        raise ServiceError(ErrorCode.FORBIDDEN, _("Only brand staff can do this."))
    return user
