"""The brand team's back office: open to brand staff (the `brand` group and superusers)."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

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
    from django.contrib import messages

    done = 0
    for obj in queryset:
        try:
            action(obj)
            done += 1
        except ServiceError as error:
            model_admin.message_user(request, f"{obj}: {error.errors[0].message}", messages.ERROR)
    if done:
        model_admin.message_user(request, done_message % {"n": done}, messages.SUCCESS)
