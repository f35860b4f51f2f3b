"""Ties: from strangers to strong ties, fed by the activity stream and decayed nightly.

Weights (DESIGN.md, after Gilbert and Karahalios, CHI 2009), each added once per pair and cause
(`TieEvent` is unique per pair and key, so redelivered activities add nothing):

| cause                                   | verb                    | weight | who acted      |
| --------------------------------------- | ----------------------- | ------ | -------------- |
| attended the same event                 | `event.attended`        | 10 (*) | both           |
| signed up for the same event            | `event.signed_up`       | 2      | both           |
| commented on the other's post / comment | `comment.created` (or `comment.approved` once held) | 3 | the commenter |
| liked the other's post                  | `post.liked`            | 1      | the liker      |
| replied to the other in a circle's chat | `chat.message_sent`     | 2      | the replier    |
| follow each other (once per pair)       | `user.followed`         | 5      | both           |
| share a circle (for pairs already tied) | `circle.joined`         | 1      | nobody         |

(*) at events of up to 16 seats; at bigger ones 10 × 15 / (capacity − 1): a crowd is not a meeting.

Strength decays with a half-life of 90 days: a tie stores its strength as of `updated_at`; every
change first decays it to now, and the nightly `decay_ties` brings every row to now in one
UPDATE (running it twice changes nothing: the second run finds no time elapsed). Until both sides
have acted, the shown `strength` is capped at RECIPROCITY_CAP, just below FRIEND.

The first time a pair reaches ACQUAINTANCE, FRIEND or STRONG is kept as a `TieMilestone` (once per
pair and level, never again after a decay and a regrowth). Reaching FRIEND records `tie.became_friend`
and reaching STRONG `tie.became_strong` for both users (data: other_id, first, and for STRONG
strong_ties, their count now, which the ten-strong-ties badge listens to); a first milestone notifies
both owners (`TIE_MILESTONE`, in `gamification/tie_notifications.py`).

A revoked attendance or a cancelled sign-up takes its weight back (`take_back`): the cause is removed
from the pair's tie, decayed from when it was added, so the tie is what it would have been without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from circles.models import Membership
from community.content.models import Comment
from community.kernel.activity import on_activity, record_activity
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import Follow, User
from events.models import Event
from gamification.models import Tie, TieEvent, TieMilestone

# ---------------------------------------------------------------- levels and weights: here only

ACQUAINTANCE_AT = 5.0
FRIEND_AT = 15.0
STRONG_AT = 40.0
RECIPROCITY_CAP = 14.99  # below FRIEND until both sides have acted
HALF_LIFE_DAYS = 90.0

LEVELS: tuple[tuple[float, str], ...] = (
    (STRONG_AT, "STRONG"),
    (FRIEND_AT, "FRIEND"),
    (ACQUAINTANCE_AT, "ACQUAINTANCE"),
    (0.0, "STRANGER"),
)
LEVEL_FLOOR = {name: floor for floor, name in LEVELS}


class Weight:
    ATTENDED_TOGETHER = 10.0
    SIGNED_UP_TOGETHER = 2.0
    REPLIED = 3.0
    LIKED = 1.0
    CHAT_REPLIED = 2.0
    MUTUAL_FOLLOW = 5.0
    SHARED_CIRCLE = 1.0


# Events with more attendees than this are crowds, not meetings: co-attendance there still counts
# for the first MAX_CO_ATTENDEES others (newest first), keeping one activity's work bounded.
MAX_CO_ATTENDEES = 500
# Signing up is a weaker signal than coming: at a crowd's sign-up (a festival opening its sign-ups to
# a thousand owners at once) it counts for the MAX_CO_SIGNUPS who signed up just before, so one
# sign-up's tie work stays small enough for the consumers to keep up with a burst.
MAX_CO_SIGNUPS = 50
# Intimacy: at a gathering of up to this many seats everyone meets everyone, and attending together
# weighs ATTENDED_TOGETHER; at a bigger one the same attention is shared among more people, so the
# weight is ATTENDED_TOGETHER × INTIMATE_SEATS / (capacity − 1) (a 60-seat festival: about a quarter).
INTIMATE_SEATS = 15


def attended_together_weight(capacity: int | None) -> float:
    if not capacity or capacity - 1 <= INTIMATE_SEATS:
        return Weight.ATTENDED_TOGETHER
    return round(Weight.ATTENDED_TOGETHER * INTIMATE_SEATS / (capacity - 1), 4)


def level_of(strength: float) -> str:
    for floor, name in LEVELS:
        if strength >= floor:
            return name
    return "STRANGER"


def decay_factor(since: datetime, now: datetime) -> float:
    days = max((now - since).total_seconds(), 0.0) / 86400.0
    return 0.5 ** (days / HALF_LIFE_DAYS)


def shown_strength(raw: float, reciprocal: bool) -> float:
    return raw if reciprocal else min(raw, RECIPROCITY_CAP)


# ---------------------------------------------------------------- applying interactions


@dataclass
class Interaction:
    a: int
    b: int
    key: str
    weight: float
    acted: frozenset[int] = field(default_factory=frozenset)  # who took part on purpose
    shared_event: bool = False

    @property
    def pair(self) -> tuple[int, int]:
        return (self.a, self.b) if self.a < self.b else (self.b, self.a)


def apply(interactions: list[Interaction], *, activity: Activity | None, now: datetime) -> list[Tie]:
    """Add each interaction (which happened at `now`) not applied before to its pair's tie; returns
    the ties that changed.

    A handful of queries whatever the number of pairs: one to find causes already applied, one
    insert-or-ignore of the new causes (a concurrent twin's are skipped, never an IntegrityError),
    one locking read of the ties (two when some are new: inserted, ignoring a twin's, then locked)
    and one bulk update.
    """
    by_key: dict[tuple[int, int, str], Interaction] = {}
    for item in interactions:
        if item.a and item.b and item.a != item.b:
            by_key.setdefault((*item.pair, item.key), item)
    if not by_key:
        return []
    # IN lists rather than an OR of one term per cause (which the ORM compiles term by term): the
    # unique index (user_low, user_high, key) still answers it; what else matches is dropped here.
    done = set(
        TieEvent.objects.filter(
            user_low_id__in={low for low, _h, _k in by_key},
            user_high_id__in={high for _l, high, _k in by_key},
            key__in={key for _l, _h, key in by_key},
        ).values_list("user_low_id", "user_high_id", "key")
    ) & set(by_key)
    candidates = [item for k, item in by_key.items() if k not in done]
    if not candidates:
        return []
    # Insert-or-ignore: a concurrent twin (the same cause from another copy of the activity, or the
    # other attendee's) inserted meanwhile is skipped, not an IntegrityError; only what this call
    # inserted adds to the ties.
    inserted = _insert_new_events(candidates, activity=activity, now=now)
    fresh = [item for item in candidates if (*item.pair, item.key) in inserted]
    if not fresh:
        return []
    pairs = {i.pair for i in fresh}
    current = max(timezone.now(), now)
    ties = _locked_ties(pairs)
    missing = pairs - ties.keys()
    if missing:  # ignoring a twin's concurrent insert of the same new tie, then locking it as well
        Tie.objects.bulk_create(
            [Tie(user_low_id=low, user_high_id=high, created_at=now, updated_at=current) for low, high in missing],
            ignore_conflicts=True,
        )
        ties = _locked_ties(pairs)
    reached: dict[tuple[int, int], tuple[Tie, set[str]]] = {}
    for item in fresh:
        tie = ties[item.pair]
        # Stated as of the current moment; the new weight decayed from when it happened.
        factor = decay_factor(tie.updated_at, current)
        before = tie.strength * factor
        tie.raw_strength = tie.raw_strength * factor + item.weight * decay_factor(now, current)
        tie.updated_at = max(tie.updated_at, current)
        tie.low_acted = tie.low_acted or tie.user_low_id in item.acted
        tie.high_acted = tie.high_acted or tie.user_high_id in item.acted
        tie.strength = shown_strength(tie.raw_strength, tie.reciprocal)
        if item.shared_event:
            tie.shared_events += 1
        if item.weight and item.acted:
            tie.last_interaction_at = max(tie.last_interaction_at or now, now)
        levels = {name for floor, name in LEVELS if floor > 0 and before < floor <= tie.strength}
        if levels:
            reached.setdefault(item.pair, (tie, set()))[1].update(levels)
    existing = list(ties.values())
    fields = [
        "raw_strength",
        "strength",
        "low_acted",
        "high_acted",
        "shared_events",
        "last_interaction_at",
        "updated_at",
    ]
    if existing:
        _update_ties(existing, fields)
    if reached:
        _record_levels(reached, now)
    return list(ties.values())


def _update_ties(ties: list[Tie], fields: list[str]) -> None:
    """One UPDATE statement per tie, sent together (executemany): the ORM's bulk_update builds a CASE
    per field and row, which costs more to compile than the database spends running it."""
    ops = connection.ops
    columns = [Tie._meta.get_field(name) for name in fields]
    sql = (
        f"UPDATE {ops.quote_name(Tie._meta.db_table)} SET "
        + ", ".join(f"{ops.quote_name(field.column)} = %s" for field in columns)
        + f" WHERE {ops.quote_name(Tie._meta.pk.column)} = %s"
    )
    rows = [
        [*(field.get_db_prep_save(getattr(tie, field.attname), connection) for field in columns), tie.pk]
        for tie in ties
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _locked_ties(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Tie]:
    """The pairs' ties, locked in id order. IN lists rather than an OR of one term per pair (which the ORM
    compiles term by term): the unique index still answers it; what else matches is dropped here."""
    return {
        (t.user_low_id, t.user_high_id): t
        for t in Tie.objects.select_for_update()
        .filter(user_low_id__in={low for low, _h in pairs}, user_high_id__in={high for _l, high in pairs})
        .order_by("id")
        if (t.user_low_id, t.user_high_id) in pairs
    }


def _insert_new_events(
    items: list[Interaction], *, activity: Activity | None, now: datetime
) -> set[tuple[int, int, str]]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: the (low, high, key) of the rows this call inserted."""
    table = connection.ops.quote_name(TieEvent._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(now)
    rows = [(i.pair[0], i.pair[1], i.key, i.weight, activity.pk if activity else None, stamp) for i in items]
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
    params = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_low_id, user_high_id, key, weight, activity_id, created_at) "
            f"VALUES {placeholders} ON CONFLICT (user_low_id, user_high_id, key) DO NOTHING "
            "RETURNING user_low_id, user_high_id, key",
            params,
        )
        return {(low, high, key) for low, high, key in cursor.fetchall()}


