"""GraphQL for events: types, queries, mutations and the eventSeats subscription. Thin: services and
selectors hold the rules."""

from __future__ import annotations

import graphene
from channels.db import database_sync_to_async
from django.urls import reverse
from graphene import relay
from graphene_django import DjangoObjectType

from circles import selectors as circle_selectors
from circles.loaders import CircleByIdLoader, ViewerMembershipLoader
from circles.schema import viewer_membership
from community.accounts.loaders import UserByIdLoader
from community.graphql import ids
from community.graphql.enums import enum_field, plain
from community.graphql.errors import bad_input, forbidden, not_found, require_brand_viewer, unauthenticated
from community.graphql.ids import decode_argument as _decode
from community.graphql.loaders import loader, then
from community.graphql.media import absolute_url, file_url
from community.graphql.mutations import SIGNED_IN, IdempotentInput, ServiceMutation, payload, provided
from community.graphql.nodes import visible_through
from community.graphql.pagination import paginate
from community.graphql.scalars import Upload
from community.kernel.realtime import circle_access_topic, event_seats_topic
from events import selectors, services
from events.loaders import EventByIdLoader, ViewerSignupLoader, WaitlistPositionLoader
from events.models import Event, Signup
from events.services.common import seats_payload

USER = "community.schema.UserType"
CIRCLE = "circles.schema.CircleType"

EventKind = graphene.Enum("EventKind", [(v, v) for v in Event.Kind.values])
EventOrigin = graphene.Enum("EventOrigin", [(v, v) for v in Event.Origin.values])
EventStatus = graphene.Enum("EventStatus", [(v, v) for v in Event.Status.values])
SignupStatus = graphene.Enum("SignupStatus", [(v, v) for v in Signup.Status.values])


def viewer_manages(info, event: Event):
    """Whether the viewer runs the event (a bool, or a future of one batched over the page)."""
    viewer = info.context.user
    if not viewer.is_authenticated or viewer.is_brand_staff or event.circle_id is None:
        return selectors.manages(viewer, event, None)
    return then(
        loader(info, ViewerMembershipLoader).load(event.circle_id),
        lambda membership: selectors.manages(viewer, event, membership),
    )


def _managers_only(info, event: Event, value):
    def check(allowed):
        if not allowed:
            raise forbidden() if info.context.user.is_authenticated else unauthenticated()
        return value()

    return then(viewer_manages(info, event), check)


# ---------------------------------------------------------------- types


class SignupType(DjangoObjectType):
    event = graphene.Field(lambda: EventType, required=True)
    user = graphene.Field(USER, required=True)
    guests = graphene.Int(required=True)
    status = enum_field(SignupStatus, "status", required=True)
    waitlist_position = graphene.Int(description="1-based place in the waitlist while WAITLISTED, else null.")
    created_at = graphene.DateTime(required=True)
    checked_in_at = graphene.DateTime()
    promoted_at = graphene.DateTime(description="When the sign-up moved up from the waitlist.")

    class Meta:
        model = Signup
        name = "Signup"
        interfaces = (relay.Node,)
        fields = ("id",)

    get_queryset = visible_through(selectors.visible_signups)

    @staticmethod
    def resolve_event(root: Signup, info):
        if Signup.event.is_cached(root):
            return root.event
        return loader(info, EventByIdLoader).load(root.event_id)

    @staticmethod
    def resolve_user(root: Signup, info):
        if Signup.user.is_cached(root):
            return root.user
        return loader(info, UserByIdLoader).load(root.user_id)

    @staticmethod
    def resolve_waitlist_position(root: Signup, info):
        if root.status != Signup.Status.WAITLISTED:
            return None
        known = getattr(root, "known_waitlist_position", None)
        if known is not None:
            return known
        return loader(info, WaitlistPositionLoader).load(root.pk)


class SignupConnection(relay.Connection):
    class Meta:
        node = SignupType


