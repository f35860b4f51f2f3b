"""Every limit of accounts at exactly its value and one past it: nickname, city and bio lengths, vehicle
models and how many vehicles an owner has, registrations per address, and the size of a request body."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from community.accounts import services
from community.kernel.errors import ServiceError
from community.models import User, Vehicle
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MAX_VEHICLES = 10


def refused(call, field: str | None, code: str = "INVALID") -> None:
    with pytest.raises(ServiceError) as error:
        call()
    assert [(e.code, e.field) for e in error.value.errors] == [(code, field)]


@pytest.mark.parametrize(("field", "limit"), [("nickname", 30), ("city", 40), ("bio", 500)])
def test_profile_text_of_exactly_its_maximum_and_one_past(user, field, limit):
    assert getattr(services.update_profile(user=user, **{field: "字" * limit}), field) == "字" * limit
    refused(lambda: services.update_profile(user=user, **{field: "字" * (limit + 1)}), field)
    user.refresh_from_db()
    assert getattr(user, field) == "字" * limit


def test_a_nickname_of_exactly_the_maximum_registers_and_one_past_does_not():
    assert services.register(username="maxnick", password=PASSWORD, nickname="名" * 30).user.nickname == "名" * 30
    refused(lambda: services.register(username="toolong", password=PASSWORD, nickname="名" * 31), "nickname")
    assert not User.objects.filter(username="toolong").exists()


def test_usernames_of_exactly_3_and_30_characters_and_one_past():
    for name in ("abc", "a" * 30):
        assert services.register(username=name, password=PASSWORD, nickname="车友").user.username == name
    for name in ("ab", "b" * 31):
        refused(lambda name=name: services.register(username=name, password=PASSWORD, nickname="车友"), "username")


def test_a_vehicle_model_of_exactly_the_maximum_and_one_past(user):
    assert services.add_vehicle(user=user, model="欧" * 60, category="PASSENGER").model == "欧" * 60
    refused(lambda: services.add_vehicle(user=user, model="欧" * 61, category="PASSENGER"), "model")


def test_exactly_the_maximum_number_of_vehicles_and_not_one_more(user):
    for i in range(MAX_VEHICLES):
        services.add_vehicle(user=user, model=f"欧尚Z6 #{i}", category="PASSENGER")
    refused(lambda: services.add_vehicle(user=user, model="第十一辆", category="PASSENGER"), None)
    assert Vehicle.objects.filter(owner=user).count() == MAX_VEHICLES


def test_registrations_per_address_at_exactly_the_limit_and_one_past(settings):
    settings.REGISTRATIONS_PER_IP_PER_HOUR = 3
    for i in range(3):
        services.register(username=f"fromnat{i}", password=PASSWORD, nickname="车友", ip="100.64.1.1")
    refused(
        lambda: services.register(username="fromnat3", password=PASSWORD, nickname="车友", ip="100.64.1.1"),
        None,
        "RATE_LIMITED",
    )
    assert services.register(username="elsewhere", password=PASSWORD, nickname="车友", ip="100.64.1.2").token


def test_a_request_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(settings):
    settings.GRAPHQL_MAX_QUERY_BYTES = 100
    limit = settings.GRAPHQL_MAX_QUERY_BYTES * 4  # the body may carry variables beside the document
    head = json.dumps({"query": "{ __typename }", "variables": {"pad": ""}})
    exactly = head.replace('"pad": ""', '"pad": "' + "x" * (limit - len(head)) + '"')
    assert len(exactly.encode()) == limit
    read = Client().post("/graphql/", exactly, content_type="application/json")
    assert read.status_code == 200 and read.json()["data"] == {"__typename": "Query"}
    over = exactly.replace('"x', '"xx', 1)
    refused_body = Client().post("/graphql/", over, content_type="application/json")
    assert refused_body.status_code == 413
    assert refused_body.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
