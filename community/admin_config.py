from django.contrib.admin.apps import AdminConfig


class BrandAdminConfig(AdminConfig):
    """Django admin, served by the site that lets brand staff in by group rather than by a flag."""

    default_site = "community.admin_site.BrandAdminSite"
