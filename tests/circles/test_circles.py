"""Circles: founding, brand review, the directory, editing, and the member count."""

import pytest
from graphql_relay import to_global_id

from circles import services
from circles.models import Circle, Membership
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification
from tests.circles.factories import add_member, make_circle, verified_owner
from tests.circles.helpers import CIRCLE, CREATE_CIRCLE, REVIEW_CIRCLE, UPDATE_CIRCLE
from tests.factories import UserFactory
from tests.helpers import codes, data_of, gid, run

NEW_CIRCLE = {
    "name": "重庆欧尚车友会",
    "description": "山城车友，周末一起自驾。",
    "kind": "CITY",
    "city": "重庆",
    "joinPolicy": "APPROVAL",
    "visibility": "PUBLIC",
}


def create(gql, user, **overrides):
    return run(gql, CREATE_CIRCLE, "createCircle", user=user, **{**NEW_CIRCLE, **overrides})


def test_a_verified_owner_founds_a_pending_circle_and_hosts_it(gql):
    owner = verified_owner(nickname="老王")
    result = create(gql, owner)
    assert result["errors"] == []
    circle = result["circle"]
    assert circle["status"] == "PENDING" and circle["memberCount"] == 1
    assert circle["host"] == {"nickname": "老王"}
    assert circle["viewerMembership"] == {"role": "HOST", "status": "ACTIVE"}
    row = Circle.objects.get()
    assert Membership.objects.get(circle=row).user == owner
    assert Activity.objects.filter(verb=Verb.CIRCLE_CREATED, circle_id=row.pk, actor=owner).count() == 1


def test_brand_staff_found_circles_too_and_only_they_found_official_ones(gql, brand_staff):
    assert create(gql, brand_staff, name="欧尚Style官方圈", kind="OFFICIAL", city=None)["errors"] == []
    refused = create(gql, verified_owner(), name="假官方圈", kind="OFFICIAL")
    assert refused["errors"] == [{"field": "kind", "code": "FORBIDDEN", "message": "只有品牌运营人员可以创建官方圈。"}]


def test_founding_refusals(gql, user):
    assert codes(create(gql, None)) == ["UNAUTHENTICATED"]
    prospect = create(gql, user)  # no verified vehicle
    assert prospect["errors"] == [
        {"field": None, "code": "FORBIDDEN", "message": "只有认证车主和品牌运营人员可以创建车友圈。"}
    ]
    owner = verified_owner()
    invalid = create(gql, owner, name=" ", description="", city="")
    assert {(e["field"], e["code"]) for e in invalid["errors"]} == {
        ("name", "INVALID"),
        ("description", "INVALID"),
        ("city", "INVALID"),  # a city circle needs its city
    }
    assert create(gql, owner, name="长" * 31)["errors"][0]["field"] == "name"
    assert not Circle.objects.exists()


def test_names_are_unique_case_insensitively_while_the_circle_lives(gql, brand_staff):
    first = create(gql, verified_owner(), name="Oushang Club")
    again = create(gql, verified_owner(), name="oushang club")
    assert again["errors"] == [{"field": "name", "code": "CONFLICT", "message": "已有同名的车友圈。"}]
    circle_id = to_global_id("Circle", int(Circle.objects.get().pk))
    assert first["circle"]["id"] == circle_id
    run(gql, REVIEW_CIRCLE, "reviewCircle", user=brand_staff, circleId=circle_id, approve=False)
    assert create(gql, verified_owner(), name="oushang club")["errors"] == []  # a turned-down name is free


def test_the_database_refuses_two_live_circles_with_one_name(db):
    from django.db import IntegrityError, transaction

    make_circle(name="成都欧尚车友会")
    with pytest.raises(IntegrityError), transaction.atomic():
        Circle.objects.create(
            name="成都欧尚车友会", description="x", kind="CITY", join_policy="OPEN", visibility="PUBLIC"
        )


def test_an_owner_has_at_most_three_circles_waiting(gql):
    owner = verified_owner()
    for n in range(3):
        assert create(gql, owner, name=f"圈{n}号")["errors"] == []
    assert create(gql, owner, name="圈4号")["errors"][0]["code"] == "INVALID"


def test_english_messages_when_asked(gql, user):
    result = gql(CREATE_CIRCLE, {"input": NEW_CIRCLE}, user=user, language="en")
    assert data_of(result, "createCircle")["errors"][0]["message"] == (
        "Only verified owners and brand staff can create circles."
    )


def test_brand_staff_approve_and_the_host_is_notified(gql, brand_staff):
    owner = verified_owner()
    circle_id = create(gql, owner)["circle"]["id"]
    pending = data_of(gql("{ pendingCircles { edges { node { id status } } } }", user=brand_staff), "pendingCircles")
    assert pending["edges"] == [{"node": {"id": circle_id, "status": "PENDING"}}]
    result = run(gql, REVIEW_CIRCLE, "reviewCircle", user=brand_staff, circleId=circle_id, approve=True)
    assert result == {"circle": {"id": circle_id, "status": "ACTIVE"}, "errors": []}
    again = run(gql, REVIEW_CIRCLE, "reviewCircle", user=brand_staff, circleId=circle_id, approve=False)
    assert codes(again) == ["CONFLICT"]
    assert Notification.objects.filter(recipient=owner, verb=NotificationVerb.MODERATION).count() == 1
    query = "{ notifications { edges { node { verb text targetId } } } }"
    edges = data_of(gql(query, user=owner), "notifications")["edges"]
    assert {
        "verb": NotificationVerb.MODERATION,
        "text": "你的车友圈「重庆欧尚车友会」已通过审核",
        "targetId": circle_id,
    } in [edge["node"] for edge in edges]
    english = data_of(gql(query, user=owner, language="en"), "notifications")["edges"]
    assert "Your circle 重庆欧尚车友会 has been approved" in [edge["node"]["text"] for edge in english]