class EventType(DjangoObjectType):
    cover_url = graphene.String(description="Its cover image (cleaned: no metadata), or null.")
    kind = enum_field(EventKind, "kind", required=True)
    origin = enum_field(EventOrigin, "origin", required=True)
    status = graphene.Field(EventStatus, required=True)
    circle = graphene.Field(CIRCLE)
    organizer = graphene.Field(USER, required=True)
    starts_at = graphene.DateTime(required=True)
    ends_at = graphene.DateTime(required=True)
    signup_opens_at = graphene.DateTime()
    signup_closes_at = graphene.DateTime()
    city = graphene.String()
    address = graphene.String()
    latitude = graphene.Float()
    longitude = graphene.Float()
    capacity = graphene.Int(required=True, description="Seats, counting each sign-up's guests.")
    max_guests_per_signup = graphene.Int(required=True)
    confirmed_seats = graphene.Int(required=True)
    seats_left = graphene.Int(required=True)
    waitlist_count = graphene.Int(required=True)
    cancel_reason = graphene.String()
    viewer_signup = graphene.Field(SignupType)
    viewer_can_manage = graphene.Boolean(
        required=True, description="The viewer is a host or co-host of the event's circle, or brand staff."
    )
    signups = graphene.Field(
        SignupConnection,
        first=graphene.Int(),
        after=graphene.String(),
        status=SignupStatus(),
        description="Circle hosts, co-hosts and brand staff only.",
    )
    check_in_code = graphene.String(
        description="Circle hosts, co-hosts and brand staff only: the code that the QR shown at the venue carries."
    )
    check_in_qr_url = graphene.String(
        description="Circle hosts, co-hosts and brand staff only (null for others): a PNG of the check-in QR code."
    )
    attendees_csv_url = graphene.String(
        description="Circle hosts, co-hosts and brand staff only (null for others): the attendee list as CSV."
    )

    class Meta:
        model = Event
        name = "Event"
        interfaces = (relay.Node,)
        fields = ("id", "title", "description", "created_at")

    get_queryset = visible_through(selectors.visible_events)

    @staticmethod
    def resolve_cover_url(root: Event, info):
        return file_url(info, root.cover)

    @staticmethod
    def resolve_status(root: Event, info):
        return plain(root.effective_status())

    @staticmethod
    def resolve_circle(root: Event, info):
        if root.circle_id is None:
            return None
        if Event.circle.is_cached(root):
            return root.circle
        return loader(info, CircleByIdLoader).load(root.circle_id)

    @staticmethod
    def resolve_organizer(root: Event, info):
        if Event.organizer.is_cached(root):
            return root.organizer
        return loader(info, UserByIdLoader).load(root.organizer_id)

    @staticmethod
    def resolve_city(root: Event, info):
        return root.city or None

    @staticmethod
    def resolve_address(root: Event, info):
        return root.address or None

    @staticmethod
    def resolve_seats_left(root: Event, info):
        return root.seats_left

    @staticmethod
    def resolve_cancel_reason(root: Event, info):
        return root.cancel_reason or None

    @staticmethod
    def resolve_viewer_signup(root: Event, info):
        if not info.context.user.is_authenticated:
            return None
        return loader(info, ViewerSignupLoader).load(root.pk)

    @staticmethod
    def resolve_viewer_can_manage(root: Event, info):
        return viewer_manages(info, root)

    @staticmethod
    def resolve_signups(root: Event, info, first=None, after=None, status=None):
        return _managers_only(
            info,
            root,
            lambda: paginate(
                selectors.event_signups(root, status=plain(status)),
                SignupConnection,
                first=first,
                after=after,
                ordering=selectors.SIGNUP_ORDERING,
            ),
        )

    @staticmethod
    def resolve_check_in_code(root: Event, info):
        return _managers_only(info, root, lambda: root.check_in_code)

    @staticmethod
    def resolve_check_in_qr_url(root: Event, info):
        path = reverse("event-check-in-qr", args=[root.pk])
        return then(viewer_manages(info, root), lambda ok: absolute_url(info, path) if ok else None)

    @staticmethod
    def resolve_attendees_csv_url(root: Event, info):
        path = reverse("event-attendees-csv", args=[root.pk])
        return then(viewer_manages(info, root), lambda ok: absolute_url(info, path) if ok else None)


class EventConnection(relay.Connection):
    class Meta:
        node = EventType


