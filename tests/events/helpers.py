"""GraphQL documents shared by the events tests."""

from __future__ import annotations

from tests.helpers import ERRORS

EVENT_FIELDS = (
    "id title kind origin status capacity maxGuestsPerSignup confirmedSeats seatsLeft waitlistCount "
    "startsAt endsAt city circle { id name } organizer { nickname }"
)
SIGNUP_FIELDS = (
    "id status guests waitlistPosition checkedInAt user { nickname } "
    "event { id confirmedSeats seatsLeft waitlistCount }"
)

CREATE = f"""
mutation($input: CreateEventInput!) {{ createEvent(input: $input) {{ event {{ {EVENT_FIELDS} }} {ERRORS} }} }}"""
PUBLISH = f"""
mutation($input: EventIdInput!) {{ publishEvent(input: $input) {{ event {{ id status }} {ERRORS} }} }}"""
CANCEL_EVENT = f"""
mutation($input: CancelEventInput!) {{
  cancelEvent(input: $input) {{ event {{ id status confirmedSeats waitlistCount }} {ERRORS} }}
}}"""
SIGN_UP = f"""
mutation($input: SignUpForEventInput!) {{
  signUpForEvent(input: $input) {{ signup {{ {SIGNUP_FIELDS} }} {ERRORS} }}
}}"""
CANCEL_SIGNUP = f"""
mutation($input: CancelSignupInput!) {{ cancelSignup(input: $input) {{ signup {{ {SIGNUP_FIELDS} }} {ERRORS} }} }}"""
CHECK_IN = f"""
mutation($input: CheckInInput!) {{ checkIn(input: $input) {{ signup {{ {SIGNUP_FIELDS} }} {ERRORS} }} }}"""
MARK = f"""
mutation($input: MarkAttendanceInput!) {{
  markAttendance(input: $input) {{ signup {{ {SIGNUP_FIELDS} }} {ERRORS} }}
}}"""
