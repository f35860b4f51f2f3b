"""Uploaded images cost little before they are refused, and keep nothing but their pixels.

Crafted files (real JPEG, PNG, GIF and WebP made with Pillow) carry a marker in every metadata
segment a camera, an editor or an attacker can fill; none of it may survive. Each limit is tested
at its value and one past it; refusals by a rate limit or by the header decode nothing.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from community.accounts import services
from community.kernel import images as images_module
from community.kernel.errors import ServiceError
from community.kernel.images import avatar_limits, clean_image
from tests.content.helpers import veteran
from tests.factories import UserFactory
from tests.helpers import data_of
from tests.images import jpeg_bytes, png_bytes, upload

MARK = b"LEAKME"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description a="LEAKME"/></rdf:RDF></x:xmpmeta>'


def swapped_primaries_profile() -> bytes:
    """An RGB profile like sRGB but with its red and green primaries swapped: a colour space of its own."""
    raw = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = int.from_bytes(raw[128:132], "big")
    tags = {}
    for index in range(count):
        entry = 132 + 12 * index
        signature = bytes(raw[entry : entry + 4])
        offset, size = (
            int.from_bytes(raw[entry + 4 : entry + 8], "big"),
            int.from_bytes(raw[entry + 8 : entry + 12], "big"),
        )
        tags[signature] = (offset, size)
    (red, size), (green, _) = tags[b"rXYZ"], tags[b"gXYZ"]
    raw[red : red + size], raw[green : green + size] = raw[green : green + size], raw[red : red + size]
    return bytes(raw)


def marked_profile() -> bytes:
    """A real sRGB profile whose description carries the marker."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    raw = bytearray(profile.tobytes())
    return bytes(raw) + MARK  # lcms ignores bytes past the tag table


def crafted(kind: str) -> bytes:
    pixels = Image.new("RGB", (40, 30), (200, 60, 20))
    output = io.BytesIO()
    if kind == "jpeg":
        exif = Image.Exif()
        exif[0x010E] = "LEAKME description"
        pixels.save(output, "JPEG", comment=MARK + b" comment", xmp=XMP, icc_profile=marked_profile(), exif=exif)
    elif kind == "png":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "LEAKME text")
        info.add_text("Zipped", "LEAKME ztxt", zip=True)
        info.add_itxt("XML:com.adobe.xmp", XMP.decode())
        pixels.save(output, "PNG", pnginfo=info, icc_profile=marked_profile())
    elif kind == "gif":
        pixels.convert("P").save(output, "GIF", comment=MARK + b" comment")
    elif kind == "webp":
        exif = Image.Exif()
        exif[0x010E] = "LEAKME description"
        pixels.save(output, "WEBP", xmp=XMP, exif=exif, icc_profile=marked_profile())
    data = output.getvalue()
    assert MARK in data, f"the crafted {kind} carries the marker"
    return data


@pytest.mark.parametrize("kind", ["jpeg", "png", "gif", "webp"])
def test_every_metadata_segment_is_stripped(db, kind):
    cleaned = clean_image(upload(f"a.{kind}", crafted(kind))).content.read()
    assert MARK not in cleaned
    stored = Image.open(io.BytesIO(cleaned))
    assert not set(stored.info) & {"comment", "xmp", "XML:com.adobe.xmp", "icc_profile", "exif", "Comment", "Zipped"}
    assert not stored.getexif()
    assert stored.size == (40, 30)


def test_a_photo_in_another_colour_space_is_converted_to_srgb_not_left_tagged(db):
    """A wide-gamut photo keeps its colours: the profile is applied to the pixels, then dropped."""
    source = Image.new("RGB", (20, 20), (0, 255, 0))
    output = io.BytesIO()
    source.save(output, "PNG", icc_profile=swapped_primaries_profile())
    cleaned = Image.open(clean_image(upload("wide.png", output.getvalue())).content)
    assert "icc_profile" not in cleaned.info
    red, green, _blue = cleaned.getpixel((0, 0))
    assert red > 200 and green < 60  # "green" in that space is sRGB red


def test_a_photo_with_broken_exif_is_kept_without_it(db):
    output = io.BytesIO()
    Image.new("RGB", (30, 20)).save(output, "WEBP", exif=b"Exif\x00\x00LEAKME-not-a-tiff")
    cleaned = clean_image(upload("broken.webp", output.getvalue()))
    assert (cleaned.width, cleaned.height) == (30, 20)
    assert MARK not in cleaned.content.read()


# ------------------------------------------------------------------ sizes and pixels at their limits


def test_an_upload_of_exactly_the_byte_limit_is_accepted(db, settings):
    data = png_bytes(size=(64, 48))
    settings.IMAGE_MAX_BYTES = len(data)
    assert clean_image(upload("a.png", data)).width == 64


def test_an_upload_one_byte_over_the_limit_is_refused(db, settings):
    data = png_bytes(size=(64, 48))
    settings.IMAGE_MAX_BYTES = len(data) - 1
    with pytest.raises(ServiceError) as refused:
        clean_image(upload("a.png", data))
    assert refused.value.code == "INVALID"


@pytest.fixture
def decoded(monkeypatch):
    """Records the size of every image Pillow decodes."""
    sizes = []
    original = Image.Image.load

    def load(image):
        if getattr(image, "_im", None) is None:
            sizes.append(image.size)
        return original(image)

    monkeypatch.setattr(Image.Image, "load", load)
    return sizes