class EventSeats(graphene.ObjectType):
    event_id = graphene.ID(required=True)
    confirmed_seats = graphene.Int(required=True)
    seats_left = graphene.Int(required=True)
    waitlist_count = graphene.Int(required=True)
    revision = graphene.Int(description="Grows with every change: the client's resume cursor (afterRevision).")

    @staticmethod
    def from_payload(payload: dict) -> EventSeats:
        return EventSeats(
            revision=payload.get("revision"),
            event_id=ids.encode("Event", payload["eventId"]),
            confirmed_seats=payload["confirmedSeats"],
            seats_left=payload["seatsLeft"],
            waitlist_count=payload["waitlistCount"],
        )


class EventOriginStats(graphene.ObjectType):
    origin = graphene.Field(EventOrigin, required=True)
    events = graphene.Int(required=True)
    signups = graphene.Int(required=True)
    fill_rate = graphene.Float(required=True)
    attendance_rate = graphene.Float(required=True)
    no_show_rate = graphene.Float(required=True)
    repeat_attendee_rate = graphene.Float(required=True)
    new_ties_per_attendee = graphene.Float(
        required=True,
        description="Per attendance: co-attendees with whom the attendee's tie was formed or first reached a higher "
        "level, from check-in opening to 30 days after the event.",
    )
    posts_per_event = graphene.Float(required=True)
    post_interactions = graphene.Int(
        required=True, description="Likes and comments on the published posts linked to these events."
    )
    interactions_per_post = graphene.Float(required=True)


class EventComparison(graphene.ObjectType):
    host = graphene.Field(EventOriginStats, required=True)
    brand = graphene.Field(EventOriginStats, required=True)


def _stats(stats: selectors.OriginStats) -> EventOriginStats:
    return EventOriginStats(
        origin=plain(stats.origin),
        events=stats.events,
        signups=stats.signups,
        fill_rate=stats.fill_rate,
        attendance_rate=stats.attendance_rate,
        no_show_rate=stats.no_show_rate,
        repeat_attendee_rate=stats.repeat_attendee_rate,
        new_ties_per_attendee=stats.new_ties_per_attendee,
        posts_per_event=stats.posts_per_event,
        post_interactions=stats.post_interactions,
        interactions_per_post=stats.interactions_per_post,
    )


def events_connection(info, queryset, ordering, first=None, after=None):
    return paginate(queryset, EventConnection, first=first, after=after, ordering=ordering)


def resolve_circle_events(circle, info, first=None, after=None, upcoming=None):
    """`Circle.events`: readable like the circle's other content (members only for a private circle)."""
    viewer = info.context.user

    def page(membership):
        if not circle_selectors.can_read_content(viewer, circle, membership):
            raise forbidden() if viewer.is_authenticated else unauthenticated()
        events, ordering = selectors.circle_events(viewer, circle, upcoming=upcoming)
        return events_connection(info, events, ordering, first=first, after=after)

    return then(viewer_membership(info, circle), page)


# ---------------------------------------------------------------- queries


class EventsQuery(graphene.ObjectType):
    events = graphene.Field(
        EventConnection,
        first=graphene.Int(),
        after=graphene.String(),
        circle_id=graphene.ID(),
        city=graphene.String(),
        upcoming=graphene.Boolean(),
        origin=EventOrigin(),
        signed_up=graphene.Boolean(
            description="Only events the viewer has signed up for (confirmed, waitlisted or attended): my events."
        ),
    )
    event = graphene.Field(EventType, id=graphene.ID(required=True))
    event_comparison = graphene.Field(
        EventComparison,
        since=graphene.DateTime(),
        until=graphene.DateTime(),
        description="Brand staff only: host-led against brand-led events.",
    )

    @staticmethod
    def resolve_events(
        root, info, first=None, after=None, circle_id=None, city=None, upcoming=None, origin=None, signed_up=None
    ):
        circle_pk = _decode(circle_id, "Circle", "circleId") if circle_id else None
        if signed_up and not info.context.user.is_authenticated:
            raise unauthenticated()
        events, ordering = selectors.list_events(
            info.context.user,
            circle_id=circle_pk,
            city=city,
            upcoming=upcoming,
            origin=plain(origin),
            signed_up=signed_up,
        )
        return events_connection(info, events, ordering, first=first, after=after)

    @staticmethod
    def resolve_event(root, info, id):
        pk = _decode(id, "Event", "id")
        viewer = info.context.user
        access, event = selectors.event_access(viewer, pk)
        if access == "not_found":
            return None
        if access == "forbidden":
            raise forbidden() if viewer.is_authenticated else unauthenticated()
        return event

    @staticmethod
    def resolve_event_comparison(root, info, since=None, until=None):
        require_brand_viewer(info)
        if since is not None and until is not None and since >= until:
            raise bad_input(str(services.PERIOD_ORDER_MESSAGE))
        stats = selectors.compare_origins(since=since, until=until)
        return EventComparison(host=_stats(stats[Event.Origin.HOST]), brand=_stats(stats[Event.Origin.BRAND]))


