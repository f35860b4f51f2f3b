"""Reads of the circles app: who sees which circle and its content, lists, and the host dashboard.

Visibility, in one place:
- a circle is visible when it is ACTIVE, to its active members whatever its status (a creator sees
  their PENDING circle), and to brand staff;
- its content (members, chat) is readable on a PUBLIC ACTIVE circle by anyone, otherwise by active
  members and brand staff only: PRIVATE circles are listed, their content is not;
- join requests, bans and invites are for its hosts, co-hosts and brand staff.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import ChatMessage, Circle, Invite, Membership
from community.accounts.selectors import blocked_ids_of, without_blocked
from community.kernel.models import Activity
from community.kernel.verbs import Verb

Role = Membership.Role
Status = Membership.Status

ROLE_ORDER = Case(
    When(role=Role.HOST, then=Value(0)),
    When(role=Role.CO_HOST, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
MEMBER_ORDERING = ("role_rank", "since", "id")
MAX_DASHBOARD_WEEKS = 26


def _signed_in(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def member_circle_ids(viewer) -> QuerySet:
    """A subquery of the circles `viewer` is an active member of."""
    return Membership.objects.filter(user=viewer, status=Status.ACTIVE).values("circle_id")


def managed_circle_ids(viewer) -> QuerySet:
    """A subquery of the circles `viewer` runs (as host or co-host)."""
    return Membership.objects.filter(user=viewer, status=Status.ACTIVE, role__in=Membership.MANAGER_ROLES).values(
        "circle_id"
    )


def visible_circles(viewer) -> QuerySet[Circle]:
    if _signed_in(viewer) and viewer.is_brand_staff:
        return Circle.objects.all()
    if not _signed_in(viewer):
        return Circle.objects.filter(status=Circle.Status.ACTIVE)
    return Circle.objects.filter(Q(status=Circle.Status.ACTIVE) | Q(pk__in=member_circle_ids(viewer)))


def readable_circles_q(viewer, prefix: str = "") -> Q:
    """Circles whose content `viewer` may read, as a filter (prefix e.g. "circle__")."""
    public = Q(**{f"{prefix}status": Circle.Status.ACTIVE, f"{prefix}visibility": Circle.Visibility.PUBLIC})
    if not _signed_in(viewer):
        return public
    if viewer.is_brand_staff:
        # Every circle (an empty Q() would vanish when OR-ed with another condition).
        return Q(**{f"{prefix}pk__isnull": False})
    return public | Q(**{f"{prefix}pk__in": member_circle_ids(viewer)})


def can_read_content(viewer, circle: Circle, membership: Membership | None) -> bool:
    if circle.status == Circle.Status.ACTIVE and circle.visibility == Circle.Visibility.PUBLIC:
        return True
    if not _signed_in(viewer):
        return False
    return (membership is not None and membership.is_active) or viewer.is_brand_staff


def can_manage(viewer, membership: Membership | None) -> bool:
    if not _signed_in(viewer):
        return False
    return (membership is not None and membership.is_manager) or viewer.is_brand_staff


def moderates(viewer, circle_id: int | None) -> bool:
    """Whether `viewer` may moderate content posted in the circle (the square: brand staff only)."""
    if not _signed_in(viewer):
        return False
    if circle_id is None:
        return viewer.is_brand_staff
    return can_manage(viewer, membership_of(viewer, circle_id))


def membership_of(viewer, circle_id: int) -> Membership | None:
    if not _signed_in(viewer):
        return None
    return Membership.objects.filter(circle_id=circle_id, user=viewer).first()


def visible_memberships(viewer) -> QuerySet[Membership]:
    """Memberships `viewer` may look up by ID: active ones of readable circles, their own, and every one
    of the circles they run."""
    active_readable = readable_circles_q(viewer, "circle__") & Q(status=Status.ACTIVE)
    if not _signed_in(viewer):
        return Membership.objects.filter(active_readable)
    if viewer.is_brand_staff:
        return Membership.objects.all()
    return Membership.objects.filter(active_readable | Q(user=viewer) | Q(circle_id__in=managed_circle_ids(viewer)))


def visible_chat_messages(viewer) -> QuerySet[ChatMessage]:
    readable = without_blocked(ChatMessage.objects.filter(readable_circles_q(viewer, "circle__")), viewer)
    if _signed_in(viewer):
        # Authors see their own held messages; a message a host deleted is gone for everyone.
        return readable.filter(
            Q(status=ChatMessage.Status.PUBLISHED) | (Q(author=viewer) & ~Q(status=ChatMessage.Status.DELETED))
        )
    return readable.filter(status=ChatMessage.Status.PUBLISHED)


# ---------------------------------------------------------------- lists


def listed_circles(*, city: str | None = None, kind: str | None = None, search: str | None = None):
    """The directory: every ACTIVE circle, public and private alike (private content stays hidden)."""
    circles = Circle.objects.filter(status=Circle.Status.ACTIVE)
    if city:
        circles = circles.filter(city=city.strip())
    if kind:
        circles = circles.filter(kind=kind)
    if search and search.strip():
        circles = circles.filter(name__icontains=search.strip()[:30])
    return circles


def viewer_memberships(viewer, *, role: str | None = None, status: str = Status.ACTIVE) -> QuerySet[Membership]:
    """The viewer's own memberships ("my circles"), of circles that are live or still waiting for review."""
    if not _signed_in(viewer):
        return Membership.objects.none()
    memberships = Membership.objects.filter(
        user=viewer, status=status, circle__status__in=[Circle.Status.ACTIVE, Circle.Status.PENDING]
    ).select_related("circle", "user")
    if role:
        memberships = memberships.filter(role=role)
    return memberships