def strong_tie_count(user_id: int) -> int:
    return Tie.objects.filter(Q(user_low_id=user_id) | Q(user_high_id=user_id), strength__gte=STRONG_AT).count()


def _record_levels(reached: dict[tuple[int, int], tuple[Tie, set[str]]], now: datetime) -> None:
    """Milestones first reached (under the ties' row locks, so no concurrent twin), and the activities
    of reaching FRIEND and STRONG for both users."""
    pair_q = Q()
    for low, high in reached:
        pair_q |= Q(user_low_id=low, user_high_id=high)
    known = set(TieMilestone.objects.filter(pair_q).values_list("user_low_id", "user_high_id", "level"))
    TieMilestone.objects.bulk_create(
        [
            TieMilestone(user_low_id=low, user_high_id=high, level=level, reached_at=now)
            for (low, high), (_tie, levels) in reached.items()
            for level in sorted(levels)
            if (low, high, level) not in known
        ]
    )
    user_ids = {user_id for pair in reached for user_id in pair}
    users = User.objects.in_bulk(user_ids)
    for (low, high), (_tie, levels) in reached.items():
        for level, verb in (("FRIEND", Verb.TIE_BECAME_FRIEND), ("STRONG", Verb.TIE_BECAME_STRONG)):
            if level not in levels:
                continue
            first = (low, high, level) not in known
            for me, other in ((low, high), (high, low)):
                data = {"other_id": other, "first": first, "level": level}
                if level == "STRONG":
                    data["strong_ties"] = strong_tie_count(me)
                record_activity(actor=users[me], verb=verb, target=users[other], data=data)