# ---------------------------------------------------------------- mutations


EventPayload = payload("EventPayload", event=EventType)
SignupPayload = payload("SignupPayload", signup=SignupType)


class CreateEventInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    kind = EventKind(required=True)
    circle_id = graphene.ID()
    starts_at = graphene.DateTime(required=True)
    ends_at = graphene.DateTime(required=True)
    signup_opens_at = graphene.DateTime()
    signup_closes_at = graphene.DateTime()
    city = graphene.String()
    address = graphene.String()
    latitude = graphene.Float()
    longitude = graphene.Float()
    capacity = graphene.Int(required=True)
    max_guests_per_signup = graphene.Int()
    publish = graphene.Boolean(description="Create and publish at once.")


class UpdateEventInput(graphene.InputObjectType):
    """Only the fields given change; null clears an optional one (place, sign-up window)."""

    event_id = graphene.ID(required=True)
    title = graphene.String()
    description = graphene.String()
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    signup_opens_at = graphene.DateTime()
    signup_closes_at = graphene.DateTime()
    city = graphene.String()
    address = graphene.String()
    latitude = graphene.Float()
    longitude = graphene.Float()
    capacity = graphene.Int(description="Never below the seats already confirmed; raising it seats the waitlist.")
    max_guests_per_signup = graphene.Int()


class EventIdInput(graphene.InputObjectType):
    event_id = graphene.ID(required=True)


class CancelEventInput(graphene.InputObjectType):
    event_id = graphene.ID(required=True)
    reason = graphene.String()


class SignUpForEventInput(IdempotentInput, graphene.InputObjectType):
    event_id = graphene.ID(required=True)
    guests = graphene.Int()


class CancelSignupInput(graphene.InputObjectType):
    event_id = graphene.ID(required=True)


class CheckInInput(graphene.InputObjectType):
    event_id = graphene.ID(required=True)
    code = graphene.String(required=True)


class MarkAttendanceInput(graphene.InputObjectType):
    signup_id = graphene.ID(required=True)
    attended = graphene.Boolean(required=True)


class UpdateEvent(ServiceMutation):
    Output = EventPayload
    access = SIGNED_IN
    input_type = UpdateEventInput
    service = services.update_event
    decode = {"event_id": "Event"}
    partial = True  # only what the client sent: a field absent from the input is left as it is


class SetEventCoverInput(graphene.InputObjectType):
    event_id = graphene.ID(required=True)
    image = Upload(required=True)


class SetEventCover(ServiceMutation):
    Output = EventPayload
    access = SIGNED_IN
    input_type = SetEventCoverInput
    service = services.set_event_cover
    decode = {"event_id": "Event"}


class CreateEvent(ServiceMutation):
    Output = EventPayload
    access = SIGNED_IN
    input_type = CreateEventInput
    service = services.create_event
    decode = {"circle_id": "Circle"}

    @classmethod
    def service_arguments(cls, input):
        return {**super().service_arguments(input), "publish": bool(provided(input, "publish", False))}


class PublishEvent(ServiceMutation):
    Output = EventPayload
    access = SIGNED_IN
    input_type = EventIdInput
    service = services.publish_event
    decode = {"event_id": "Event"}


class CancelEvent(ServiceMutation):
    Output = EventPayload
    access = SIGNED_IN
    input_type = CancelEventInput
    service = services.cancel_event
    decode = {"event_id": "Event"}


