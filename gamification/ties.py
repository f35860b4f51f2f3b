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
from community.kernel.activity import on_activities, on_activity, record_activity
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
    # Which activity caused it and when it happened (`apply`'s arguments when not given): a batch of
    # activities applies its interactions together.
    activity_id: int | None = None
    at: datetime | None = None

    @property
    def pair(self) -> tuple[int, int]:
        return (self.a, self.b) if self.a < self.b else (self.b, self.a)


# Rows per INSERT or locking read: SQLite takes at most 32,766 parameters a statement.
CHUNK = 2000
# Past this many interactions the read of causes applied before costs more than the insert-or-ignore
# it would spare (which skips them as well).
PRECHECK_LIMIT = 500


def apply(
    interactions: list[Interaction], *, activity: Activity | None = None, now: datetime | None = None
) -> list[Tie]:
    """Add each interaction (which happened at its `at`, else `now`) not applied before to its pair's
    tie; returns the ties that changed. A whole batch of activities' interactions can go in one call.

    A handful of queries whatever the number of pairs: one to find causes already applied (for small
    calls), one insert-or-ignore of the new causes (a concurrent twin's are skipped, never an
    IntegrityError), one read of the ties, one locking read in id order (plus an insert-or-ignore of the
    new ties) and one batch of updates. Causes are inserted sorted by (pair, key) and ties locked in id
    order, so two workers applying overlapping batches wait for each other instead of deadlocking.
    """
    now = now or timezone.now()
    by_key: dict[tuple[int, int, str], Interaction] = {}
    for item in interactions:
        if item.a and item.b and item.a != item.b:
            if item.at is None:
                item.at = now
            if item.activity_id is None and activity is not None:
                item.activity_id = activity.pk
            by_key.setdefault((*item.pair, item.key), item)
    if not by_key:
        return []
    done: set[tuple[int, int, str]] = set()
    if len(by_key) <= PRECHECK_LIMIT:
        # IN lists rather than an OR of one term per cause (which the ORM compiles term by term): the
        # unique index (user_low, user_high, key) still answers it; what else matches is dropped here.
        done = set(
            TieEvent.objects.filter(
                user_low_id__in={low for low, _h, _k in by_key},
                user_high_id__in={high for _l, high, _k in by_key},
                key__in={key for _l, _h, key in by_key},
            ).values_list("user_low_id", "user_high_id", "key")
        ) & set(by_key)
    candidates = [by_key[k] for k in sorted(by_key) if k not in done]
    if not candidates:
        return []
    # Insert-or-ignore: a concurrent twin (the same cause from another copy of the activity, or the
    # other attendee's) inserted meanwhile is skipped, not an IntegrityError; only what this call
    # inserted adds to the ties.
    inserted = _insert_new_events(candidates)
    fresh = [item for item in candidates if (*item.pair, item.key) in inserted]
    if not fresh:
        return []
    fresh.sort(key=lambda item: (item.at, item.activity_id or 0))  # applied in the order they happened
    pairs = {i.pair for i in fresh}
    current = max(timezone.now(), max(item.at for item in fresh))
    first_at: dict[tuple[int, int], datetime] = {}
    for item in fresh:
        first_at.setdefault(item.pair, item.at)
    ties = _locked_ties(pairs, first_at, current)
    reached: dict[tuple[int, int], tuple[Tie, set[str], datetime]] = {}
    for item in fresh:
        tie = ties[item.pair]
        # Stated as of the current moment; the new weight decayed from when it happened.
        factor = decay_factor(tie.updated_at, current)
        before = tie.strength * factor
        tie.raw_strength = tie.raw_strength * factor + item.weight * decay_factor(item.at, current)
        tie.updated_at = max(tie.updated_at, current)
        tie.low_acted = tie.low_acted or tie.user_low_id in item.acted
        tie.high_acted = tie.high_acted or tie.user_high_id in item.acted
        tie.strength = shown_strength(tie.raw_strength, tie.reciprocal)
        if item.shared_event:
            tie.shared_events += 1
        if item.weight and item.acted:
            tie.last_interaction_at = max(tie.last_interaction_at or item.at, item.at)
        levels = {name for floor, name in LEVELS if floor > 0 and before < floor <= tie.strength}
        if levels:
            reached.setdefault(item.pair, (tie, set(), item.at))[1].update(levels)
    existing = sorted(ties.values(), key=lambda tie: tie.pk)
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
        _record_levels(reached)
    return existing


