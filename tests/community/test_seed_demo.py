"""`manage.py seed_demo` makes realistic data and is idempotent."""

from io import StringIO

from django.core.management import call_command

from community import demo
from community.kernel.verbs import NotificationVerb
from community.models import Follow, Notification, User, Vehicle


def test_seed_demo_is_idempotent_and_realistic(db, on_commit):
    out = StringIO()
    with on_commit():
        call_command("seed_demo", "--users", "12", "--no-progress", stdout=out)
    followed = Notification.objects.filter(verb=NotificationVerb.FOLLOWED)  # points and badges notify too
    counts = (User.objects.count(), Vehicle.objects.count(), Follow.objects.count(), followed.count())
    assert counts[0] == 14  # 12 owners, brand staff and the admin
    assert counts[1] >= 8 and counts[2] >= 12 and counts[3] == counts[2]
    assert "brand" in out.getvalue() and demo.DEMO_PASSWORD in out.getvalue()
    with on_commit():
        call_command("seed_demo", "--users", "12", "--no-progress", stdout=StringIO())
    assert (
        User.objects.count(),
        Vehicle.objects.count(),
        Follow.objects.count(),
        followed.count(),
    ) == counts
    brand = User.objects.get(username="brand")
    assert brand.is_brand_staff and brand.check_password(demo.DEMO_PASSWORD)
    owner = User.objects.get(username="owner001")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in owner.nickname)
    assert owner.city in demo.CITIES
    for user in User.objects.all():
        assert user.follower_count == Follow.objects.filter(followee=user).count()


def test_seed_demo_grows_with_more_users(db):
    call_command("seed_demo", "--users", "3", "--no-progress", stdout=StringIO())
    call_command("seed_demo", "--users", "5", "--no-progress", stdout=StringIO())
    assert User.objects.filter(username__startswith="owner").count() == 5
