"""The brand team's back office for private messages: only messages held by the word filter or
reported, never whole conversations (who talks with whom stays private). Passing or hiding a held
message goes through the service, so it is delivered live and recorded."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community.admin_site import run_for_each
from community.kernel.statuses import ContentStatus
from community.messaging import services
from community.messaging.models import DirectMessage


@admin.register(DirectMessage)
class HeldOrReportedMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "sender", "short_body", "status", "held_reason", "created_at")
    list_filter = ("status",)
    fields = ("sender", "body", "status", "held_reason", "created_at")
    readonly_fields = fields
    actions = ("pass_held", "hide_held")

    def get_queryset(self, request):
        held_or_reported = Q(status=ContentStatus.PENDING_REVIEW) | Q(reports__isnull=False)
        return super().get_queryset(request).filter(held_or_reported).distinct().select_related("sender")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("message"))
    def short_body(self, message: DirectMessage) -> str:
        return message.body[:40]

    @admin.action(description=_("Deliver the selected held messages"))
    def pass_held(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset.filter(status=ContentStatus.PENDING_REVIEW),
            lambda message: services.review_direct_message(user=request.user, message_id=message.pk, publish=True),
            _("%(n)d messages delivered."),
        )

    @admin.action(description=_("Hide the selected held messages"))
    def hide_held(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset.filter(status=ContentStatus.PENDING_REVIEW),
            lambda message: services.review_direct_message(user=request.user, message_id=message.pk, publish=False),
            _("%(n)d messages hidden."),
        )
