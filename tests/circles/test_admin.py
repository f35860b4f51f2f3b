"""The back office: brand staff approve, turn down and archive circles, and see memberships, invites and
chat, with every change going through the services."""

from circles import services
from circles.models import ChatMessage, Circle, Membership
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from tests.circles.factories import make_circle, membership
from tests.factories import UserFactory
from tests.helpers import admin_action, browser_for


def test_brand_staff_approve_turn_down_and_archive(db, brand_staff, on_commit):
    waiting, unwanted, live = make_circle(approve=False), make_circle(approve=False), make_circle()
    browser = browser_for(brand_staff)
    page = browser.get("/admin/circles/circle/?status__exact=PENDING")
    assert page.status_code == 200 and waiting.name in page.content.decode()
    with on_commit():
        admin_action(browser, "circles", "circle", "approve", [waiting])
        admin_action(browser, "circles", "circle", "reject", [unwanted])
        admin_action(browser, "circles", "circle", "archive", [live])
    statuses = {c.pk: c.status for c in Circle.objects.all()}
    assert statuses == {waiting.pk: "ACTIVE", unwanted.pk: "ARCHIVED", live.pk: "ARCHIVED"}
    assert Activity.objects.filter(verb=Verb.CIRCLE_APPROVED, actor=brand_staff).count() == 1
    assert browser.get(f"/admin/circles/circle/{waiting.pk}/change/").status_code == 200


def test_memberships_invites_and_chat_are_listed_and_acted_on_through_services(db, brand_staff):
    member = UserFactory(nickname="捣乱的人")
    circle = make_circle(members=[member])
    invite = services.create_invite(user=circle.created_by, circle_id=circle.pk)
    services.send_chat_message(user=member, circle_id=circle.pk, body="广告广告")
    browser = browser_for(brand_staff)
    for path in ("membership", "invite", "chatmessage"):
        assert browser.get(f"/admin/circles/{path}/").status_code == 200
    assert invite.code not in browser.get(f"/admin/circles/invite/{invite.pk}/change/").content.decode()
    admin_action(browser, "circles", "chatmessage", "hide", ChatMessage.objects.all())
    assert ChatMessage.objects.get().status == "HIDDEN"
    admin_action(browser, "circles", "membership", "ban", [membership(circle, member)])
    assert membership(circle, member).status == "BANNED"
    admin_action(browser, "circles", "invite", "revoke", [invite])
    invite.refresh_from_db()
    assert invite.revoked_at is not None
    circle.refresh_from_db()
    assert circle.member_count == 1


def test_removing_the_host_in_the_back_office_hands_the_circle_on(db, brand_staff):
    heir = UserFactory()
    circle = make_circle(members=[heir])
    admin_action(browser_for(brand_staff), "circles", "membership", "remove", [membership(circle, circle.created_by)])
    assert Membership.objects.get(circle=circle, role="HOST").user == heir  # succession, as in the app


def test_owners_do_not_get_in(db, user):
    assert browser_for(user).get("/admin/circles/circle/").status_code == 302
