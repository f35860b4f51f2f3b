"""Profiles and avatars: validated with Pillow, stripped of EXIF, thumbnailed by Celery."""

import io

import pytest
from PIL import Image

from community.models import User
from tests.helpers import data_of
from tests.images import decompression_bomb, gps_exif, jpeg_bytes, png_bytes, upload

UPDATE = """
mutation($input: UpdateProfileInput!) {
  updateProfile(input: $input) { user { nickname city bio avatarUrl } errors { field code message } }
}"""


def test_update_profile_changes_only_what_is_given(gql, user):
    result = data_of(gql(UPDATE, {"input": {"bio": "周末常去南山"}}, user=user), "updateProfile")
    assert result["errors"] == []
    assert result["user"]["bio"] == "周末常去南山"
    assert result["user"]["nickname"] == user.nickname
    assert result["user"]["city"] == "重庆"


def test_update_profile_refuses_empty_nickname_and_long_bio_writing_nothing(gql, user):
    result = data_of(
        gql(UPDATE, {"input": {"nickname": " ", "bio": "长" * 501, "city": "成都"}}, user=user), "updateProfile"
    )
    assert {(e["field"], e["code"]) for e in result["errors"]} == {("nickname", "INVALID"), ("bio", "INVALID")}
    user.refresh_from_db()
    assert user.city == "重庆"


def test_update_profile_needs_a_user(gql):
    result = data_of(gql(UPDATE, {"input": {"bio": "x"}}), "updateProfile")
    assert result["errors"][0]["code"] == "UNAUTHENTICATED"


def test_avatar_upload_strips_gps_and_makes_a_thumbnail(gql, user, settings):
    data = png_bytes(size=(800, 600), exif=gps_exif())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the fixture really has GPS
    result = data_of(
        gql(UPDATE, {"input": {"avatar": None}}, user=user, files={"variables.input.avatar": upload("me.png", data)}),
        "updateProfile",
    )
    assert result["errors"] == []
    user.refresh_from_db()
    stored = Image.open(user.avatar.path)
    assert stored.size == (800, 600)
    assert not stored.getexif()
    assert "exif" not in stored.info
    thumbnail = Image.open(user.avatar_thumbnail.path)
    assert max(thumbnail.size) == settings.AVATAR_THUMBNAIL_SIZE
    assert result["user"]["avatarUrl"] is not None
    # The URL handed out is the thumbnail once it exists.
    me = data_of(gql("{ me { avatarUrl } }", user=user), "me")
    assert me["avatarUrl"].endswith(user.avatar_thumbnail.url)


def test_jpeg_exif_is_stripped_too(gql, user):
    data = jpeg_bytes(exif=gps_exif())
    result = data_of(
        gql(UPDATE, {"input": {}}, user=user, files={"variables.input.avatar": upload("me.jpg", data, "image/jpeg")}),
        "updateProfile",
    )
    assert result["errors"] == []
    user.refresh_from_db()
    assert not Image.open(user.avatar.path).getexif()


def test_replacing_the_avatar_deletes_the_old_files(gql, user):
    files = {"variables.input.avatar": upload("a.png", png_bytes())}
    gql(UPDATE, {"input": {}}, user=user, files=files)
    user.refresh_from_db()
    old_avatar, old_thumb = user.avatar.path, user.avatar_thumbnail.path
    gql(UPDATE, {"input": {}}, user=user, files={"variables.input.avatar": upload("b.png", png_bytes(color=(0, 0, 0)))})
    import os

    assert not os.path.exists(old_avatar) and not os.path.exists(old_thumb)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.jpg", "这不是图片".encode() * 20, "无法识别的图片文件。"),
        ("cut.jpg", jpeg_bytes(size=(400, 400))[:300], "图片已损坏或不完整。"),
        ("bomb.png", decompression_bomb(), "图片像素过多：最多 40.0 百万像素。"),
        ("empty.png", b"", "文件为空。"),
    ],
)
def test_bad_uploads_are_refused_cleanly_and_nothing_is_stored(gql, user, settings, name, data, message):
    result = data_of(
        gql(UPDATE, {"input": {"bio": "新简介"}}, user=user, files={"variables.input.avatar": upload(name, data)}),
        "updateProfile",
    )
    assert result["errors"] == [{"field": "avatar", "code": "INVALID", "message": message}]
    user.refresh_from_db()
    assert not user.avatar and user.bio == ""
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_too_big_an_upload_is_refused(gql, user, settings):
    settings.IMAGE_MAX_BYTES = 1024
    result = data_of(
        gql(
            UPDATE,
            {"input": {}},
            user=user,
            files={
                "variables.input.avatar": upload("big.png", png_bytes(size=(300, 300), color=(1, 2, 3)) + b"\0" * 2048)
            },
        ),
        "updateProfile",
    )
    assert result["errors"][0]["code"] == "INVALID"
    assert "图片过大" in result["errors"][0]["message"]
    assert not User.objects.get(pk=user.pk).avatar


def test_a_malformed_multipart_request_is_a_clear_400(gql, user):
    from django.test import Client

    response = Client().post(
        "/graphql/",
        {"operations": "{not json", "map": "{}"},
        HTTP_AUTHORIZATION=f"Bearer {gql.token_for(user)}",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