class SignUpForEvent(ServiceMutation):
    Output = SignupPayload
    access = SIGNED_IN
    idempotent_result = "signup"
    input_type = SignUpForEventInput
    service = services.sign_up
    decode = {"event_id": "Event"}


class CancelSignup(ServiceMutation):
    Output = SignupPayload
    access = SIGNED_IN
    input_type = CancelSignupInput
    service = services.cancel_signup
    decode = {"event_id": "Event"}


class CheckIn(ServiceMutation):
    Output = SignupPayload
    access = SIGNED_IN
    input_type = CheckInInput
    service = services.check_in
    decode = {"event_id": "Event"}


class MarkAttendance(ServiceMutation):
    Output = SignupPayload
    access = SIGNED_IN
    input_type = MarkAttendanceInput
    service = services.mark_attendance
    decode = {"signup_id": "Signup"}


class EventsMutation(graphene.ObjectType):
    create_event = CreateEvent.Field()
    set_event_cover = SetEventCover.Field(description="Its organisers: a cover image, cleaned like post photos.")
    update_event = UpdateEvent.Field(description="Its organisers: a new time or place is told to everyone signed up.")
    publish_event = PublishEvent.Field()
    cancel_event = CancelEvent.Field()
    sign_up_for_event = SignUpForEvent.Field()
    cancel_signup = CancelSignup.Field()
    check_in = CheckIn.Field()
    mark_attendance = MarkAttendance.Field()


# ---------------------------------------------------------------- the seats subscription


def _seats_now(event_id: int) -> dict | None:
    event = Event.objects.filter(pk=event_id).first()
    return seats_payload(event) if event is not None else None


async def _seat_changes(context, listener, event_id: int, after_revision: int | None):
    """Seat updates in order: one that arrives after a newer one (two commits racing) is dropped. A client
    resuming (`afterRevision`), or the channel layer back from an outage, gets the current seats first if they
    changed since. When who may read the event's circle changes (or the socket's user), the viewer is checked
    again: FORBIDDEN ends it."""
    events = listener.__aiter__()
    latest = after_revision if after_revision is not None else -1

    async def check() -> None:
        access, _event = await database_sync_to_async(selectors.event_access)(context.current_user(), event_id)
        if access != "ok":
            raise forbidden()

    try:
        if after_revision is not None:
            events = _starting_with(await database_sync_to_async(_seats_now)(event_id), events)
        async for payload in events:
            if payload.get("kind") == "access":
                await check()
                continue
            if payload.get("kind") == "resume":
                await check()
                payload = await database_sync_to_async(_seats_now)(event_id)
                if payload is None:
                    continue
            revision = int(payload.get("revision", 0))
            if revision > latest:
                latest = revision
                yield payload
    finally:
        await events.aclose()


async def _starting_with(first: dict | None, rest):
    if first is not None:
        yield first
    try:
        async for payload in rest:
            yield payload
    finally:
        await rest.aclose()


class EventsSubscription(graphene.ObjectType):
    event_seats = graphene.Field(
        graphene.NonNull(EventSeats),
        event_id=graphene.ID(required=True),
        after_revision=graphene.Int(
            description="Resume after this seats revision (the last the client saw): if the seats changed since, "
            "their current state is sent first."
        ),
        description="Every change of an event's seats: sign-ups, cancellations, promotions.",
    )

    @staticmethod
    async def subscribe_event_seats(root, info, event_id, after_revision=None):
        viewer = info.context.user
        pk = _decode(event_id, "Event", "eventId")
        access, event = await database_sync_to_async(selectors.event_access)(viewer, pk)
        if access == "not_found":
            raise not_found()
        if access == "forbidden":
            raise forbidden() if viewer.is_authenticated else unauthenticated()
        # Joined before returning, so nothing published after the subscribe message is missed.
        topics = [event_seats_topic(pk)] + ([circle_access_topic(event.circle_id)] if event.circle_id else [])
        listener = await info.context.listen(*topics)
        return _seat_changes(info.context, listener, pk, after_revision)

    @staticmethod
    def resolve_event_seats(payload, info, event_id=None, after_revision=None):
        return EventSeats.from_payload(payload)