def _rows(types: list[str], rows: list[tuple]) -> tuple[str, list]:
    """Rows as a relation for one statement: on PostgreSQL `SELECT * FROM unnest(...)` over one array per
    column (a handful of parameters however many rows: the driver's parsing of thousands of placeholders
    cost more than the database spent on the statement), elsewhere `VALUES (...), ...`."""
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        return f"SELECT * FROM unnest({arrays})", [list(column) for column in zip(*rows, strict=True)]
    one = f"({', '.join(['%s'] * len(types))})"
    return f"VALUES {', '.join([one] * len(rows))}", [value for row in rows for value in row]


def _chunks(rows: list) -> list[list]:
    """One chunk on PostgreSQL (arrays), chunks of CHUNK rows elsewhere (SQLite's parameter limit)."""
    size = len(rows) if connection.vendor == "postgresql" else CHUNK
    return [rows[start : start + size] for start in range(0, len(rows), size or 1)]


def _types(model, *names: str) -> list[str]:
    fields = [model._meta.get_field(name) for name in names]
    return [field.rel_db_type(connection) if field.is_relation else field.db_type(connection) for field in fields]


def _update_ties(ties: list[Tie], fields: list[str]) -> None:
    """The ties' new values, in id order. On PostgreSQL one `UPDATE ... FROM unnest(...)` (a batch of
    sign-ups changes thousands of ties: one statement per tie was most of a batch's time); elsewhere one
    UPDATE per tie sent together (executemany). The ORM's bulk_update builds a CASE per field and row,
    which costs more to compile than the database spends running it."""
    ops = connection.ops
    columns = [Tie._meta.get_field(name) for name in fields]
    table, pk = ops.quote_name(Tie._meta.db_table), ops.quote_name(Tie._meta.pk.column)
    rows = [
        (tie.pk, *(field.get_db_prep_save(getattr(tie, field.attname), connection) for field in columns))
        for tie in ties
    ]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sql = (
                f"UPDATE {table} SET "
                + ", ".join(f"{ops.quote_name(field.column)} = %s" for field in columns)
                + f" WHERE {pk} = %s"
            )
            cursor.executemany(sql, [[*row[1:], row[0]] for row in rows])
            return
        relation, params = _rows([Tie._meta.pk.rel_db_type(connection), *_types(Tie, *fields)], rows)
        names = ", ".join(["id", *(f"v{i}" for i in range(len(columns)))])
        assignments = ", ".join(f"{ops.quote_name(field.column)} = v.v{i}" for i, field in enumerate(columns))
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM ({relation}) AS v({names}) WHERE {table}.{pk} = v.id", params
        )


def _pairs_where(pairs: list[tuple[int, int]]) -> tuple[str, list]:
    relation, params = _rows(_types(Tie, "user_low", "user_high"), pairs)
    return f"(user_low_id, user_high_id) IN ({relation})", params


def _tie_ids(pairs: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """The ids of the pairs' ties that exist (no lock)."""
    found: dict[tuple[int, int], int] = {}
    for chunk in _chunks(pairs):
        where, params = _pairs_where(chunk)
        rows = Tie.objects.extra(where=[where], params=params)
        found.update({(low, high): pk for pk, low, high in rows.values_list("pk", "user_low_id", "user_high_id")})
    return found


def _lock_by_id(ids: list[int]) -> dict[tuple[int, int], Tie]:
    locked: dict[tuple[int, int], Tie] = {}
    for chunk in _chunks(sorted(ids)):
        if connection.vendor == "postgresql":
            rows = Tie.objects.extra(where=["id = ANY(%s)"], params=[chunk])
        else:
            rows = Tie.objects.filter(pk__in=chunk)
        for tie in rows.select_for_update().order_by("id"):
            locked[(tie.user_low_id, tie.user_high_id)] = tie
    return locked


def _locked_ties(
    pairs: set[tuple[int, int]], first_at: dict[tuple[int, int], datetime], current: datetime
) -> dict[tuple[int, int], Tie]:
    """The pairs' ties, locked: the existing ones in id order, then the new ones inserted sorted by pair
    (insert-or-ignore: a twin's concurrent insert of the same tie is skipped, then locked as well)."""
    ordered = sorted(pairs)
    ties = _lock_by_id(list(_tie_ids(ordered).values()))
    missing = [pair for pair in ordered if pair not in ties]
    if missing:
        table = connection.ops.quote_name(Tie._meta.db_table)
        names = ["user_low", "user_high", "raw_strength", "strength", "low_acted", "high_acted"]
        names += ["shared_events", "created_at", "updated_at"]
        at = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            for chunk in _chunks(missing):
                relation, params = _rows(
                    _types(Tie, *names),
                    [
                        (low, high, 0.0, 0.0, False, False, 0, at(first_at[(low, high)]), at(current))
                        for low, high in chunk
                    ],
                )
                columns = ", ".join(Tie._meta.get_field(name).column for name in names)
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) {relation} ON CONFLICT (user_low_id, user_high_id) DO NOTHING",
                    params,
                )
        ties.update(_lock_by_id(list(_tie_ids(missing).values())))
    return ties