def pending_circles() -> QuerySet[Circle]:
    return Circle.objects.filter(status=Circle.Status.PENDING).select_related("created_by")


def members(circle: Circle, *, role: str | None = None, status: str = Status.ACTIVE) -> QuerySet[Membership]:
    """Hosts first, then co-hosts, then members, each longest-serving first (ordered by MEMBER_ORDERING)."""
    memberships = (
        # Deactivated accounts (deleted, awaiting erasure) are hidden from members lists.
        Membership.objects.filter(circle=circle, status=status, user__is_active=True)
        .select_related("user", "circle")
        .annotate(role_rank=ROLE_ORDER, since=Coalesce("joined_at", "created_at"))
    )
    if role:
        memberships = memberships.filter(role=role)
    return memberships


def chat_history(circle: Circle, viewer) -> QuerySet[ChatMessage]:
    messages = ChatMessage.objects.filter(circle=circle).select_related(
        "author", "circle", "reply_to", "reply_to__author"
    )
    if _signed_in(viewer):
        return without_blocked(
            messages.filter(
                Q(status=ChatMessage.Status.PUBLISHED) | (Q(author=viewer) & ~Q(status=ChatMessage.Status.DELETED))
            ),
            viewer,
        )
    return messages.filter(status=ChatMessage.Status.PUBLISHED)


def invites(circle: Circle) -> QuerySet[Invite]:
    return Invite.objects.filter(circle=circle).select_related("circle", "created_by")


def invite_problem(invite: Invite | None, *, circle_id: int | None = None, now: datetime | None = None):
    """Why an invite cannot be used now (a message), or None when it can. Reads only."""
    now = now or timezone.now()
    if invite is None or (circle_id is not None and invite.circle_id != circle_id):
        return _("This invite code is not valid.")
    if invite.revoked_at is not None:
        return _("This invite has been revoked.")
    if invite.expires_at is not None and invite.expires_at <= now:
        return _("This invite has expired.")
    if invite.max_uses is not None and invite.uses >= invite.max_uses:
        return _("This invite has been used up.")
    # An invite speaks for whoever made it: it lapses when they no longer run the circle.
    inviter = Membership.objects.filter(circle_id=invite.circle_id, user_id=invite.created_by_id).first()
    if inviter is None or not inviter.is_manager:
        return _("This invite is no longer valid.")
    return None


