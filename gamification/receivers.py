"""What the activity stream pays: points per verb, take-backs per verb, badges per verb.

Each is one line (or one small function) keyed by verb; the consumers registered here run after
the recording transaction commits and are idempotent (every award is keyed by its cause, every
badge unique per user), so a redelivered activity pays nothing twice.

Adding a rule for a new verb is one line in the mapping at the bottom, e.g. once content, circles
and events record their activities:

    points_for("post.created", Rule.POST_CREATED, key=target_key(Rule.POST_CREATED, "post"))
    take_back_on("post.deleted", key=target_key(Rule.POST_CREATED, "post"))
    like_key = lambda a: f"like_received:post:{a.target_id}:by:{a.actor_id}"
    points_for("post.liked", Rule.LIKE_RECEIVED, key=like_key, recipient=data_user("author"))
    take_back_on("post.unliked", key=like_key)
    points_for("circle.invite_accepted", Rule.INVITE_ACCEPTED,
               key=lambda a: f"invite_accepted:invitee:{a.actor_id}", recipient=data_user("inviter_id"))

Apps may also call `gamification.services.award_points` / `revoke_points` directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from community.kernel.activity import on_activity
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from gamification import services
from gamification.codes import BadgeCode, Rule

Recipient = Callable[[Activity], int | None]
KeyOf = Callable[[Activity], str]


def actor(activity: Activity) -> int | None:
    return activity.actor_id


def data_user(name: str) -> Recipient:
    """The user whose id the activity carries in `data[name]` (e.g. the author of a liked post)."""

    def recipient(activity: Activity) -> int | None:
        value = (activity.data or {}).get(name)
        return int(value) if value else None

    return recipient


def target_key(rule_code: str, noun: str) -> KeyOf:
    """`<rule>:<noun>:<target id>`: one payment per target (a post, an event...)."""
    return lambda activity: f"{rule_code}:{noun}:{activity.target_id}"


# ---------------------------------------------------------------- points


@dataclass(frozen=True)
class PointsFor:
    rule: str
    key: KeyOf
    recipient: Recipient = actor


AWARDS: dict[str, list[PointsFor]] = defaultdict(list)
TAKE_BACKS: dict[str, list[KeyOf]] = defaultdict(list)


def pay_for_activity(activity: Activity) -> None:
    for award in AWARDS.get(activity.verb, []):
        user_id = award.recipient(activity)
        if user_id:
            services.award_points(
                user_id=user_id,
                rule_code=award.rule,
                key=award.key(activity),
                now=activity.created_at,
                activity=activity,
            )


def take_back_for_activity(activity: Activity) -> None:
    for key in TAKE_BACKS.get(activity.verb, []):
        services.revoke_points(key=key(activity), now=activity.created_at)


def points_for(verb: str, rule: str, *, key: KeyOf, recipient: Recipient = actor) -> None:
    """When `verb` is recorded, pay `rule` to `recipient(activity)` for the cause `key(activity)`."""
    AWARDS[verb].append(PointsFor(rule=rule, key=key, recipient=recipient))
    on_activity(verb)(pay_for_activity)


def take_back_on(verb: str, *, key: KeyOf) -> None:
    """When `verb` is recorded, take back what the cause `key(activity)` earned."""
    TAKE_BACKS[verb].append(key)
    on_activity(verb)(take_back_for_activity)


# ---------------------------------------------------------------- badges

BadgeHook = Callable[[Activity], Iterator[tuple[int, str]]]
BADGE_HOOKS: dict[str, list[BadgeHook]] = defaultdict(list)


def award_badges_for_activity(activity: Activity) -> None:
    for hook in BADGE_HOOKS.get(activity.verb, []):
        for user_id, code in hook(activity):
            services.award_badge(user_id=user_id, code=code, now=activity.created_at, activity=activity)


def badges_on(*verbs: str) -> Callable[[BadgeHook], BadgeHook]:
    """Register a hook that yields `(user_id, badge_code)` pairs earned by an activity of `verbs`."""

    def register(hook: BadgeHook) -> BadgeHook:
        for verb in verbs:
            if hook not in BADGE_HOOKS[verb]:
                BADGE_HOOKS[verb].append(hook)
            on_activity(verb)(award_badges_for_activity)
        return hook

    return register


@badges_on(Verb.VEHICLE_VERIFIED)
def verified_owner(activity: Activity) -> Iterator[tuple[int, str]]:
    yield activity.actor_id, BadgeCode.VERIFIED_OWNER


@badges_on(Verb.POST_CREATED)
def first_post(activity: Activity) -> Iterator[tuple[int, str]]:
    yield activity.actor_id, BadgeCode.FIRST_POST


@badges_on(Verb.EVENT_ATTENDED)
def events_attended(activity: Activity) -> Iterator[tuple[int, str]]:
    yield activity.actor_id, BadgeCode.FIRST_EVENT
    attended = (
        Activity.objects.filter(
            actor_id=activity.actor_id, verb=Verb.EVENT_ATTENDED, target_type_id=activity.target_type_id
        )
        .values("target_id")
        .distinct()
        .count()
    )
    if attended >= 5:
        yield activity.actor_id, BadgeCode.FIVE_EVENTS


@badges_on(Verb.CIRCLE_HOST_CHANGED, Verb.CIRCLE_APPROVED)
def circle_host(activity: Activity) -> Iterator[tuple[int, str]]:
    data = activity.data or {}
    host_id = data.get("new_host_id") or data.get("host_id")
    if host_id:
        yield int(host_id), BadgeCode.CIRCLE_HOST


@badges_on(Verb.TIE_BECAME_STRONG)
def ten_strong_ties(activity: Activity) -> Iterator[tuple[int, str]]:
    if int((activity.data or {}).get("strong_ties", 0)) >= 10:
        yield activity.actor_id, BadgeCode.TEN_STRONG_TIES


# ---------------------------------------------------------------- the mapping: one line per verb

# Becoming a verified owner pays once per owner, however many vehicles they have verified.
points_for(Verb.VEHICLE_VERIFIED, Rule.VEHICLE_VERIFIED, key=lambda a: f"{Rule.VEHICLE_VERIFIED}:user:{a.actor_id}")

# Content: a post or a comment pays its author once; deleting or hiding it takes that back.
post_key = target_key(Rule.POST_CREATED, "post")
points_for(Verb.POST_CREATED, Rule.POST_CREATED, key=post_key)
take_back_on(Verb.POST_DELETED, key=post_key)
take_back_on(Verb.POST_HIDDEN, key=post_key)
comment_key = target_key(Rule.COMMENT_CREATED, "comment")
points_for(Verb.COMMENT_CREATED, Rule.COMMENT_CREATED, key=comment_key)
take_back_on(Verb.COMMENT_HIDDEN, key=comment_key)


def like_key(activity: Activity) -> str:
    return f"{Rule.LIKE_RECEIVED}:post:{activity.target_id}:by:{activity.actor_id}"


# A like pays the post's author; unliking takes it back (and liking again pays nothing more).
points_for(Verb.POST_LIKED, Rule.LIKE_RECEIVED, key=like_key, recipient=data_user("author"))
take_back_on(Verb.POST_UNLIKED, key=like_key)

# An accepted invite pays whoever made it, once per newcomer (a channel partner's referrals count).
points_for(
    Verb.CIRCLE_INVITE_ACCEPTED,
    Rule.INVITE_ACCEPTED,
    key=lambda a: f"{Rule.INVITE_ACCEPTED}:invitee:{a.actor_id}",
    recipient=data_user("inviter_id"),
)


# Events: attending pays the attendee once per event; each attendee pays the organizer (hosting), except
# the organizer's own attendance. A host undoing an attendance takes both back.
def attended_key(activity: Activity) -> str:
    return f"{Rule.EVENT_ATTENDED}:event:{activity.target_id}:user:{activity.actor_id}"


def hosted_key(attendee_id: Recipient) -> KeyOf:
    return lambda activity: f"{Rule.EVENT_HOSTED}:event:{activity.target_id}:attendee:{attendee_id(activity)}"


points_for(Verb.EVENT_ATTENDED, Rule.EVENT_ATTENDED, key=attended_key)
points_for(Verb.EVENT_HOSTED, Rule.EVENT_HOSTED, key=hosted_key(data_user("attendee_id")))
take_back_on(Verb.EVENT_ATTENDANCE_REVOKED, key=attended_key)
take_back_on(Verb.EVENT_ATTENDANCE_REVOKED, key=hosted_key(actor))
