"""Consumers of the activity stream that belong to circles: the notifications hosts and members get.

They run after commit (in Celery where it runs) and are idempotent: `notify` creates one
notification per activity and recipient.
"""

from __future__ import annotations

from circles.models import Circle, Membership
from community.kernel.activity import on_activity
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import User
from community.notifications.services import notify_of


def _circle(activity: Activity) -> Circle | None:
    return Circle.objects.filter(pk=activity.circle_id).first()


def _managers(circle: Circle):
    return Membership.objects.filter(
        circle=circle, status=Membership.Status.ACTIVE, role__in=Membership.MANAGER_ROLES
    ).values_list("user_id", flat=True)


@on_activity(Verb.CIRCLE_JOIN_REQUESTED)
def notify_join_requested(activity: Activity) -> None:
    """Everyone who can approve hears of a request, while it is still pending."""
    circle = _circle(activity)
    request = Membership.objects.filter(pk=activity.target_id, status=Membership.Status.PENDING).first()
    if circle is None or request is None:
        return
    notify_of(activity, _managers(circle), NotificationVerb.JOIN_REQUESTED, target=circle, data={"circle": circle.name})


@on_activity(Verb.CIRCLE_JOINED)
def notify_join_approved(activity: Activity) -> None:
    data = activity.data or {}
    if data.get("via") != "approval":
        return
    circle = _circle(activity)
    if circle is None:
        return
    notify_of(
        activity,
        [activity.actor_id],
        NotificationVerb.JOIN_APPROVED,
        target=circle,
        data={"circle": circle.name},
        actor=User.objects.filter(pk=data.get("approved_by")).first(),
    )


@on_activity(Verb.CIRCLE_ROLE_CHANGED)
def notify_role_changed(activity: Activity) -> None:
    data = activity.data or {}
    circle = _circle(activity)
    if circle is None or not data.get("member_id"):
        return
    notify_of(
        activity,
        [int(data["member_id"])],
        NotificationVerb.ROLE_CHANGED,
        target=circle,
        data={"circle": circle.name, "role": data.get("role")},
    )


@on_activity(Verb.CIRCLE_HOST_CHANGED)
def notify_host_changed(activity: Activity) -> None:
    """The new host hears their role changed; every other member hears who hosts the circle now."""
    data = activity.data or {}
    circle = _circle(activity)
    new_host = User.objects.filter(pk=data.get("new_host_id")).first()
    if circle is None or new_host is None:
        return
    notify_of(
        activity,
        [new_host.pk],
        NotificationVerb.ROLE_CHANGED,
        target=circle,
        data={"circle": circle.name, "role": Membership.Role.HOST},
    )
    members = Membership.objects.filter(circle=circle, status=Membership.Status.ACTIVE).exclude(user=new_host)
    notify_of(
        activity,
        members.values_list("user_id", flat=True).iterator(),
        NotificationVerb.ROLE_CHANGED,
        target=circle,
        data={"circle": circle.name, "event": "host_changed", "host": new_host.nickname},
    )


@on_activity(Verb.CIRCLE_APPROVED, Verb.CIRCLE_REJECTED)
def notify_circle_reviewed(activity: Activity) -> None:
    circle = _circle(activity)
    host_id = (activity.data or {}).get("host_id")
    if circle is None or not host_id:
        return
    approved = activity.verb == Verb.CIRCLE_APPROVED
    notify_of(
        activity,
        [int(host_id)],
        NotificationVerb.MODERATION,
        target=circle,
        data={"circle": circle.name, "event": "circle_approved" if approved else "circle_rejected"},
    )