def test_an_image_of_exactly_the_header_pixel_limit_is_accepted(db, settings):
    settings.IMAGE_MAX_PIXELS = 64 * 48
    assert clean_image(upload("a.png", png_bytes(size=(64, 48)))).height == 48


def test_one_pixel_over_the_header_limit_is_refused_without_decoding(db, settings, decoded):
    settings.IMAGE_MAX_PIXELS = 64 * 48 - 1
    with pytest.raises(ServiceError) as refused:
        clean_image(upload("a.png", png_bytes(size=(64, 48))))
    assert "too many pixels" in str(refused.value.errors[0].message) or "像素过多" in str(
        refused.value.errors[0].message
    )
    assert decoded == []


def test_an_avatar_of_exactly_the_decoded_pixel_limit_is_accepted(db, settings):
    settings.AVATAR_MAX_DECODED_PIXELS = 300 * 200
    assert clean_image(upload("a.png", png_bytes(size=(300, 200))), limits=avatar_limits()).width == 300


def test_an_avatar_one_pixel_over_the_decoded_limit_is_refused_without_decoding(db, settings, decoded):
    """Lower than for photos: an avatar is shown small, so a big PNG is only a cost."""
    settings.AVATAR_MAX_DECODED_PIXELS = 300 * 200 - 1
    with pytest.raises(ServiceError):
        clean_image(upload("a.png", png_bytes(size=(300, 200))), limits=avatar_limits())
    assert decoded == []
    assert clean_image(upload("a.png", png_bytes(size=(300, 200)))).width == 300  # fine as a photo


def test_a_large_jpeg_avatar_is_decoded_at_a_reduced_scale(db, settings, decoded):
    """A camera JPEG four times over the decoded limit is decoded at half size, then stored at most 1024 wide."""
    settings.AVATAR_MAX_DECODED_PIXELS = 1200 * 900
    cleaned = clean_image(upload("me.jpg", jpeg_bytes(size=(2400, 1800))), limits=avatar_limits())
    assert decoded == [(1200, 900)]
    assert (cleaned.width, cleaned.height) == (1024, 768)


def test_photos_are_stored_at_most_the_photo_side(db, settings):
    settings.PHOTO_MAX_SIDE = 500
    cleaned = clean_image(upload("wide.png", png_bytes(size=(1000, 400))))
    assert (cleaned.width, cleaned.height) == (500, 200)


# ------------------------------------------------------------------ rate limits before any decoding


CREATE = """
mutation($input: CreatePostInput!) {
  createPost(input: $input) { post { id } errors { field code message } }
}"""
UPDATE = """
mutation($input: UpdateProfileInput!) {
  updateProfile(input: $input) { user { nickname } errors { field code message } }
}"""


@pytest.fixture
def opened(monkeypatch):
    """Counts every image file Pillow opens (reading its header is the first cost)."""
    calls = []
    original = images_module.Image.open

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(images_module.Image, "open", spy)
    return calls


def post_photos(gql, user, count: int) -> dict:
    files = {f"variables.input.images.{i}": upload(f"{i}.png", png_bytes()) for i in range(count)}
    variables = {"input": {"body": "提车作业", "images": [None] * count}}
    return data_of(gql(CREATE, variables, user=user, files=files), "createPost")


def test_a_sandboxed_owners_post_over_the_post_limit_decodes_no_photo(gql, opened):
    newcomer = UserFactory()
    for _ in range(3):  # the sandbox allows 3 posts an hour
        assert post_photos(gql, newcomer, 0)["errors"] == []
    result = post_photos(gql, newcomer, 1)
    assert [e["code"] for e in result["errors"]] == ["RATE_LIMITED"]
    assert opened == []


def test_a_sandboxed_owner_posts_exactly_the_photo_limit_and_not_one_more(gql, opened):
    newcomer = UserFactory()
    assert post_photos(gql, newcomer, 9)["errors"] == []  # 9 photos a day in the sandbox
    decoded_so_far = len(opened)
    result = post_photos(gql, newcomer, 1)
    assert [e["code"] for e in result["errors"]] == ["RATE_LIMITED"]
    assert len(opened) == decoded_so_far


def test_update_profile_runs_exactly_its_limit_then_is_rate_limited(gql):
    regular = veteran()
    for attempt in range(30):  # 30 an hour for a member
        assert (
            data_of(gql(UPDATE, {"input": {"bio": f"第 {attempt} 次"}}, user=regular), "updateProfile")["errors"] == []
        )
    result = data_of(gql(UPDATE, {"input": {"bio": "再来"}}, user=regular), "updateProfile")
    assert [e["code"] for e in result["errors"]] == ["RATE_LIMITED"]


def test_a_sandboxed_owners_avatar_past_the_profile_limit_is_not_decoded(gql, opened):
    newcomer = UserFactory()
    for _ in range(10):  # 10 an hour in the sandbox
        services.update_profile(user=newcomer, bio="新人")
    files = {"variables.input.avatar": upload("me.png", png_bytes())}
    result = data_of(gql(UPDATE, {"input": {"avatar": None}}, user=newcomer, files=files), "updateProfile")
    assert [e["code"] for e in result["errors"]] == ["RATE_LIMITED"]
    assert opened == []
