"""GraphQL documents and small helpers shared by the circles tests."""

from __future__ import annotations

from tests.helpers import ERRORS

CIRCLE_FIELDS = (
    "id name status kind city joinPolicy visibility memberCount host { nickname } viewerMembership { role status }"
)
MEMBERSHIP_FIELDS = "id role status joinedAt user { nickname } circle { id memberCount }"

CREATE_CIRCLE = f"""
mutation($input: CreateCircleInput!) {{ createCircle(input: $input) {{ circle {{ {CIRCLE_FIELDS} }} {ERRORS} }} }}"""
REVIEW_CIRCLE = f"""
mutation($input: ReviewCircleInput!) {{ reviewCircle(input: $input) {{ circle {{ id status }} {ERRORS} }} }}"""
UPDATE_CIRCLE = f"""
mutation($input: UpdateCircleInput!) {{
  updateCircle(input: $input) {{ circle {{ id description joinPolicy visibility city }} {ERRORS} }}
}}"""
JOIN = f"""
mutation($input: JoinCircleInput!) {{
  joinCircle(input: $input) {{ membership {{ {MEMBERSHIP_FIELDS} }} {ERRORS} }}
}}"""
LEAVE = f"""
mutation($input: CircleIdInput!) {{ leaveCircle(input: $input) {{ membership {{ {MEMBERSHIP_FIELDS} }} {ERRORS} }} }}"""
REVIEW_REQUEST = f"""
mutation($input: ReviewJoinRequestInput!) {{
  reviewJoinRequest(input: $input) {{ membership {{ {MEMBERSHIP_FIELDS} }} {ERRORS} }}
}}"""
SET_ROLE = f"""
mutation($input: SetMemberRoleInput!) {{
  setMemberRole(input: $input) {{ membership {{ {MEMBERSHIP_FIELDS} }} {ERRORS} }}
}}"""
REMOVE = f"""
mutation($input: RemoveMemberInput!) {{
  removeMember(input: $input) {{ membership {{ {MEMBERSHIP_FIELDS} }} {ERRORS} }}
}}"""
UNBAN = f"""
mutation($input: MembershipIdInput!) {{
  unbanMember(input: $input) {{ membership {{ id status }} {ERRORS} }}
}}"""
MUTE = f"""
mutation($input: MuteMemberInput!) {{ muteMember(input: $input) {{ membership {{ id mutedUntil }} {ERRORS} }} }}"""
TRANSFER = f"""
mutation($input: TransferHostInput!) {{
  transferHost(input: $input) {{ membership {{ {MEMBERSHIP_FIELDS} }} {ERRORS} }}
}}"""
CREATE_INVITE = f"""
mutation($input: CreateInviteInput!) {{
  createInvite(input: $input) {{ invite {{ code maxUses uses expiresAt circle {{ id }} }} {ERRORS} }}
}}"""
SEND = f"""
mutation($input: SendChatMessageInput!) {{
  sendChatMessage(input: $input) {{
    message {{ id body pendingReview createdAt author {{ nickname }} circle {{ id }} replyTo {{ id body }} }}
    {ERRORS}
  }}
}}"""
CIRCLE = f"query($id: ID!) {{ circle(id: $id) {{ {CIRCLE_FIELDS} }} }}"

# The chat subscription, with what the chat screen shows of each message.
CHAT_MESSAGES = """subscription($circleId: ID!) {
  chatMessages(circleId: $circleId) { body author { nickname } circle { name } replyTo { body } }
}"""