def invite_error(code: str | None):
    """Why `code` cannot bring someone into a circle now (a message), or None: for validating a form."""
    invite = Invite.objects.filter(code=(code or "").strip()[:64]).select_related("circle").first()
    if invite is not None and invite.circle.status != Circle.Status.ACTIVE:
        return invite_problem(None)
    return invite_problem(invite)


# ---------------------------------------------------------------- chat delivery


class _DeliveryCache:
    """The message each chat event is about, looked up once per process rather than per subscriber.

    Keyed by id and creation time, so a key can never name another message; small and short-lived.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.items: OrderedDict[tuple[int, str], ChatMessage | None] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, message_id: int, at: str) -> ChatMessage | None:
        key = (message_id, at)
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        message = (
            ChatMessage.objects.select_related("author", "circle", "reply_to", "reply_to__author")
            .filter(pk=message_id)
            .first()
        )
        if message is not None and message.created_at.isoformat() != at:
            message = None
        with self.lock:
            self.items[key] = message
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return message

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


delivery_cache = _DeliveryCache()


def chat_message_for_delivery(payload: dict) -> ChatMessage | None:
    return delivery_cache.get(int(payload["id"]), str(payload["at"]))


def deleted_chat_message_for_delivery(payload: dict) -> ChatMessage | None:
    """The message a deletion event is about, as subscribers see it now: DELETED, without its body."""
    message = delivery_cache.get(int(payload["id"]), str(payload["at"]))
    if message is None:
        return None
    gone = copy.copy(message)
    gone.status, gone.body = ChatMessage.Status.DELETED, ""
    return gone


REPLAY_LIMIT = 200  # messages per replay page
REPLAY_PAGES = 10  # a client further behind than this many pages reads the chat's history instead


def latest_chat_message_id(circle_id: int) -> int:
    """Where a live chat subscription starts: what it may have to replay comes after this."""
    return ChatMessage.objects.filter(circle_id=circle_id).order_by("-id").values_list("id", flat=True).first() or 0


def chat_deliveries_after(circle_id: int, after_id: int, limit: int | None = None) -> list[dict]:
    """The published messages after `after_id`, oldest first, as the chat topic carries them (what a resumed
    subscription replays); one query."""
    rows = (
        ChatMessage.objects.filter(circle_id=circle_id, id__gt=after_id, status=ChatMessage.Status.PUBLISHED)
        .order_by("id")
        .values_list("id", "created_at", "author_id")[: limit or REPLAY_LIMIT]
    )
    rows = list(rows)
    hidden = blocked_ids_of(sorted({author_id for _pk, _at, author_id in rows}))
    return [chat_delivery(pk, created_at, author_id, hidden[author_id]) for pk, created_at, author_id in rows]


def chat_delivery(message_id: int, created_at: datetime, author_id: int, hidden_from: set[int]) -> dict:
    """What the chat topic carries for a message: enough to find it (subscribers share one lookup), and who
    is blocked either way with its author, so that no subscriber asks the database per message (never sent
    to clients: the message is looked up for them)."""
    return {
        "kind": "message",
        "id": message_id,
        "at": created_at.isoformat(),
        "authorId": author_id,
        "hiddenFrom": sorted(hidden_from),
    }


def chat_subscription_access(viewer, circle_id: int) -> str:
    """ "ok", "not_found" (no such circle, or one the viewer may not see) or "forbidden"."""
    circle = visible_circles(viewer).filter(pk=circle_id).first()
    if circle is None:
        return "not_found"
    membership = membership_of(viewer, circle.pk)
    return "ok" if can_read_content(viewer, circle, membership) else "forbidden"


# ---------------------------------------------------------------- the host dashboard


@dataclass(frozen=True)
class WeekFigures:
    week_start: date
    joined: int
    left: int
    active_members: int = 0
    events: int = 0
    messages: int = 0


@dataclass(frozen=True)
class Dashboard:
    weeks: list[WeekFigures]
    active_members_this_week: int
    messages_this_month: int
    events_this_month: int
    pending_requests: int


def week_start(moment: datetime) -> datetime:
    """Monday 00:00, local time, of the week `moment` falls in (the dashboard's weeks)."""
    local = timezone.localtime(moment)
    monday = local.date() - timedelta(days=local.weekday())
    return timezone.make_aware(datetime.combine(monday, datetime.min.time()))


def month_start(moment: datetime) -> datetime:
    """The 1st, 00:00 local time, of the month `moment` falls in."""
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.combine(local.date().replace(day=1), datetime.min.time()))


