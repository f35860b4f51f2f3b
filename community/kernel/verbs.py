"""The one vocabulary of the product: every activity verb and every notification verb, defined once.

Services record activities with `Verb`, consumers subscribe to them with `on_activity(Verb.X)`, and
notifications carry a `NotificationVerb`; nothing spells a verb as a string literal.
"""

from django.db import models


class Verb:
    """Activity verbs, "<thing>.<past tense>". Comments say what the activity's actor, target and data hold."""

    # accounts (target: the user or the vehicle)
    REGISTERED = "user.registered"
    FOLLOWED = "user.followed"  # target: the followee
    UNFOLLOWED = "user.unfollowed"
    PROFILE_UPDATED = "user.profile_updated"  # data.fields
    VEHICLE_ADDED = "vehicle.added"
    VEHICLE_VERIFIED = "vehicle.verified"  # actor: the owner; data.verified_by

    # circles (circle_id is always set)
    CIRCLE_CREATED = "circle.created"
    CIRCLE_APPROVED = "circle.approved"
    CIRCLE_REJECTED = "circle.rejected"
    CIRCLE_UPDATED = "circle.updated"
    CIRCLE_ARCHIVED = "circle.archived"
    CIRCLE_JOIN_REQUESTED = "circle.join_requested"
    CIRCLE_JOIN_DECLINED = "circle.join_declined"
    # data.via: "open", "approval" (data.approved_by), "invite" or "register" (data.inviter_id)
    CIRCLE_JOINED = "circle.joined"
    CIRCLE_LEFT = "circle.left"
    # actor: the host, co-host or brand staff; data: member_id, banned, was_active
    CIRCLE_MEMBER_REMOVED = "circle.member_removed"
    CIRCLE_MEMBER_MUTED = "circle.member_muted"
    CIRCLE_MEMBER_UNBANNED = "circle.member_unbanned"
    CIRCLE_ROLE_CHANGED = "circle.role_changed"
    # data.reason: "transfer" or "succession"; data.previous_host_id, data.new_host_id (or data.host_id:
    # the creator of a circle brand staff approved)
    CIRCLE_HOST_CHANGED = "circle.host_changed"
    CIRCLE_INVITE_CREATED = "circle.invite_created"
    # actor: the invitee; target: the invite; data.inviter_id (referrals, points)
    CIRCLE_INVITE_ACCEPTED = "circle.invite_accepted"
    CHAT_MESSAGE_SENT = "chat.message_sent"
    CHAT_MESSAGE_REVIEWED = "chat.message_reviewed"

    # events (target: the event, unless said otherwise)
    EVENT_CREATED = "event.created"
    EVENT_PUBLISHED = "event.published"  # circle_id set: the host dashboard counts them
    EVENT_CANCELLED = "event.cancelled"  # data.reason
    EVENT_FINISHED = "event.finished"  # data.no_shows
    EVENT_SIGNED_UP = "event.signed_up"  # data: signup_id, status, guests
    EVENT_SIGNUP_CANCELLED = "event.signup_cancelled"  # data: signup_id, was
    EVENT_WAITLIST_PROMOTED = "event.waitlist_promoted"  # actor: the promoted user; data.signup_id
    EVENT_ATTENDED = "event.attended"  # actor: the attendee; data: signup_id, origin, marked_by
    EVENT_HOSTED = "event.hosted"  # actor: the organizer, once per attendee; data: attendee_id, signup_id
    EVENT_ATTENDANCE_REVOKED = "event.attendance_revoked"  # actor: the attendee; a host undid their attendance

    # content (target: the post or the comment)
    POST_CREATED = "post.created"  # data: kind, status, images, held_reason
    POST_APPROVED = "post.approved"  # data.by
    POST_HIDDEN = "post.hidden"  # data.by, data.decision
    POST_DELETED = "post.deleted"  # actor: the author; data.by: who deleted it
    POST_LIKED = "post.liked"  # data.author
    POST_UNLIKED = "post.unliked"  # data.author
    COMMENT_CREATED = "comment.created"  # data: post, post_author, parent_author, status, held_reason
    COMMENT_APPROVED = "comment.approved"
    COMMENT_HIDDEN = "comment.hidden"

    # moderation
    CONTENT_REPORTED = "content.reported"  # target: the post, comment or chat message
    USER_MUTED = "user.muted"  # actor and target: the muted user; data.days
    USER_UNMUTED = "user.unmuted"  # actor and target: the user; data.by: the staff member who lifted the mute

    # points and ties
    POINTS_CHECKED_IN = "points.checked_in"  # target: the CheckIn
    POINTS_REDEEMED = "points.redeemed"  # target: the Redemption
    # actor's tie with the target user became FRIEND / STRONG; data: other_id, level, first (the pair's
    # first time at that level: then both owners are told), and for STRONG strong_ties, the actor's count now
    TIE_BECAME_FRIEND = "tie.became_friend"
    TIE_BECAME_STRONG = "tie.became_strong"


class NotificationVerb(models.TextChoices):
    """What a notification tells its recipient; its text is rendered from the verb when it is read."""

    LIKED = "LIKED"
    COMMENTED = "COMMENTED"
    REPLIED = "REPLIED"
    MENTIONED = "MENTIONED"
    FOLLOWED = "FOLLOWED"
    JOIN_REQUESTED = "JOIN_REQUESTED"
    JOIN_APPROVED = "JOIN_APPROVED"
    ROLE_CHANGED = "ROLE_CHANGED"
    EVENT_PUBLISHED = "EVENT_PUBLISHED"
    EVENT_REMINDER = "EVENT_REMINDER"
    EVENT_CANCELLED = "EVENT_CANCELLED"
    WAITLIST_PROMOTED = "WAITLIST_PROMOTED"
    POINTS_AWARDED = "POINTS_AWARDED"
    BADGE_AWARDED = "BADGE_AWARDED"
    MODERATION = "MODERATION"
    CAMPAIGN = "CAMPAIGN"
    # a tie first reached FRIEND or STRONG (data.level); sent to both owners, once per pair and level
    TIE_MILESTONE = "TIE_MILESTONE"
