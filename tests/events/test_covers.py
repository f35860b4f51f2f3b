"""Cover images for events, circles and rewards: the photo pipeline (limits, metadata stripped), who may set
them, the replaced file deleted, nothing stored on refusal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from circles.models import Circle
from events.models import Event
from gamification.models import Reward
from tests.circles.factories import make_circle
from tests.events.factories import make_event
from tests.factories import BrandStaffFactory, UserFactory
from tests.helpers import data_of, gid
from tests.images import decompression_bomb, gps_exif, jpeg_bytes, png_bytes, upload

MUTATIONS = {
    "event": ("setEventCover", "SetEventCoverInput", "eventId", "event"),
    "circle": ("setCircleCover", "SetCircleCoverInput", "circleId", "circle"),
    "reward": ("setRewardCover", "SetRewardCoverInput", "rewardId", "reward"),
}


def set_cover(gql, kind, target, user, file):
    name, input_type, id_field, payload = MUTATIONS[kind]
    document = (
        f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {payload} {{ coverUrl }} "
        "errors { field code message } } }"
    )
    variables = {"input": {id_field: gid(target), "image": None}}
    return data_of(gql(document, variables, user=user, files={"variables.input.image": file}), name)


def stored_files(settings):
    media = settings.MEDIA_ROOT
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


@pytest.fixture
def targets(db):
    circle = make_circle()
    event = make_event(circle=circle)
    reward = Reward.objects.create(name="原厂车载香薰", cost=100, stock=5)
    return {
        "event": (event, event.organizer),
        "circle": (circle, circle.created_by),
        "reward": (reward, BrandStaffFactory()),
    }


@pytest.mark.parametrize("kind", ["event", "circle", "reward"])
def test_a_cover_comes_back_without_metadata_and_replaces_the_old_file(gql, settings, targets, kind):
    target, manager = targets[kind]
    first = set_cover(
        gql, kind, target, manager, upload("a.jpg", jpeg_bytes(size=(800, 450), exif=gps_exif()), "image/jpeg")
    )
    assert first["errors"] == [] and first[MUTATIONS[kind][3]]["coverUrl"].startswith("http")
    target.refresh_from_db()
    stored = Image.open(target.cover.path)
    assert stored.size == (800, 450) and not stored.getexif()
    assert Image.open(io.BytesIO(jpeg_bytes(exif=gps_exif()))).getexif()  # the fixture had GPS
    old_path = target.cover.path
    second = set_cover(gql, kind, target, manager, upload("b.png", png_bytes(size=(300, 200))))
    assert second["errors"] == []
    target.refresh_from_db()
    # The replaced file is gone once the change committed: only the new cover is stored.
    assert stored_files(settings) == [Path(target.cover.path)]
    assert old_path != target.cover.path


@pytest.mark.parametrize("kind", ["event", "circle", "reward"])
def test_only_managers_set_covers(gql, settings, targets, kind):
    target, _manager = targets[kind]
    for user, code in ((None, "UNAUTHENTICATED"), (UserFactory(), "FORBIDDEN")):
        result = set_cover(gql, kind, target, user, upload("a.png", png_bytes()))
        assert result["errors"][0]["code"] == code
    target.refresh_from_db()
    assert not target.cover and stored_files(settings) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("不是图片".encode() * 30, "无法识别的图片文件。"),
        (decompression_bomb(), "图片像素过多：最多 40.0 百万像素。"),
    ],
)
def test_bad_images_are_refused_and_nothing_is_stored(gql, settings, targets, data, message):
    event, organizer = targets["event"]
    result = set_cover(gql, "event", event, organizer, upload("x.png", data))
    assert result["errors"] == [{"field": "image", "code": "INVALID", "message": message}]
    assert not Event.objects.get(pk=event.pk).cover and stored_files(settings) == []


def test_sandboxed_hosts_spend_their_image_allowance(gql, settings):
    circle = make_circle()
    host = circle.created_by  # a new account: sandboxed, 9 images a day
    for _attempt in range(9):
        assert set_cover(gql, "circle", circle, host, upload("a.png", png_bytes()))["errors"] == []
    refused = set_cover(gql, "circle", circle, host, upload("a.png", png_bytes()))
    assert refused["errors"][0]["code"] == "RATE_LIMITED"
    assert Circle.objects.get(pk=circle.pk).cover
