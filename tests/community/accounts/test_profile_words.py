"""The sensitive-word filter reaches what owners show about themselves without review: nicknames (at
registration and later), bios and vehicle models refuse any listed word, blocked or held, in any of its
variants, with INVALID on the field and nothing written."""

from __future__ import annotations

import pytest

from community.models import SensitiveWord, User, Vehicle
from tests.factories import PASSWORD
from tests.helpers import data_of

REGISTER = """
mutation($input: RegisterInput!) { register(input: $input) { token user { id } errors { field code message } } }"""
UPDATE = """
mutation($input: UpdateProfileInput!) {
  updateProfile(input: $input) { user { nickname bio } errors { field code } }
}"""
ADD = """
mutation($input: AddVehicleInput!) { addVehicle(input: $input) { vehicle { id model } errors { field code } } }"""


@pytest.fixture
def words(db, on_commit):
    with on_commit():
        SensitiveWord.objects.create(word="代开发票", action="BLOCK")
        SensitiveWord.objects.create(word="微信", action="HOLD")


def fields(payload) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


@pytest.mark.parametrize("nickname", ["代开发票小王", "加微信", "代開發票"])
def test_registering_with_a_listed_word_in_the_nickname_is_refused(gql, words, nickname):
    payload = {"username": "xiaoming", "password": PASSWORD, "nickname": nickname}
    result = data_of(gql(REGISTER, {"input": payload}), "register")
    assert fields(result) == [("nickname", "INVALID")] and result["token"] is None
    assert result["errors"][0]["message"] == "内容包含不允许使用的词语。"
    assert not User.objects.filter(username="xiaoming").exists()


def test_a_clean_nickname_registers(gql, words):
    payload = {"username": "xiaoming", "password": PASSWORD, "nickname": "南山小明"}
    assert data_of(gql(REGISTER, {"input": payload}), "register")["errors"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [({"nickname": "代 开-发·票"}, "nickname"), ({"bio": "有事加微信"}, "bio"), ({"bio": "ｖ信也行，代开发票"}, "bio")],
)
def test_a_listed_word_in_the_nickname_or_bio_is_refused_and_nothing_changes(gql, user, words, change, field):
    before = (user.nickname, user.bio)
    result = data_of(gql(UPDATE, {"input": {"city": "成都", **change}}, user=user), "updateProfile")
    assert fields(result) == [(field, "INVALID")]
    user.refresh_from_db()
    assert (user.nickname, user.bio, user.city) == (*before, "重庆")


def test_a_clean_profile_is_saved(gql, user, words):
    result = data_of(
        gql(UPDATE, {"input": {"nickname": "南山夜游", "bio": "周末常去南山"}}, user=user), "updateProfile"
    )
    assert result["errors"] == [] and result["user"] == {"nickname": "南山夜游", "bio": "周末常去南山"}


def test_a_listed_word_in_a_vehicle_model_is_refused(gql, user, words):
    result = data_of(
        gql(ADD, {"input": {"model": "欧尚Z6 代开发票", "category": "PASSENGER"}}, user=user), "addVehicle"
    )
    assert fields(result) == [("model", "INVALID")] and result["vehicle"] is None
    assert not Vehicle.objects.exists()
    clean = data_of(gql(ADD, {"input": {"model": "欧尚Z6", "category": "PASSENGER"}}, user=user), "addVehicle")
    assert clean["errors"] == [] and clean["vehicle"]["model"] == "欧尚Z6"
