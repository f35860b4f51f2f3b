"""Plain HTTP endpoints for an event's organizers: the attendee list as CSV and the check-in QR code.

Both take the app's bearer token or the web client's session (BearerTokenMiddleware sets `request.user`)
and answer only those who run the event (`selectors.manages`: the hosts and co-hosts of its circle, brand staff).
"""

from __future__ import annotations

import io
import json

import qrcode
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from graphql_relay import to_global_id

from community.kernel.spreadsheets import SafeWriter
from events import selectors
from events.models import Event

NO_STORE = "private, no-store"


def _refusal(status: int, message: str, code: str) -> HttpResponse:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json")


def _managed_event(request, event_id: int) -> tuple[Event | None, HttpResponse | None]:
    user = request.user
    if not user.is_authenticated:
        return None, _refusal(401, _("Please sign in first."), "UNAUTHENTICATED")
    event = selectors.visible_event(user, event_id)
    if event is None:
        return None, _refusal(404, _("Event not found."), "NOT_FOUND")
    if not selectors.can_manage(user, event):
        return None, _refusal(403, _("Only the event's organizers can do this."), "FORBIDDEN")
    return event, None


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@require_GET
def attendees_csv(request, event_id: int):
    """Everyone signed up and not withdrawn, in arrival order (UTF-8 with a BOM, so Excel reads Chinese)."""
    event, refusal = _managed_event(request, event_id)
    if refusal is not None:
        return refusal
    statuses = dict(event.signups.model.Status.choices)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = SafeWriter(buffer)  # owners write their own nicknames and cities: no formulas
    writer.writerow(
        [
            _("nickname"),
            _("username"),
            _("city"),
            _("guests"),
            _("seats"),
            _("status"),
            _("signed up at"),
            _("checked in at"),
            "user_id",
        ]
    )
    for signup in selectors.attendees_for_export(event).iterator(chunk_size=500):
        user = signup.user
        writer.writerow(
            [
                user.nickname,
                user.username,
                user.city,
                signup.guests,
                signup.seats,
                str(statuses[signup.status]),
                _local(signup.created_at),
                _local(signup.checked_in_at),
                to_global_id("User", user.pk),
            ]
        )
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.csv"'
    response["Cache-Control"] = NO_STORE
    return response


def check_in_payload(event: Event) -> str:
    """What the venue's QR code carries: the event and its check-in code, for the app to call checkIn with."""
    return f"oushang://events/check-in?eventId={to_global_id('Event', event.pk)}&code={event.check_in_code}"


@require_GET
def check_in_qr(request, event_id: int):
    event, refusal = _managed_event(request, event_id)
    if refusal is not None:
        return refusal
    image = qrcode.make(check_in_payload(event), box_size=10, border=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Cache-Control"] = NO_STORE
    return response
