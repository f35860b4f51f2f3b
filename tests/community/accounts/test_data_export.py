"""The owner's data export: a zip built in the background, a notification with a link for the owner only."""

import io
import json
import zipfile
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from community.accounts import export, services
from community.kernel.verbs import NotificationVerb
from community.models import DataExport, Notification
from tests.community.accounts.people import owner_with_history
from tests.helpers import codes, data_of

REQUEST = """
mutation { requestDataExport { export { id status readyAt expiresAt downloadUrl } errors { field code message } } }"""
MINE = "{ myDataExports { status downloadUrl } }"
SECTIONS = {
    "profile", "vehicles", "contacts", "follows", "posts", "comments", "chat_messages",
    "circle_memberships", "signups", "points", "ties", "direct_messages",
}  # fmt: skip


def download(url, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().get(url.replace("http://testserver", ""), **headers)


def test_the_export_is_a_zip_of_every_section_with_photos_and_the_owner_is_notified(
    gql, django_capture_on_commit_callbacks
):
    owner = owner_with_history(django_capture_on_commit_callbacks)
    payload = data_of(gql(REQUEST, user=owner), "requestDataExport")
    assert payload["errors"] == []
    built = DataExport.objects.get(user=owner)
    assert built.status == DataExport.Status.READY
    notification = Notification.objects.get(recipient=owner, verb=NotificationVerb.DATA_EXPORT_READY)
    assert notification.data["url"] == export.download_path(built)
    [mine] = data_of(gql(MINE, user=owner), "myDataExports")
    assert mine["status"] == "READY"

    response = download(mine["downloadUrl"], token=gql.token_for(owner))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    assert {f"{section}.json" for section in SECTIONS} <= names
    assert json.loads(archive.read("profile.json"))["nickname"] == "导出者"
    [post] = json.loads(archive.read("posts.json"))
    assert post["body"] == "第一次自驾" and len(post["photos"]) == 1 and post["photos"][0] in names
    assert [c["body"] for c in json.loads(archive.read("comments.json"))] == ["补充一句"]
    assert [m["body"] for m in json.loads(archive.read("chat_messages.json"))] == ["大家好"]
    assert [(m["from"], m["body"]) for m in json.loads(archive.read("direct_messages.json"))] == [
        ("me", "周末一起洗车？"),
        ("车友小周", "好啊"),
    ]
    assert len(json.loads(archive.read("signups.json"))) == 1
    points = json.loads(archive.read("points.json"))
    assert points["balance"] == sum(line["amount"] for line in points["ledger"]) and points["balance"] >= 7
    assert len(json.loads(archive.read("vehicles.json"))) == 1


def test_the_download_works_for_the_owner_only_and_not_after_it_expires(gql, user, other_user):
    data_of(gql(REQUEST, user=user), "requestDataExport")
    built = DataExport.objects.get(user=user)
    url = export.download_path(built)
    assert download(url).status_code == 404  # anonymous
    assert download(url, token=services.issue_token(other_user)).status_code == 404
    assert download(url, token=services.issue_token(user)).status_code == 200
    browser = Client()
    browser.force_login(user)
    assert browser.get(url).status_code == 200  # the browser session works too
    DataExport.objects.filter(pk=built.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert download(url, token=services.issue_token(user)).status_code == 404
    assert export.delete_expired_exports() == 1
    assert not export.export_storage().exists(built.file_name)


def test_request_data_export_refuses_anonymous_and_one_in_preparation(gql, user):
    assert codes(data_of(gql(REQUEST), "requestDataExport")) == ["UNAUTHENTICATED"]
    DataExport.objects.create(user=user)  # still being prepared
    assert codes(data_of(gql(REQUEST, user=user), "requestDataExport")) == ["CONFLICT"]
    assert DataExport.objects.filter(user=user).count() == 1


def test_data_exports_are_rate_limited(gql, user, settings):
    settings.DATA_EXPORTS_PER_DAY = 1
    assert data_of(gql(REQUEST, user=user), "requestDataExport")["errors"] == []
    assert codes(data_of(gql(REQUEST, user=user), "requestDataExport")) == ["RATE_LIMITED"]


def test_building_twice_is_harmless(gql, user):
    data_of(gql(REQUEST, user=user), "requestDataExport")
    built = DataExport.objects.get(user=user)
    again = export.build(built.pk)
    assert again.file_name == built.file_name
    assert Notification.objects.filter(recipient=user, verb=NotificationVerb.DATA_EXPORT_READY).count() == 1
