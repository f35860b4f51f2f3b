"""The brand team's back office for events: events with their sign-up figures, sign-ups, reminders.

Changes with rules (publishing, cancelling, attendance) go through the services, so seat counters, the
waitlist and the activity stream stay right; everything else is read only here.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.admin_site import READ_ONLY, Refused, service_action
from events import services
from events.models import Event, Reminder, Signup


class UpcomingFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("upcoming")), ("past", _("past"))]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.filter(starts_at__gt=timezone.now())
        if self.value() == "past":
            return queryset.filter(starts_at__lte=timezone.now())
        return queryset


class SignupInline(Refused, admin.TabularInline):
    model = Signup
    extra = 0
    fields = ("user", "guests", "status", "created_at", "promoted_at", "checked_in_at", "cancelled_by")
    readonly_fields = fields
    ordering = ("id",)
    can_delete = False
    show_change_link = True
    refused = ("add",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Event)
class EventAdmin(Refused, admin.ModelAdmin):
    list_display = (
        "title",
        "origin",
        "kind",
        "status",
        "circle",
        "city",
        "starts_at",
        "capacity",
        "confirmed_seats",
        "waitlist_count",
        "signup_total",
        "attended_total",
        "no_show_total",
    )
    list_filter = ("status", "origin", "kind", UpcomingFilter, "city")
    search_fields = ("title", "city", "circle__name", "organizer__username", "organizer__nickname")
    date_hierarchy = "starts_at"
    raw_id_fields = ("circle", "organizer")
    list_select_related = ("circle",)
    exclude = ("check_in_code",)  # the venue's code is for the organizers' app, not the back office list
    readonly_fields = (
        "cover",  # set through setEventCover only: the photo pipeline cleans it
        "origin",
        "status",
        "circle",
        "organizer",
        "confirmed_seats",
        "waitlist_count",
        "seats_revision",
        "capacity",
        "published_at",
        "cancelled_at",
        "cancel_reason",
        "finished_at",
        "created_at",
        "updated_at",
    )
    inlines = [SignupInline]
    actions = ["publish", "cancel"]
    # Created through the app (createEvent), where every rule is checked; cancel, not delete: sign-ups and
    # figures stay.
    refused = ("add", "delete")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                signup_total=Count("signups", filter=~Q(signups__status=Signup.Status.CANCELLED)),
                attended_total=Count("signups", filter=Q(signups__status=Signup.Status.ATTENDED)),
                no_show_total=Count("signups", filter=Q(signups__status=Signup.Status.NO_SHOW)),
            )
        )

    @admin.display(description=_("sign-ups"), ordering="signup_total")
    def signup_total(self, obj):
        return obj.signup_total

    @admin.display(description=_("attended"), ordering="attended_total")
    def attended_total(self, obj):
        return obj.attended_total

    @admin.display(description=_("no-show"), ordering="no_show_total")
    def no_show_total(self, obj):
        return obj.no_show_total

    publish = service_action(
        _("Publish the selected drafts"),
        _("%(n)d events published."),
        lambda user, event: services.publish_event(user=user, event_id=event.pk),
        only=Q(status=Event.Status.DRAFT),
    )
    cancel = service_action(
        _("Cancel the selected events (everyone signed up is notified)"),
        _("%(n)d events cancelled."),
        lambda user, event: services.cancel_event(user=user, event_id=event.pk),
        only=Q(status__in=[Event.Status.DRAFT, Event.Status.PUBLISHED]),
    )


@admin.register(Signup)
class SignupAdmin(Refused, admin.ModelAdmin):
    list_display = ("event", "user", "guests", "status", "created_at", "promoted_at", "checked_in_at")
    list_filter = ("status", "event__origin", "cancelled_by")
    search_fields = ("event__title", "user__username", "user__nickname")
    date_hierarchy = "created_at"
    raw_id_fields = ("event", "user", "attendance_marked_by")
    list_select_related = ("event", "user")
    actions = ["mark_attended", "mark_not_attended"]
    refused = READ_ONLY  # statuses change through the services (the actions below, or the app)

    mark_attended = service_action(
        _("Mark the selected sign-ups as attended"),
        _("%(n)d sign-ups marked as attended."),
        lambda user, s: services.mark_attendance(user=user, signup_id=s.pk, attended=True),
    )
    mark_not_attended = service_action(
        _("Mark the selected sign-ups as not attended"),
        _("%(n)d sign-ups marked as not attended."),
        lambda user, s: services.mark_attendance(user=user, signup_id=s.pk, attended=False),
    )


@admin.register(Reminder)
class ReminderAdmin(Refused, admin.ModelAdmin):
    list_display = ("signup", "kind", "sent_at")
    list_filter = ("kind",)
    raw_id_fields = ("signup",)
    list_select_related = ("signup", "signup__event", "signup__user")
    refused = READ_ONLY
