"""Absolute links to uploaded files, for clients that are not browsers."""

from django.conf import settings


def absolute_url(info, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL + path
    build = getattr(info.context, "build_absolute_uri", None)
    return build(path) if build else path


def file_url(info, field_file) -> str | None:
    return absolute_url(info, field_file.url) if field_file else None
