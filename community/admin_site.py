"""The brand team's back office: open to brand staff (the `brand` group and superusers).

A page whose writes have rules says which writes it refuses (`Refused`, `READ_ONLY`) and offers its
changes as actions through the services (`service_action`), so every rule is checked where it lives.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q

from community.kernel.errors import ServiceError


class BrandLoginForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user) -> None:
        if not user.is_active or not user.is_brand_staff:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class BrandAdminSite(admin.AdminSite):
    login_form = BrandLoginForm
    site_header = "欧尚车友社区 · 品牌运营后台"
    site_title = "车友社区后台"
    index_title = "品牌运营"

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_authenticated and user.is_brand_staff


def run_for_each(model_admin, request, queryset, action, done_message) -> None:
    """An admin action through the services: `action(obj)` per selected row, reporting how many
    worked and each refusal (a ServiceError) by its message."""
    done = 0
    for obj in queryset:
        try:
            action(obj)
            done += 1
        except ServiceError as error:
            model_admin.message_user(request, f"{obj}: {error.errors[0].message}", messages.ERROR)
    if done:
        model_admin.message_user(request, done_message % {"n": done}, messages.SUCCESS)


def service_action(description, done_message, call: Callable, *, only: Q | None = None, name: str | None = None):
    """An admin action through a service: `call(user, obj)` for each selected row (those matching
    `only`), reported by `run_for_each`. Assigned to a ModelAdmin attribute listed by name in `actions`;
    `name` for one listed as a function (Django names those by `__name__`)."""

    @admin.action(description=description)
    def action(model_admin, request, queryset):
        rows = queryset if only is None else queryset.filter(only)
        run_for_each(model_admin, request, rows, lambda obj: call(request.user, obj), done_message)

    if name is not None:
        action.__name__ = name
    return action


READ_ONLY = ("add", "change", "delete")


class Refused:
    """Mixed into a ModelAdmin or an inline: the writes named in `refused` ("add", "change", "delete")
    are not offered here, because they have rules the services check (the app, or the page's actions)."""

    refused: tuple[str, ...] = ()

    def has_add_permission(self, request, *obj) -> bool:  # an inline's takes the parent object too
        return "add" not in self.refused and super().has_add_permission(request, *obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return "change" not in self.refused and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return "delete" not in self.refused and super().has_delete_permission(request, obj)
