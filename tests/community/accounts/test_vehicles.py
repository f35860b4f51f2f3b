"""Vehicles: owners add them, brand staff verify them, which makes a verified owner."""

from graphql_relay import to_global_id

from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import Vehicle
from tests.factories import VehicleFactory
from tests.helpers import data_of

ADD = """
mutation($input: AddVehicleInput!) {
  addVehicle(input: $input) { vehicle { id model category purchasedOn verified } errors { field code message } }
}"""
VERIFY = """
mutation($input: VehicleIdInput!) { verifyVehicle(input: $input) { vehicle { id verified } errors { field code } } }"""


def add(gql, user, **overrides):
    payload = {
        "model": "欧尚Z6",
        "category": "PASSENGER",
        "purchasedOn": "2024-05-01",
        "vinSuffix": "a12345",
        **overrides,
    }
    return data_of(gql(ADD, {"input": payload}, user=user), "addVehicle")


def test_an_owner_adds_a_vehicle_and_it_is_not_verified_yet(gql, user):
    result = add(gql, user)
    assert result["errors"] == []
    assert result["vehicle"]["model"] == "欧尚Z6"
    assert result["vehicle"]["category"] == "PASSENGER"
    assert result["vehicle"]["purchasedOn"] == "2024-05-01"
    assert result["vehicle"]["verified"] is False
    vehicle = Vehicle.objects.get()
    assert vehicle.vin_suffix == "A12345"
    assert Activity.objects.filter(verb=Verb.VEHICLE_ADDED, actor=user).exists()


def test_adding_needs_a_user(gql):
    assert add(gql, None)["errors"][0]["code"] == "UNAUTHENTICATED"


def test_bad_vehicle_input_is_refused_field_by_field(gql, user):
    result = add(gql, user, model="", purchasedOn="2999-01-01", vinSuffix="12")
    assert {e["field"] for e in result["errors"]} == {"model", "purchasedOn", "vinSuffix"}
    assert not Vehicle.objects.exists()


def test_the_same_vin_twice_is_a_conflict(gql, user):
    add(gql, user)
    result = add(gql, user, vinSuffix="A12345")
    assert result["errors"][0]["code"] == "CONFLICT"
    assert Vehicle.objects.count() == 1


def test_brand_staff_verify_and_the_owner_becomes_verified(gql, user, brand_staff):
    vehicle = VehicleFactory(owner=user)
    vehicle_id = to_global_id("Vehicle", vehicle.pk)
    result = data_of(gql(VERIFY, {"input": {"vehicleId": vehicle_id}}, user=brand_staff), "verifyVehicle")
    assert result == {"vehicle": {"id": vehicle_id, "verified": True}, "errors": []}
    me = data_of(gql("{ me { isVerifiedOwner vehicles { verified } } }", user=user), "me")
    assert me == {"isVerifiedOwner": True, "vehicles": [{"verified": True}]}
    activity = Activity.objects.get(verb=Verb.VEHICLE_VERIFIED)
    assert activity.actor == user and activity.data["verified_by"] == brand_staff.pk


def test_owners_cannot_verify_their_own_vehicles(gql, user):
    vehicle = VehicleFactory(owner=user)
    result = data_of(
        gql(VERIFY, {"input": {"vehicleId": to_global_id("Vehicle", vehicle.pk)}}, user=user), "verifyVehicle"
    )
    assert result["errors"] == [{"field": None, "code": "FORBIDDEN"}]
    vehicle.refresh_from_db()
    assert vehicle.verified_at is None


def test_verify_refuses_anonymous_unknown_and_wrongly_typed_ids(gql, brand_staff, user):
    anonymous = data_of(gql(VERIFY, {"input": {"vehicleId": to_global_id("Vehicle", 1)}}), "verifyVehicle")
    assert anonymous["errors"][0]["code"] == "UNAUTHENTICATED"
    missing = data_of(
        gql(VERIFY, {"input": {"vehicleId": to_global_id("Vehicle", 999)}}, user=brand_staff), "verifyVehicle"
    )
    assert missing["errors"] == [{"field": "vehicleId", "code": "NOT_FOUND"}]
    wrong_type = data_of(
        gql(VERIFY, {"input": {"vehicleId": to_global_id("User", user.pk)}}, user=brand_staff), "verifyVehicle"
    )
    assert wrong_type["errors"] == [{"field": "vehicleId", "code": "INVALID"}]
    garbage = data_of(gql(VERIFY, {"input": {"vehicleId": "%%%"}}, user=brand_staff), "verifyVehicle")
    assert garbage["errors"] == [{"field": "vehicleId", "code": "INVALID"}]


def test_verifying_twice_changes_nothing(gql, brand_staff):
    vehicle = VehicleFactory()
    for _ in range(2):
        gql(VERIFY, {"input": {"vehicleId": to_global_id("Vehicle", vehicle.pk)}}, user=brand_staff)
    assert Activity.objects.filter(verb=Verb.VEHICLE_VERIFIED).count() == 1
