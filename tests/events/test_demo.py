"""The events part of `seed_demo`: host-led and brand events, past ones with attendance, no-shows and
recaps (so the comparison has figures), upcoming ones with a waitlist; the same when run again."""

from circles import demo as circle_demo
from community import demo as community_demo
from community.content import demo as content_demo
from events import demo
from events.models import Event, Signup
from events.selectors import compare_origins


def seed(users: int):
    """The seeding order of `seed_demo` up to content, which posts the recaps the events part asks for."""
    report = community_demo.seed(users)
    circle_demo.seed_app(report)
    demo.seed_app(report)
    content_demo.seed_app(report)
    return report


def snapshot():
    return (
        sorted(Event.objects.values_list("title", "status", "confirmed_seats", "waitlist_count")),
        sorted(Signup.objects.values_list("event__title", "user__username", "status")),
    )


def test_demo_events_are_realistic_and_idempotent(db, on_commit):
    with on_commit():
        report = seed(30)
    titles = set(Event.objects.values_list("title", flat=True))
    assert titles == {spec.title for spec in demo.SPECS}
    assert set(Event.objects.values_list("origin", flat=True)) == {"HOST", "BRAND"}
    assert Event.objects.filter(status="FINISHED").count() == sum(1 for s in demo.SPECS if s.days < 0)
    assert Signup.objects.filter(status="ATTENDED").exists() and Signup.objects.filter(status="NO_SHOW").exists()
    assert Event.objects.filter(status="PUBLISHED", waitlist_count__gt=0).exists()
    for event in Event.objects.all():
        seated = sum(s.seats for s in event.signups.filter(status__in=Signup.SEATED))
        assert event.confirmed_seats == seated <= event.capacity
        assert event.waitlist_count == event.signups.filter(status="WAITLISTED").count()
    stats = compare_origins()
    for origin in ("HOST", "BRAND"):
        assert stats[origin].events > 0 and stats[origin].attendance_rate > 0
    assert stats["HOST"].new_ties_per_attendee > 0 and stats["HOST"].posts_per_event > 0
    assert any("活动" in line for line in report.lines)
    before = snapshot()
    with on_commit():
        seed(30)
    assert snapshot() == before


def test_demo_copes_with_few_owners(db):
    seed(2)
    assert not Event.objects.exists()
