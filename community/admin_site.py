"""The brand team's back office: open to brand staff (the `brand` group and superusers)."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


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
