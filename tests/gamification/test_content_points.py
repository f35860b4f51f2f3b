"""Content and invites pay points through the activity stream, and undoing takes them back."""

from community.content import services as content_services
from gamification.models import PointsAccount, PointsTransaction
from tests.content.helpers import make_post, veteran


def balance(user) -> int:
    account = PointsAccount.objects.filter(user=user).first()
    return account.balance if account else 0


def test_posting_pays_and_deleting_takes_back(db, on_commit):
    author = veteran()
    with on_commit():
        post = content_services.create_post(user=author, body="今天提车了")
    earned = balance(author)
    assert earned > 0
    with on_commit():
        content_services.delete_post(user=author, post_id=post.pk)
    assert balance(author) == 0
    assert PointsTransaction.objects.filter(account__user=author).count() == 2


def test_a_like_pays_the_author_once_and_unliking_takes_it_back(db, on_commit):
    author, fan = veteran(), veteran()
    post = make_post(author)
    with on_commit():
        content_services.like_post(user=fan, post_id=post.pk)
        content_services.like_post(user=fan, post_id=post.pk)
    paid = balance(author)
    assert paid > 0 and balance(fan) == 0
    with on_commit():
        content_services.unlike_post(user=fan, post_id=post.pk)
        content_services.like_post(user=fan, post_id=post.pk)  # farming likes pays nothing more
    assert balance(author) == 0


def test_comments_pay_their_author(db, on_commit):
    commenter = veteran()
    with on_commit():
        content_services.add_comment(user=commenter, post_id=make_post().pk, body="好车")
    assert balance(commenter) > 0
