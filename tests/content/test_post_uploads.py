"""Photos on posts: real images only, EXIF stripped, at most nine, nothing stored on refusal."""

import io

import pytest
from PIL import Image

from community.content.models import Post, PostImage
from tests.content.helpers import veteran
from tests.helpers import data_of
from tests.images import decompression_bomb, gps_exif, jpeg_bytes, png_bytes, upload

CREATE = """
mutation($input: CreatePostInput!) {
  createPost(input: $input) { post { id images { url thumbnailUrl width height } } errors { field code message } }
}"""


def post_with(gql, user, files):
    variables = {"input": {"body": "提车作业", "images": [None] * len(files)}}
    mapping = {f"variables.input.images.{i}": f for i, f in enumerate(files)}
    return data_of(gql(CREATE, variables, user=user, files=mapping), "createPost")


def stored_files(settings):
    media = settings.MEDIA_ROOT
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_photos_come_back_without_gps_with_sizes_and_thumbnails(gql, settings):
    result = post_with(
        gql,
        veteran(),
        [
            upload("a.png", png_bytes(size=(1200, 900), exif=gps_exif())),
            upload("b.jpg", jpeg_bytes(size=(640, 480), exif=gps_exif()), "image/jpeg"),
        ],
    )
    assert result["errors"] == []
    images = result["post"]["images"]
    assert [(i["width"], i["height"]) for i in images] == [(1200, 900), (640, 480)]
    for image in PostImage.objects.all():
        assert not Image.open(image.image.path).getexif()
        assert image.thumbnail and max(Image.open(image.thumbnail.path).size) == settings.POST_THUMBNAIL_SIZE
    assert Image.open(io.BytesIO(png_bytes(exif=gps_exif()))).getexif()  # the fixture had GPS


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("x.jpg", "不是图片".encode() * 30)], "第 1 张照片：无法识别的图片文件。"),
        (
            [("ok.png", png_bytes()), ("cut.jpg", jpeg_bytes(size=(500, 500))[:400])],
            "第 2 张照片：图片已损坏或不完整。",
        ),
        ([("bomb.png", decompression_bomb())], "第 1 张照片：图片像素过多：最多 40.0 百万像素。"),
        ([(f"{i}.png", png_bytes()) for i in range(10)], "最多 9 张照片。"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_stored(gql, settings, files, message):
    result = post_with(gql, veteran(), [upload(name, data) for name, data in files])
    assert result["post"] is None
    assert result["errors"] == [{"field": "images", "code": "INVALID", "message": message}]
    assert not Post.objects.exists() and not PostImage.objects.exists()
    assert stored_files(settings) == []
