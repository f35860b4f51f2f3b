"""Brand staff's vehicle verification queue: pendingVehicles, then verifyVehicle."""

from community.models import Vehicle
from tests.factories import BrandStaffFactory, UserFactory, VehicleFactory, VerifiedVehicleFactory
from tests.helpers import data_of, gid

PENDING = """query($first: Int, $after: String) {
  pendingVehicles(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id model verified vinSuffix addedAt owner { nickname isVerifiedOwner } } }
  }
}"""
VERIFY = """mutation($input: VehicleIdInput!) {
  verifyVehicle(input: $input) { vehicle { id verified owner { isVerifiedOwner } } errors { field code } }
}"""


def test_pending_vehicles_are_the_unverified_ones_oldest_first(gql, brand_staff, django_assert_max_num_queries):
    first = VehicleFactory(vin_suffix="123456")
    second = VehicleFactory()
    VerifiedVehicleFactory()
    VehicleFactory(owner=UserFactory(is_active=False))
    with django_assert_max_num_queries(6):
        nodes = [e["node"] for e in data_of(gql(PENDING, user=brand_staff), "pendingVehicles")["edges"]]
    assert [n["id"] for n in nodes] == [gid(first), gid(second)]
    assert nodes[0]["vinSuffix"] == "123456" and nodes[0]["owner"]["nickname"] == first.owner.nickname
    assert nodes[1]["vinSuffix"] is None and nodes[0]["verified"] is False


def test_the_queue_pages_and_its_query_count_does_not_grow(gql, brand_staff, django_assert_max_num_queries):
    VehicleFactory.create_batch(2)
    token = gql.token_for(brand_staff)
    with django_assert_max_num_queries(5):
        gql(PENDING, {"first": 2}, token=token)
    VehicleFactory.create_batch(8)
    with django_assert_max_num_queries(5):
        page = data_of(gql(PENDING, {"first": 6}, token=token), "pendingVehicles")
    assert len(page["edges"]) == 6 and page["pageInfo"]["hasNextPage"]
    rest = data_of(
        gql(PENDING, {"first": 6, "after": page["pageInfo"]["endCursor"]}, user=brand_staff), "pendingVehicles"
    )
    assert len(rest["edges"]) == 4 and not rest["pageInfo"]["hasNextPage"]


def test_verifying_takes_a_vehicle_off_the_queue(gql, brand_staff):
    vehicle = VehicleFactory()
    verified = data_of(gql(VERIFY, {"input": {"vehicleId": gid(vehicle)}}, user=brand_staff), "verifyVehicle")
    assert verified["vehicle"]["verified"] is True and verified["vehicle"]["owner"]["isVerifiedOwner"] is True
    assert data_of(gql(PENDING, user=brand_staff), "pendingVehicles")["edges"] == []
    assert Vehicle.objects.get(pk=vehicle.pk).verified_by == brand_staff


def test_the_queue_is_for_brand_staff_and_the_vin_for_its_owner(gql):
    vehicle = VehicleFactory(vin_suffix="654321")
    refused = gql(PENDING, user=vehicle.owner)
    assert refused["data"]["pendingVehicles"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    mine = "{ me { vehicles { vinSuffix } } }"
    assert data_of(gql(mine, user=vehicle.owner), "me")["vehicles"] == [{"vinSuffix": "654321"}]
    other = "query($id: ID!) { user(id: $id) { vehicles { vinSuffix } } }"
    seen = data_of(gql(other, {"id": gid(vehicle.owner)}, user=BrandStaffFactory()), "user")
    assert seen["vehicles"] == [{"vinSuffix": "654321"}]
    stranger = data_of(gql(other, {"id": gid(vehicle.owner)}, user=UserFactory()), "user")
    assert stranger["vehicles"] == [{"vinSuffix": None}]