def take_back(*, user_id: int, key: str, now: datetime | None = None) -> int:
    """Remove the cause `key` from every tie of `user_id` it was added to (an attendance revoked, a
    sign-up cancelled); returns the ties changed. The weight comes off decayed from when it was added;
    a tie left with no cause at all is deleted. Milestones already reached stay (they were reached)."""
    now = now or timezone.now()
    events = list(TieEvent.objects.filter(Q(user_low_id=user_id) | Q(user_high_id=user_id), key=key))
    if not events:
        return 0
    pair_q = Q()
    for event in events:
        pair_q |= Q(user_low_id=event.user_low_id, user_high_id=event.user_high_id)
    ties = {(t.user_low_id, t.user_high_id): t for t in Tie.objects.select_for_update().filter(pair_q).order_by("id")}
    TieEvent.objects.filter(pk__in=[event.pk for event in events]).delete()
    remaining = set(TieEvent.objects.filter(pair_q).values_list("user_low_id", "user_high_id").distinct())
    current = max(timezone.now(), now)
    changed, emptied = [], []
    for event in events:
        tie = ties.get((event.user_low_id, event.user_high_id))
        if tie is None:
            continue
        if (tie.user_low_id, tie.user_high_id) not in remaining:
            emptied.append(tie.pk)
            continue
        raw = tie.raw_strength * decay_factor(tie.updated_at, current)
        tie.raw_strength = max(0.0, raw - event.weight * decay_factor(event.created_at, current))
        tie.updated_at = max(tie.updated_at, current)
        tie.strength = shown_strength(tie.raw_strength, tie.reciprocal)
        if key.startswith("attended:") and tie.shared_events:
            tie.shared_events -= 1
        changed.append(tie)
    if changed:
        Tie.objects.bulk_update(changed, ["raw_strength", "strength", "shared_events", "updated_at"])
    if emptied:
        Tie.objects.filter(pk__in=emptied).delete()
    return len(changed) + len(emptied)


