"""The codes gamification shares with the rest of the product: rule codes and badge codes (verbs: kernel).

Rule and badge rows are seeded by migrations with these codes; brand staff edit everything about
them except the code, which is how the code finds them.
"""


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
