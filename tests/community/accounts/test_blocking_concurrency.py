"""A block and follows racing it, each on its own PostgreSQL connection: no follow survives the block,
and the follower counters stay equal to the follow rows."""

import pytest

from community.accounts import services as account_services
from community.models import Block, Follow, User
from tests.factories import UserFactory
from tests.helpers import at_once

ROUNDS = 8


def act(kind, fan, owner, pest):
    if kind == "block":
        account_services.block_user(user=owner, blocked_id=pest.pk)
    elif kind == "pest":
        account_services.follow(user=pest, followee_id=owner.pk)
    elif kind == "owner":
        account_services.follow(user=owner, followee_id=pest.pk)
    else:
        account_services.follow(user=fan, followee_id=owner.pk)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_follows_racing_a_block_never_outlive_it_and_counters_stay_exact():
    for _round in range(ROUNDS):
        owner, pest = UserFactory(), UserFactory()
        fans = [UserFactory() for _ in range(3)]

        work = [(kind, None, owner, pest) for kind in ("block", "pest", "owner")]
        work += [("fan", fan, owner, pest) for fan in fans]
        # A follow refused because the block won the race is what the test allows; nothing may crash.
        assert at_once([lambda args=args: act(*args) for args in work]).crashes == []
        assert Block.objects.filter(blocker=owner, blocked=pest).exists()
        assert not Follow.objects.filter(follower__in=[owner, pest], followee__in=[owner, pest]).exists()
        for user in User.objects.filter(pk__in=[owner.pk, pest.pk]):
            assert user.follower_count == Follow.objects.filter(followee=user).count()
            assert user.following_count == Follow.objects.filter(follower=user).count()