# ---------------------------------------------------------------- the activity consumers


def _data(activity: Activity, name: str) -> int | None:
    value = (activity.data or {}).get(name)
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _co_participants(activity: Activity, verb: str, undone_by: str, limit: int = MAX_CO_ATTENDEES) -> list[int]:
    """The others whose last word on the same target is `verb` (not undone since by `undone_by`), newest
    first, at most `limit`: someone who withdrew or whose attendance was revoked was not there."""
    rows = (
        Activity.objects.filter(
            verb__in=[verb, undone_by], target_type_id=activity.target_type_id, target_id=activity.target_id
        )
        .exclude(actor_id=activity.actor_id)
        .order_by("-id")
        .values_list("actor_id", "verb")[: limit * 4]
    )
    last: dict[int, str] = {}
    for actor_id, row_verb in rows:
        last.setdefault(actor_id, row_verb)
    return [actor_id for actor_id, row_verb in last.items() if row_verb == verb][:limit]


@on_activity(Verb.EVENT_ATTENDED)
def attended_together(activity: Activity) -> None:
    if activity.target_id is None:
        return
    others = _co_participants(activity, Verb.EVENT_ATTENDED, Verb.EVENT_ATTENDANCE_REVOKED)
    me = activity.actor_id
    capacity = Event.objects.filter(pk=activity.target_id).values_list("capacity", flat=True).first()
    weight = attended_together_weight(capacity)
    apply(
        [
            Interaction(me, other, attended_key(activity), weight, frozenset({me, other}), shared_event=True)
            for other in others
        ],
        activity=activity,
        now=activity.created_at,
    )


def attended_key(activity: Activity) -> str:
    return f"attended:{activity.target_type_id}:{activity.target_id}"


def signed_up_key(activity: Activity) -> str:
    return f"signed_up:{activity.target_type_id}:{activity.target_id}"


@on_activity(Verb.EVENT_SIGNED_UP)
def signed_up_together(activity: Activity) -> None:
    if activity.target_id is None:
        return
    me = activity.actor_id
    apply(
        [
            Interaction(me, other, signed_up_key(activity), Weight.SIGNED_UP_TOGETHER, frozenset({me, other}))
            for other in _co_participants(activity, Verb.EVENT_SIGNED_UP, Verb.EVENT_SIGNUP_CANCELLED, MAX_CO_SIGNUPS)
        ],
        activity=activity,
        now=activity.created_at,
    )


@on_activity(Verb.EVENT_ATTENDANCE_REVOKED)
def attendance_taken_back(activity: Activity) -> None:
    if activity.target_id is not None:
        take_back(user_id=activity.actor_id, key=attended_key(activity), now=activity.created_at)


@on_activity(Verb.EVENT_SIGNUP_CANCELLED)
def signup_taken_back(activity: Activity) -> None:
    if activity.target_id is not None:
        take_back(user_id=activity.actor_id, key=signed_up_key(activity), now=activity.created_at)


@on_activity(Verb.COMMENT_CREATED)
def replied(activity: Activity) -> None:
    if (activity.data or {}).get("status") not in (None, "PUBLISHED"):
        return  # a held comment counts once brand staff approve it (`comment.approved`, below)
    _replied(
        activity,
        activity.actor_id,
        activity.target_id,
        {_data(activity, "post_author"), _data(activity, "parent_author")},
    )


@on_activity(Verb.COMMENT_APPROVED)
def replied_after_review(activity: Activity) -> None:
    comment = Comment.objects.select_related("post", "parent").filter(pk=activity.target_id).first()
    if comment is not None:
        parent_author = comment.parent.author_id if comment.parent_id else None
        _replied(activity, comment.author_id, comment.pk, {comment.post.author_id, parent_author})


