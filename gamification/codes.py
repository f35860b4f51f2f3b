"""The names gamification shares with the rest of the product: verbs, rule codes and badge codes.

Rule and badge rows are seeded by migrations with these codes; brand staff edit everything about
them except the code, which is how the code finds them.
"""


class Verb:
    """Activity verbs. The first two are recorded here; the rest are recorded by apps still to come
    (circles, events, content, ties) and are what the badge hooks in `receivers.py` wait for."""

    CHECKED_IN = "points.checked_in"  # actor checked in; target the CheckIn
    REDEEMED = "points.redeemed"  # actor redeemed; target the Redemption

    POST_CREATED = "post.created"  # actor wrote a post; target the post
    EVENT_ATTENDED = "event.attended"  # actor attended; target the event
    # Someone became a circle's host: data["new_host_id"] (a transfer or a succession, as the circles
    # app records it) or data["host_id"] (the creator of a circle brand staff approved).
    CIRCLE_HOST_CHANGED = "circle.host_changed"
    CIRCLE_APPROVED = "circle.approved"
    # actor's tie with the target user became STRONG; data["strong_ties"] is the actor's count now.
    TIE_BECAME_STRONG = "tie.became_strong"


class Rule:
    DAILY_CHECK_IN = "daily_check_in"
    CHECK_IN_STREAK_BONUS = "check_in_streak_bonus"
    POST_CREATED = "post_created"
    COMMENT_CREATED = "comment_created"
    LIKE_RECEIVED = "like_received"
    EVENT_ATTENDED = "event_attended"
    EVENT_HOSTED = "event_hosted"
    INVITE_ACCEPTED = "invite_accepted"
    VEHICLE_VERIFIED = "vehicle_verified"


# The streak bonus is paid on every STREAK_BONUS_EVERY-th consecutive day (7, 14, 21...).
STREAK_BONUS_EVERY = 7


class BadgeCode:
    VERIFIED_OWNER = "verified_owner"
    FIRST_POST = "first_post"
    FIRST_EVENT = "first_event"
    FIVE_EVENTS = "five_events"
    CIRCLE_HOST = "circle_host"
    TEN_STRONG_TIES = "ten_strong_ties"
