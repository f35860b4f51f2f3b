"""GraphQL documents and small helpers shared by the circles tests."""

from __future__ import annotations

from graphql_relay import to_global_id

from tests.conftest import data_of

ERRORS = "errors { field code message }"
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


def gid(obj) -> str:
    """The global ID of a row (model names are the GraphQL type names: Circle, Membership, ChatMessage, User)."""
    return to_global_id(type(obj).__name__, obj.pk)


def run(gql, document: str, field: str, user=None, **input_fields) -> dict:
    """Run a mutation with `input`; the payload (asserting no top-level errors)."""
    return data_of(gql(document, {"input": input_fields}, user=user), field)


def codes(payload: dict) -> list[str]:
    return [error["code"] for error in payload["errors"]]
