"""Services for the owner's data export: a zip of JSON files (one per section) and the photos.

Each section is one function `section(user, archive) -> JSON-able`, registered with
`@export_section("name")`. The social core registers the profile, vehicles, follows and contacts
here; higher apps register theirs from their `personal_data.py` (imported in their `AppConfig.ready()`),
so one more kind of data (direct messages, say) is one more function where its model lives.
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.kernel.access import require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Contact, DataExport, Follow, User, Vehicle
from community.notifications.services import notify
from community.safety import ratelimit

Section = Callable[[User, "Archive"], object]
_sections: dict[str, Section] = {}


def export_section(name: str):
    """Register `function(user, archive)` as the section `name` (its JSON lands in `name.json`)."""

    def register(function: Section) -> Section:
        _sections[name] = function
        return function

    return register


def section_names() -> list[str]:
    return sorted(_sections)


class Archive:
    """The zip being built: sections add media files (photos) with `add_file`."""

    def __init__(self, zip_file: zipfile.ZipFile) -> None:
        self.zip = zip_file

    def add_file(self, field_file, folder: str) -> str | None:
        """Copy a stored file (an ImageField's value) into `folder/`; its path in the zip, or None if gone."""
        if not field_file:
            return None
        name = f"{folder}/{field_file.name.rsplit('/', 1)[-1]}"
        try:
            with default_storage.open(field_file.name, "rb") as source:
                self.zip.writestr(name, source.read())
        except FileNotFoundError:
            return None
        return name


def export_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.DATA_EXPORT_ROOT)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


# ---------------------------------------------------------------- the social core's sections


@export_section("profile")
def _profile(user: User, archive: Archive) -> dict:
    return {
        "username": user.username,
        "nickname": user.nickname,
        "city": user.city,
        "bio": user.bio,
        "joined_at": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "avatar": archive.add_file(user.avatar, "avatar"),
    }


@export_section("vehicles")
def _vehicles(user: User, archive: Archive) -> list:
    return [
        {
            "model": v.model,
            "category": v.category,
            "purchased_on": _iso(v.purchased_on),
            "vin_suffix": v.vin_suffix,
            "verified_at": _iso(v.verified_at),
            "added_at": _iso(v.created_at),
        }
        for v in Vehicle.objects.filter(owner=user).order_by("created_at", "id")
    ]


@export_section("contacts")
def _contacts(user: User, archive: Archive) -> list:
    return [
        {"kind": c.kind, "value": c.value, "verified_at": _iso(c.verified_at)}
        for c in Contact.objects.filter(user=user).order_by("created_at", "id")
    ]


@export_section("follows")
def _follows(user: User, archive: Archive) -> dict:
    following = Follow.objects.filter(follower=user).select_related("followee").order_by("created_at", "id")
    followers = Follow.objects.filter(followee=user).select_related("follower").order_by("created_at", "id")
    return {
        "following": [{"nickname": f.followee.nickname, "since": _iso(f.created_at)} for f in following],
        "followers": [{"nickname": f.follower.nickname, "since": _iso(f.created_at)} for f in followers],
    }


# ---------------------------------------------------------------- the use cases


def request_data_export(*, user) -> DataExport:
    """Start building the owner's export in the background; they are notified with a link when it is ready."""
    require_user(user)
    if DataExport.objects.filter(user=user, status=DataExport.Status.PENDING).exists():
        raise ServiceError(ErrorCode.CONFLICT, _("Your data export is already being prepared."))
    limit = ratelimit.hit(f"data-export:{user.pk}", settings.DATA_EXPORTS_PER_DAY, 86400)
    if not limit.allowed:
        raise ratelimit.refused(limit.retry_after)
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
            record_activity(actor=user, verb=Verb.DATA_EXPORT_REQUESTED, target=export)
    except IntegrityError:
        raise ServiceError(ErrorCode.CONFLICT, _("Your data export is already being prepared.")) from None
    transaction.on_commit(lambda: _start(export.pk), robust=True)
    return export


def _start(export_id: int) -> None:
    from community.tasks import build_data_export  # tasks import this module (a real cycle)

    try:
        build_data_export.delay(export_id)
    except Exception:
        # Broker down: build it inline rather than lose it.
        build_data_export.apply(args=(export_id,))


def build(export_id: int) -> DataExport | None:
    """Build the zip of a pending export and notify its owner; idempotent (a ready export is left alone)."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.PENDING:
        return export
    user = export.user
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zip_file:
        archive = Archive(zip_file)
        manifest = {"user": user.username, "created_at": timezone.now().isoformat(), "sections": section_names()}
        for name in section_names():
            data = _sections[name](user, archive)
            zip_file.writestr(f"{name}.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        zip_file.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    content = buffer.getvalue()
    name = export_storage().save(f"{user.pk}/{export.pk}-{secrets.token_hex(16)}.zip", ContentFile(content))
    now = timezone.now()
    with transaction.atomic():
        updated = DataExport.objects.filter(pk=export.pk, status=DataExport.Status.PENDING).update(
            status=DataExport.Status.READY,
            file_name=name,
            size=len(content),
            ready_at=now,
            expires_at=now + timedelta(hours=settings.DATA_EXPORT_TTL_HOURS),
        )
        if not updated:  # built twice at once: keep the first
            export_storage().delete(name)
            return DataExport.objects.get(pk=export.pk)
        export.refresh_from_db()
        notify(
            recipient_id=user.pk,
            verb=NotificationVerb.DATA_EXPORT_READY,
            target=export,
            data={"url": download_path(export), "expires_at": export.expires_at.isoformat()},
        )
    return export


def download_path(export: DataExport) -> str:
    return reverse("data-export-download", args=[export.pk])


def downloadable_export(*, user, export_id: int) -> DataExport | None:
    """The export if `user` owns it, it is ready and it has not expired; None otherwise (the view says 404)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        DataExport.objects.filter(
            pk=export_id, user_id=user.pk, status=DataExport.Status.READY, expires_at__gt=timezone.now()
        )
        .exclude(file_name="")
        .first()
    )


def delete_expired_exports() -> int:
    """Remove the files of exports past their expiry (a beat task); returns how many."""
    count = 0
    for export in DataExport.objects.filter(expires_at__lte=timezone.now()).exclude(file_name=""):
        export_storage().delete(export.file_name)
        DataExport.objects.filter(pk=export.pk).update(file_name="")
        count += 1
    return count
