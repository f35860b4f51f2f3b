"""Who runs an event: the circle's active hosts and co-hosts and brand staff. Having made an event gives no
right of its own, so a co-host who is removed, banned, demoted or leaves (or a host who leaves) loses the
attendee list, the check-in code and its QR, the CSV, publishing, cancelling and marking attendance, through
every door: the GraphQL fields, the mutations and the plain HTTP endpoints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from circles import services as circle_services
from circles.models import Membership
from community.accounts.services import issue_token
from events import selectors, services
from tests.circles.factories import make_circle, membership
from tests.events.factories import make_event, move
from tests.events.helpers import CANCEL_EVENT, MARK, PUBLISH
from tests.factories import UserFactory
from tests.helpers import codes, gid, run

pytestmark = pytest.mark.django_db

EVENT = """query($id: ID!) { event(id: $id) {
  id viewerCanManage checkInCode checkInQrUrl attendeesCsvUrl signups(first: 10) { edges { node { id } } }
} }"""


def _removed(circle, user):
    circle_services.remove_member(user=circle.created_by, membership_id=membership(circle, user).pk)


def _banned(circle, user):
    circle_services.remove_member(user=circle.created_by, membership_id=membership(circle, user).pk, ban=True)


def _demoted(circle, user):
    circle_services.set_member_role(user=circle.created_by, membership_id=membership(circle, user).pk, role="MEMBER")


def _left(circle, user):
    circle_services.leave_circle(user=user, circle_id=circle.pk)


LOSSES = {"removed": _removed, "banned": _banned, "demoted": _demoted, "left": _left}


def _refused_everywhere(gql, former, event, draft, started_signup):
    shown = gql(EVENT, {"id": gid(event)}, user=former)
    node = shown["data"]["event"]
    assert node["id"] == gid(event)  # the event is still public
    assert node["viewerCanManage"] is False
    assert node["checkInCode"] is None and node["signups"] is None
    assert node["checkInQrUrl"] is None and node["attendeesCsvUrl"] is None
    assert {e["extensions"]["code"] for e in shown["errors"]} == {"FORBIDDEN"}
    assert not selectors.can_manage(former, event)

    token = issue_token(former)
    browser = Client()
    for path in (f"/events/{event.pk}/attendees.csv", f"/events/{event.pk}/check-in-qr.png"):
        assert browser.get(path, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403
    for path in (f"/events/{draft.pk}/attendees.csv", f"/events/{draft.pk}/check-in-qr.png"):
        assert browser.get(path, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404  # a draft is theirs no more

    assert codes(run(gql, PUBLISH, "publishEvent", user=former, eventId=gid(draft))) == ["NOT_FOUND"]
    assert codes(run(gql, CANCEL_EVENT, "cancelEvent", user=former, eventId=gid(event))) == ["FORBIDDEN"]
    marked = run(gql, MARK, "markAttendance", user=former, signupId=gid(started_signup), attended=True)
    assert codes(marked) in (["FORBIDDEN"], ["NOT_FOUND"])


@pytest.mark.parametrize("loss", LOSSES)
def test_a_co_host_who_loses_the_role_keeps_no_rights_on_the_events_they_made(gql, loss):
    co_host, attendee = UserFactory(), UserFactory()
    circle = make_circle(co_hosts=[co_host])
    event = make_event(circle=circle, organizer=co_host)
    draft = make_event(circle=circle, organizer=co_host, publish=False)
    started = make_event(circle=circle, organizer=co_host)
    signup = services.sign_up(user=attendee, event_id=started.pk)
    move(started, starts_in=-timedelta(minutes=10))
    before = gql(EVENT, {"id": gid(event)}, user=co_host)["data"]["event"]
    assert before["viewerCanManage"] is True and before["checkInCode"]

    LOSSES[loss](circle, co_host)

    _refused_everywhere(gql, co_host, event, draft, signup)
    # the host still runs them all
    host = circle.created_by
    assert gql(EVENT, {"id": gid(event)}, user=host)["data"]["event"]["viewerCanManage"] is True
    assert run(gql, MARK, "markAttendance", user=host, signupId=gid(signup), attended=True)["errors"] == []
    assert run(gql, PUBLISH, "publishEvent", user=host, eventId=gid(draft))["errors"] == []
    assert run(gql, CANCEL_EVENT, "cancelEvent", user=host, eventId=gid(event))["errors"] == []


def test_a_host_who_leaves_keeps_no_rights_on_the_events_they_made(gql):
    co_host, attendee = UserFactory(), UserFactory()
    circle = make_circle(co_hosts=[co_host])
    host = circle.created_by
    event = make_event(circle=circle)
    draft = make_event(circle=circle, publish=False)
    started = make_event(circle=circle)
    signup = services.sign_up(user=attendee, event_id=started.pk)
    move(started, starts_in=-timedelta(minutes=10))
    circle_services.leave_circle(user=host, circle_id=circle.pk)
    assert membership(circle, co_host).role == Membership.Role.HOST

    _refused_everywhere(gql, host, event, draft, signup)
    assert gql(EVENT, {"id": gid(event)}, user=co_host)["data"]["event"]["viewerCanManage"] is True


def test_the_list_of_events_says_who_runs_each_in_a_fixed_number_of_queries(gql, django_assert_max_num_queries):
    co_host = UserFactory()
    circle = make_circle(co_hosts=[co_host])
    for _ in range(3):
        make_event(circle=circle, organizer=co_host)
    _banned(circle, co_host)
    document = "{ events(first: 20) { edges { node { id viewerCanManage attendeesCsvUrl } } } }"
    with django_assert_max_num_queries(8):
        listed = gql(document, user=co_host)["data"]["events"]["edges"]
    assert len(listed) == 3 and all(e["node"]["viewerCanManage"] is False for e in listed)
    assert all(e["node"]["attendeesCsvUrl"] is None for e in listed)