def _per_week(rows, count) -> dict[date, int]:
    """{Monday: count} from rows grouped by a `week` truncation (a datetime, or a date on SQLite)."""
    figures: dict[date, int] = {}
    for row in rows.annotate(n=count).order_by():
        day = timezone.localtime(row["week"]).date() if isinstance(row["week"], datetime) else row["week"]
        figures[day] = figures.get(day, 0) + row["n"]
    return figures


def dashboard(circle: Circle, *, weeks: int = 8, now: datetime | None = None) -> Dashboard:
    """The figures a host watches, in the project's time zone (weeks start on Monday).

    Joins and departures come from the activity stream (a member who left and came back counts in
    both weeks); departures are voluntary leaves and removals of active members. Events are the
    `event.published` activities of the circle: 0 until the events app records them.
    """
    now = now or timezone.now()
    weeks = max(1, min(weeks, MAX_DASHBOARD_WEEKS))
    this_week = week_start(now)
    first_week = week_start(this_week - timedelta(weeks=weeks - 1))
    stream = Activity.objects.filter(circle_id=circle.pk)
    moves = (
        stream.filter(created_at__gte=first_week)
        .filter(
            Q(verb=Verb.CIRCLE_JOINED)
            | Q(verb__in=[Verb.CIRCLE_LEFT, Verb.CIRCLE_MEMBER_REMOVED], data__was_active=True)
        )
        .annotate(week=TruncWeek("created_at"))
        .values("week", "verb")
        .annotate(n=Count("id"))
    )
    joined: dict[date, int] = {}
    left: dict[date, int] = {}
    for row in moves:
        bucket = joined if row["verb"] == Verb.CIRCLE_JOINED else left
        day = timezone.localtime(row["week"]).date() if isinstance(row["week"], datetime) else row["week"]
        bucket[day] = bucket.get(day, 0) + row["n"]
    week_starts = [timezone.localtime(week_start(first_week + timedelta(weeks=i))).date() for i in range(weeks)]
    current_members = Membership.objects.filter(circle=circle, status=Status.ACTIVE).values("user_id")
    recent = stream.filter(created_at__gte=first_week)
    active_by_week = _per_week(
        recent.filter(actor__in=current_members).annotate(week=TruncWeek("created_at")).values("week"),
        Count("actor_id", distinct=True),
    )
    events_by_week = _per_week(
        recent.filter(verb=Verb.EVENT_PUBLISHED).annotate(week=TruncWeek("created_at")).values("week"), Count("id")
    )
    messages_by_week = _per_week(
        ChatMessage.objects.filter(circle=circle, status=ChatMessage.Status.PUBLISHED, created_at__gte=first_week)
        .annotate(week=TruncWeek("created_at"))
        .values("week"),
        Count("id"),
    )
    active_members = (
        stream.filter(created_at__gte=this_week, actor__in=current_members).values("actor_id").distinct().count()
    )
    month = month_start(now)
    return Dashboard(
        weeks=[
            WeekFigures(
                day,
                joined.get(day, 0),
                left.get(day, 0),
                active_members=active_by_week.get(day, 0),
                events=events_by_week.get(day, 0),
                messages=messages_by_week.get(day, 0),
            )
            for day in week_starts
        ],
        active_members_this_week=active_members,
        messages_this_month=ChatMessage.objects.filter(
            circle=circle, status=ChatMessage.Status.PUBLISHED, created_at__gte=month
        ).count(),
        events_this_month=stream.filter(verb=Verb.EVENT_PUBLISHED, created_at__gte=month).count(),
        pending_requests=Membership.objects.filter(circle=circle, status=Status.PENDING).count(),
    )