def _insert_new_events(items: list[Interaction]) -> set[tuple[int, int, str]]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING, in the items' order (sorted by the caller): the
    (low, high, key) of the rows this call inserted."""
    table = connection.ops.quote_name(TieEvent._meta.db_table)
    inserted: set[tuple[int, int, str]] = set()
    at = connection.ops.adapt_datetimefield_value
    types = _types(TieEvent, "user_low", "user_high", "key", "weight", "activity", "created_at")
    with connection.cursor() as cursor:
        for chunk in _chunks(items):
            relation, params = _rows(
                types, [(i.pair[0], i.pair[1], i.key, i.weight, i.activity_id, at(i.at)) for i in chunk]
            )
            cursor.execute(
                f"INSERT INTO {table} (user_low_id, user_high_id, key, weight, activity_id, created_at) "
                f"{relation} ON CONFLICT (user_low_id, user_high_id, key) DO NOTHING "
                "RETURNING user_low_id, user_high_id, key",
                params,
            )
            inserted.update((low, high, key) for low, high, key in cursor.fetchall())
    return inserted


def strong_tie_count(user_id: int) -> int:
    return Tie.objects.filter(Q(user_low_id=user_id) | Q(user_high_id=user_id), strength__gte=STRONG_AT).count()


def _record_levels(reached: dict[tuple[int, int], tuple[Tie, set[str], datetime]]) -> None:
    """Milestones first reached (under the ties' row locks, so no concurrent twin), and the activities
    of reaching FRIEND and STRONG for both users."""
    pair_q = Q()
    for low, high in reached:
        pair_q |= Q(user_low_id=low, user_high_id=high)
    known = set(TieMilestone.objects.filter(pair_q).values_list("user_low_id", "user_high_id", "level"))
    TieMilestone.objects.bulk_create(
        [
            TieMilestone(user_low_id=low, user_high_id=high, level=level, reached_at=at)
            for (low, high), (_tie, levels, at) in reached.items()
            for level in sorted(levels)
            if (low, high, level) not in known
        ]
    )
    user_ids = {user_id for pair in reached for user_id in pair}
    users = User.objects.in_bulk(user_ids)
    for (low, high), (_tie, levels, _at) in reached.items():
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
    return take_back_many([(user_id, key)], now=now)


def take_back_many(causes: list[tuple[int, str]], *, now: datetime | None = None) -> int:
    """`take_back` for several (user, key) causes at once (a batch of cancellations): one locking read of
    the causes, one delete, one locking read of the ties and one update, whatever their number.

    `apply`'s lock order: the causes first, sorted by (pair, key), then the ties in id order, so a
    take-back and an `apply` on the same ties wait for each other instead of deadlocking."""
    now = now or timezone.now()
    causes = sorted(set(causes))
    if not causes:
        return 0
    cause_q = Q()
    for user_id, key in causes:
        cause_q |= Q(user_low_id=user_id, key=key) | Q(user_high_id=user_id, key=key)
    events = list(TieEvent.objects.select_for_update().filter(cause_q).order_by("user_low_id", "user_high_id", "key"))
    if not events:
        return 0
    TieEvent.objects.filter(pk__in=[event.pk for event in events]).delete()
    pairs = sorted({(event.user_low_id, event.user_high_id) for event in events})
    ties = _lock_by_id(list(_tie_ids(pairs).values()))
    remaining: set[tuple[int, int]] = set()
    for chunk in _chunks(pairs):
        where, params = _pairs_where(chunk)
        remaining.update(
            TieEvent.objects.extra(where=[where], params=params).values_list("user_low_id", "user_high_id").distinct()
        )
    current = max(timezone.now(), now)
    changed: dict[int, Tie] = {}
    emptied: set[int] = set()
    for event in events:
        tie = ties.get((event.user_low_id, event.user_high_id))
        if tie is None:
            continue
        if (tie.user_low_id, tie.user_high_id) not in remaining:
            emptied.add(tie.pk)
            continue
        raw = tie.raw_strength * decay_factor(tie.updated_at, current)
        tie.raw_strength = max(0.0, raw - event.weight * decay_factor(event.created_at, current))
        tie.updated_at = max(tie.updated_at, current)
        tie.strength = shown_strength(tie.raw_strength, tie.reciprocal)
        if event.key.startswith("attended:") and tie.shared_events:
            tie.shared_events -= 1
        changed[tie.pk] = tie
    if changed:
        _update_ties(
            sorted(changed.values(), key=lambda tie: tie.pk),
            ["raw_strength", "strength", "shared_events", "updated_at"],
        )
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
    return _last_word(rows, verb, limit)


def _last_word(rows, verb: str, limit: int) -> list[int]:
    """From (actor, verb) rows newest first: the actors whose newest row is `verb`, at most `limit`."""
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


@on_activities(Verb.EVENT_SIGNED_UP)
def signed_up_together(activities: list[Activity]) -> None:
    """A batch of sign-ups: each with the MAX_CO_SIGNUPS others last signed up for the same event (as
    `_co_participants` finds them), one read of the event's sign-ups per event and one `apply` for the
    whole batch."""
    by_event: dict[tuple[int, int], list[Activity]] = {}
    for activity in activities:
        if activity.target_id is not None:
            by_event.setdefault((activity.target_type_id, activity.target_id), []).append(activity)
    interactions: list[Interaction] = []
    window = MAX_CO_SIGNUPS * 4
    for (type_id, target_id), signups in by_event.items():
        # The event's newest sign-ups and cancellations, enough for every actor of the batch to find its
        # window after leaving out its own rows; an actor with more of its own rows than that asks alone.
        cap = window + len(signups) + 8
        rows = list(
            Activity.objects.filter(
                verb__in=[Verb.EVENT_SIGNED_UP, Verb.EVENT_SIGNUP_CANCELLED],
                target_type_id=type_id,
                target_id=target_id,
            )
            .order_by("-id")
            .values_list("actor_id", "verb")[:cap]
        )
        for activity in signups:
            me = activity.actor_id
            others = [row for row in rows if row[0] != me]
            if len(rows) == cap and len(others) < window:
                co = _co_participants(activity, Verb.EVENT_SIGNED_UP, Verb.EVENT_SIGNUP_CANCELLED, MAX_CO_SIGNUPS)
            else:
                co = _last_word(others[:window], Verb.EVENT_SIGNED_UP, MAX_CO_SIGNUPS)
            key = signed_up_key(activity)
            interactions += [
                Interaction(
                    me,
                    other,
                    key,
                    Weight.SIGNED_UP_TOGETHER,
                    frozenset({me, other}),
                    activity_id=activity.pk,
                    at=activity.created_at,
                )
                for other in co
            ]
    apply(interactions)


@on_activity(Verb.EVENT_ATTENDANCE_REVOKED)
def attendance_taken_back(activity: Activity) -> None:
    if activity.target_id is not None:
        take_back(user_id=activity.actor_id, key=attended_key(activity), now=activity.created_at)


@on_activities(Verb.EVENT_SIGNUP_CANCELLED)
def signup_taken_back(activities: list[Activity]) -> None:
    """A batch of cancellations takes their sign-ups' weight back together."""
    causes = [(a.actor_id, signed_up_key(a)) for a in activities if a.target_id is not None]
    if causes:
        take_back_many(causes, now=max(a.created_at for a in activities))


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
