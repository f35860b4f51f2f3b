"""An owner with some of everything (a circle, a post with a photo, a comment, chat, a private conversation,
a sign-up, points)."""

from circles.services.chat import send_chat_message
from community.content.services import add_comment, create_post
from community.messaging.services import send_direct_message
from events.services.signups import sign_up
from tests.circles.factories import make_circle, verified_owner
from tests.events.factories import make_event
from tests.gamification.factories import grant_points
from tests.images import png_bytes, upload


def owner_with_history(capture, **fields):
    owner = verified_owner(**{"nickname": "导出者", **fields})
    with capture(execute=True):
        circle_mate = verified_owner(nickname="车友小周")
        circle = make_circle(members=[owner, circle_mate])
        post = create_post(user=owner, body="第一次自驾", images=[upload("a.png", png_bytes())])
        add_comment(user=owner, post_id=post.pk, body="补充一句")
        send_chat_message(user=owner, circle_id=circle.pk, body="大家好")
        send_direct_message(user=owner, recipient_id=circle_mate.pk, body="周末一起洗车？")
        send_direct_message(user=circle_mate, recipient_id=owner.pk, body="好啊")
        sign_up(user=owner, event_id=make_event(circle=circle).pk)
        grant_points(owner, 7)
    return owner