def _replied(activity: Activity, me: int, comment_id: int | None, authors: set) -> None:
    # Keyed by the comment: the same comment never counts twice, whichever way it was published.
    apply(
        [
            Interaction(me, other, f"comment:{comment_id}", Weight.REPLIED, frozenset({me}))
            for other in authors - {None, me}
        ],
        activity=activity,
        now=activity.created_at,
    )


@on_activity(Verb.POST_LIKED)
def liked(activity: Activity) -> None:
    me, author = activity.actor_id, _data(activity, "author")
    if author:
        # Keyed by the post: unliking and liking again adds nothing more.
        apply(
            [Interaction(me, author, f"liked:{activity.target_id}:{me}", Weight.LIKED, frozenset({me}))],
            activity=activity,
            now=activity.created_at,
        )


@on_activity(Verb.CHAT_MESSAGE_SENT, Verb.DIRECT_MESSAGE_SENT)
def chat_replied(activity: Activity) -> None:
    """A reply in a circle's chat, or a private message answering the other's last one."""
    data = activity.data or {}
    other = _data(activity, "reply_to_author_id")
    if other and not data.get("held"):
        me = activity.actor_id
        apply(
            [Interaction(me, other, f"a:{activity.pk}", Weight.CHAT_REPLIED, frozenset({me}))],
            activity=activity,
            now=activity.created_at,
        )


@on_activity(Verb.FOLLOWED)
def followed_back(activity: Activity) -> None:
    me, other = activity.actor_id, activity.target_id
    if not other or not Follow.objects.filter(follower_id=other, followee_id=me).exists():
        return
    if not Follow.objects.filter(follower_id=me, followee_id=other).exists():
        return  # unfollowed again before this ran
    apply(
        [Interaction(me, other, "mutual_follow", Weight.MUTUAL_FOLLOW, frozenset({me, other}))],
        activity=activity,
        now=activity.created_at,
    )


@on_activity(Verb.CIRCLE_JOINED)
def shared_circle(activity: Activity) -> None:
    """Joining a circle adds 1 to the newcomer's existing ties with its active members (one query
    to find them): a circle shared with a stranger is not a tie by itself."""
    circle_id, me = activity.circle_id, activity.actor_id
    if not circle_id:
        return
    members = Membership.objects.filter(circle_id=circle_id, status=Membership.Status.ACTIVE).values("user_id")
    others = [
        tie.other_id(me)
        for tie in Tie.objects.filter(
            (Q(user_low_id=me) & Q(user_high_id__in=members)) | (Q(user_high_id=me) & Q(user_low_id__in=members))
        ).only("user_low_id", "user_high_id")
    ]
    apply(
        [Interaction(me, other, f"circle:{circle_id}", Weight.SHARED_CIRCLE) for other in others],
        activity=activity,
        now=activity.created_at,
    )


# ---------------------------------------------------------------- nightly decay


def _age_days_sql(column: str = "updated_at") -> str:
    """Days from `column` to the parameter, in SQL both PostgreSQL and SQLite accept."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM (%s - {column})) / 86400.0)"
    return f"(julianday(%s) - julianday({column}))"


def db_time(value: datetime):
    """A datetime as a raw SQL parameter: aware for PostgreSQL, Django's UTC text form for SQLite."""
    if connection.vendor == "postgresql":
        return value
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def decay_ties(now: datetime | None = None) -> int:
    """Bring every tie's strength to `now` in one UPDATE; returns the rows touched."""
    now = now or timezone.now()
    table = Tie._meta.db_table
    age = _age_days_sql()
    factor = f"POWER(0.5, {age} / {HALF_LIFE_DAYS})"
    capped = (
        f"CASE WHEN low_acted AND high_acted THEN raw_strength * {factor} "
        f"WHEN raw_strength * {factor} > {RECIPROCITY_CAP} THEN {RECIPROCITY_CAP} ELSE raw_strength * {factor} END"
    )
    sql = (
        f"UPDATE {table} SET strength = {capped}, raw_strength = raw_strength * {factor}, updated_at = %s "
        f"WHERE updated_at < %s"
    )
    params = [db_time(now)] * 6
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def tie_between(user_a: int, user_b: int) -> Tie | None:
    low, high = sorted((user_a, user_b))
    return Tie.objects.filter(user_low_id=low, user_high_id=high).first()


def level_between(user_a: int, user_b: int) -> str:
    """The pair's tie level as shown (STRANGER without a tie): what private messages ask."""
    tie = tie_between(user_a, user_b)
    return level_of(tie.strength) if tie is not None else "STRANGER"
