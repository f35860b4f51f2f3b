"""The back office lists only held or reported private messages, and passes held ones through the service."""

from django.test import Client

from community.accounts import services as account_services
from community.kernel.statuses import ContentStatus
from community.messaging import services
from community.models import SensitiveWord
from tests.content.helpers import veteran


def test_staff_see_held_messages_only_and_deliver_them(db, brand_staff, on_commit):
    alice, bob = veteran(), veteran()
    for a, b in ((alice, bob), (bob, alice)):
        account_services.follow(user=a, followee_id=b.pk)
    SensitiveWord.objects.create(word="加微信", action="HOLD")
    private = services.send_direct_message(user=alice, recipient_id=bob.pk, body="明天见面聊")
    held = services.send_direct_message(user=alice, recipient_id=bob.pk, body="加微信详谈")
    browser = Client()
    browser.force_login(brand_staff)
    page = browser.get("/admin/messaging/directmessage/")
    assert page.status_code == 200
    assert "加微信详谈" in page.content.decode() and "明天见面聊" not in page.content.decode()
    assert browser.get(f"/admin/messaging/directmessage/{private.pk}/change/").status_code in (302, 404)
    with on_commit():
        response = browser.post(
            "/admin/messaging/directmessage/", {"action": "pass_held", "_selected_action": [held.pk]}, follow=True
        )
    assert response.status_code == 200
    held.refresh_from_db()
    assert held.status == ContentStatus.PUBLISHED