def test_review_refusals(gql, user):
    circle = make_circle(approve=False)
    assert codes(run(gql, REVIEW_CIRCLE, "reviewCircle", circleId=gid(circle), approve=True)) == ["UNAUTHENTICATED"]
    host = circle.created_by
    assert codes(run(gql, REVIEW_CIRCLE, "reviewCircle", user=host, circleId=gid(circle), approve=True)) == [
        "FORBIDDEN"
    ]
    pending = gql("{ pendingCircles { edges { node { id } } } }", user=user)
    assert pending["data"]["pendingCircles"] is None
    assert pending["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_directory_lists_active_circles_filtered_by_city_kind_and_name(gql, user):
    make_circle(name="重庆欧尚车友会", city="重庆")
    make_circle(name="成都欧尚车友会", city="成都")
    make_circle(name="欧尚Z6车主俱乐部", kind="MODEL", city="")
    make_circle(name="川渝自驾游", kind="INTEREST", city="重庆", visibility="PRIVATE")
    make_circle(name="待审核的圈", approve=False)
    query = """query($city: String, $kind: CircleKind, $search: String) {
      circles(first: 10, city: $city, kind: $kind, search: $search) { edges { node { name visibility } } }
    }"""

    def names(**variables):
        edges = data_of(gql(query, variables, user=user), "circles")["edges"]
        return [edge["node"]["name"] for edge in edges]

    assert names() == ["川渝自驾游", "欧尚Z6车主俱乐部", "成都欧尚车友会", "重庆欧尚车友会"]  # newest first
    assert names(city="重庆") == ["川渝自驾游", "重庆欧尚车友会"]
    assert names(kind="MODEL") == ["欧尚Z6车主俱乐部"]
    assert names(search="欧尚车友") == ["成都欧尚车友会", "重庆欧尚车友会"]
    assert names(search="z6") == ["欧尚Z6车主俱乐部"]


def test_a_pending_circle_is_seen_by_its_founder_and_brand_staff_only(gql, user, brand_staff):
    circle = make_circle(approve=False)
    assert data_of(gql(CIRCLE, {"id": gid(circle)}, user=user), "circle") is None
    assert data_of(gql(CIRCLE, {"id": gid(circle)}), "circle") is None
    assert data_of(gql(CIRCLE, {"id": gid(circle)}, user=circle.created_by), "circle")["status"] == "PENDING"
    assert data_of(gql(CIRCLE, {"id": gid(circle)}, user=brand_staff), "circle")["status"] == "PENDING"
    node = "query($id: ID!) { node(id: $id) { ... on Circle { name } } }"
    assert data_of(gql(node, {"id": gid(circle)}, user=user), "node") is None
    bad = gql(CIRCLE, {"id": "garbage"}, user=user)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_host_edits_the_circle(gql):
    circle = make_circle(join_policy="OPEN")
    host = circle.created_by
    result = run(
        gql,
        UPDATE_CIRCLE,
        "updateCircle",
        user=host,
        circleId=gid(circle),
        description="新的简介",
        joinPolicy="INVITE_ONLY",
        visibility="PRIVATE",
    )
    assert result["errors"] == []
    assert result["circle"]["description"] == "新的简介"
    assert (result["circle"]["joinPolicy"], result["circle"]["visibility"]) == ("INVITE_ONLY", "PRIVATE")
    assert Activity.objects.filter(verb=Verb.CIRCLE_UPDATED, circle_id=circle.pk).count() == 1


def test_only_the_host_edits(gql, brand_staff):
    member, co_host = UserFactory(), UserFactory()
    circle = make_circle(members=[member], co_hosts=[co_host])
    for actor, code in (
        (None, "UNAUTHENTICATED"),
        (UserFactory(), "FORBIDDEN"),
        (member, "FORBIDDEN"),
        (co_host, "FORBIDDEN"),
    ):
        result = run(gql, UPDATE_CIRCLE, "updateCircle", user=actor, circleId=gid(circle), description="改")
        assert codes(result) == [code]
    circle.refresh_from_db()
    assert circle.description != "改"
    assert (
        run(gql, UPDATE_CIRCLE, "updateCircle", user=brand_staff, circleId=gid(circle), city="")["errors"][0]["field"]
        == "city"
    )


def test_member_count_stays_exact_through_joins_leaves_and_removals(db, on_commit):
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    circle = make_circle()
    host = circle.created_by
    with on_commit():
        for user in (a, b, c):
            services.join_circle(user=user, circle_id=circle.pk)
        services.join_circle(user=a, circle_id=circle.pk)  # twice: counted once
        services.leave_circle(user=b, circle_id=circle.pk)
        services.remove_member(user=host, membership_id=Membership.objects.get(user=c).pk, ban=True)
        services.join_circle(user=b, circle_id=circle.pk)
    circle.refresh_from_db()
    assert circle.member_count == circle.memberships.filter(status="ACTIVE").count() == 3
    add_member(circle, UserFactory())
    circle.refresh_from_db()
    assert circle.member_count == 4
