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
    USER_BLOCKED = "user.blocked"  # target: the blocked user; data: unfollowed, unfollowed_by (follows removed)
    USER_UNBLOCKED = "user.unblocked"  # target: the user unblocked
    PROFILE_UPDATED = "user.profile_updated"  # data.fields
    VEHICLE_ADDED = "vehicle.added"
    VEHICLE_VERIFIED = "vehicle.verified"  # actor: the owner; data.verified_by
    # the account itself (actor and target: the user)
    PASSWORD_CHANGED = "user.password_changed"  # data.revoked: how many other tokens were revoked
    PASSWORD_RESET = "user.password_reset"  # data.revoked
    CONTACT_VERIFIED = "user.contact_verified"  # target: the contact; data.kind
    DATA_EXPORT_REQUESTED = "user.data_export_requested"  # target: the export
    ACCOUNT_DELETION_REQUESTED = "user.deletion_requested"  # data.erase_after
    ACCOUNT_DELETION_CANCELLED = "user.deletion_cancelled"
    ACCOUNT_ERASED = "user.erased"  # actor: the (now anonymous) user

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
    # actor: the author of the message; data: by (the host, co-host or brand staff who deleted it)
    CHAT_MESSAGE_DELETED = "chat.message_deleted"

    # events (target: the event, unless said otherwise)
    EVENT_CREATED = "event.created"
    # actor: the organiser who changed it; data: fields (the names changed), moved (time or place changed)
    EVENT_UPDATED = "event.updated"
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
    # actor: the author; data: status (PENDING_REVIEW when the word filter holds the new text), held_reason
    POST_EDITED = "post.edited"
    COMMENT_EDITED = "comment.edited"  # data: post, status, held_reason
    # actor: the author; data: by (who deleted it), post, removed (comments no longer counted: it and its replies)
    COMMENT_DELETED = "comment.deleted"

    # private messages (target: the direct message, or the conversation)
    # data: recipient_id, first (the conversation's first message), request (it awaits acceptance), held,
    # reply_to_author_id (the recipient, when this answers their last message: ties count it as a reply)
    DIRECT_MESSAGE_SENT = "dm.sent"
    DIRECT_MESSAGE_REVIEWED = "dm.reviewed"  # actor: brand staff; data: status, sender_id
    MESSAGE_REQUEST_ANSWERED = "dm.request_answered"  # target: the conversation; data: requester_id, accepted

    # moderation
    CONTENT_REPORTED = "content.reported"  # target: the post, comment or chat message
    USER_MUTED = "user.muted"  # actor and target: the muted user; data.days
    USER_DEACTIVATED = "user.deactivated"  # actor and target: the account; data: by (brand staff), note
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
    EVENT_CHANGED = "EVENT_CHANGED"  # the time or place of an event one signed up for changed
    WAITLIST_PROMOTED = "WAITLIST_PROMOTED"
    POINTS_AWARDED = "POINTS_AWARDED"
    BADGE_AWARDED = "BADGE_AWARDED"
    MODERATION = "MODERATION"
    CAMPAIGN = "CAMPAIGN"
    # a tie first reached FRIEND or STRONG (data.level); sent to both owners, once per pair and level
    TIE_MILESTONE = "TIE_MILESTONE"
    # the owner's data export is ready (data.url: where to download it, data.expires_at)
    DATA_EXPORT_READY = "DATA_EXPORT_READY"
    # the first message of a conversation (data.request: it is a message request to accept or decline)
    DIRECT_MESSAGE = "DIRECT_MESSAGE"
