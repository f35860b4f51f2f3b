"""Ties: two strangers become a strong tie through the activity stream; one-sided attention stays
below FRIEND; time decays a tie; redelivered activities change nothing; the API shows it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from graphql_relay import to_global_id

from community.accounts import services as account_services
from community.content import services as content_services
from community.kernel.activity import dispatch, record_activity
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from gamification import ties
from gamification.models import Tie, TieEvent
from tests.content.helpers import make_comment, make_post
from tests.events.factories import make_event
from tests.factories import UserFactory
from tests.helpers import data_of

MY_TIES = """
query($first: Int, $after: String, $minLevel: TieLevel) {
  myTies(first: $first, after: $after, minLevel: $minLevel) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { strength level sharedEvents lastInteractionAt user { nickname level tie { level } } } }
  }
}"""
USER_TIE = "query($id: ID!) { user(id: $id) { nickname tie { level strength sharedEvents user { nickname } } } }"


def attend(on_commit, event, *users):
    """Attendance as the events app records it: `event.attended`, actor the attendee, target the event."""
    for user in users:
        with on_commit():
            record_activity(actor=user, verb=Verb.EVENT_ATTENDED, target=event, circle_id=event.circle_id)


def comment_on(on_commit, author, post):
    comment = make_comment(post, author)
    with on_commit():
        record_activity(
            actor=author,
            verb=Verb.COMMENT_CREATED,
            target=comment,
            data={"post": post.pk, "post_author": post.author_id, "parent_author": None, "status": "PUBLISHED"},
        )


def tie_of(a, b) -> Tie:
    return ties.tie_between(a.pk, b.pk)


@pytest.mark.django_db
def test_two_strangers_become_a_strong_tie(on_commit, gql):
    a, b = UserFactory(nickname="阿杰"), UserFactory(nickname="小北")
    assert tie_of(a, b) is None

    first, second, third = make_event(brand=True), make_event(brand=True), make_event(brand=True)
    attend(on_commit, first, a, b)
    tie = tie_of(a, b)
    assert (tie.user_low_id, tie.user_high_id) == tuple(sorted((a.pk, b.pk)))
    assert tie.strength == pytest.approx(10, abs=0.01)
    assert ties.level_of(tie.strength) == "ACQUAINTANCE"

    attend(on_commit, second, b, a)
    tie = tie_of(a, b)
    assert tie.strength == pytest.approx(20, abs=0.01) and tie.shared_events == 2
    assert ties.level_of(tie.strength) == "FRIEND"

    # Replying to each other's posts: 3 each way.
    comment_on(on_commit, a, make_post(b))
    comment_on(on_commit, b, make_post(a))
    assert tie_of(a, b).strength == pytest.approx(26, abs=0.01)

    # Following one way is not yet mutual; following back adds 5 once.
    with on_commit():
        account_services.follow(user=a, followee_id=b.pk)
    assert tie_of(a, b).strength == pytest.approx(26, abs=0.01)
    with on_commit():
        account_services.follow(user=b, followee_id=a.pk)
    assert tie_of(a, b).strength == pytest.approx(31, abs=0.01)

    attend(on_commit, third, a, b)
    tie = tie_of(a, b)
    assert tie.strength == pytest.approx(41, abs=0.01) and tie.shared_events == 3
    assert ties.level_of(tie.strength) == "STRONG"
    strong = Activity.objects.filter(verb=Verb.TIE_BECAME_STRONG).order_by("actor_id")
    assert sorted(strong.values_list("actor_id", flat=True)) == sorted([a.pk, b.pk])
    assert all(activity.data["strong_ties"] == 1 for activity in strong)

    seen = data_of(gql(USER_TIE, {"id": to_global_id("User", b.pk)}, user=a), "user")
    assert seen["tie"] == {"level": "STRONG", "strength": 41.0, "sharedEvents": 3, "user": {"nickname": "小北"}}
    assert data_of(gql(USER_TIE, {"id": to_global_id("User", a.pk)}, user=a), "user")["tie"] is None
    assert data_of(gql(USER_TIE, {"id": to_global_id("User", b.pk)}), "user")["tie"] is None
    edges = data_of(gql(MY_TIES, {"first": 10}, user=b), "myTies")["edges"]
    assert [(e["node"]["user"]["nickname"], e["node"]["level"]) for e in edges] == [("阿杰", "STRONG")]


@pytest.mark.django_db
def test_redelivering_activities_changes_nothing(on_commit):
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    event = make_event(brand=True)
    attend(on_commit, event, a, b, c)
    comment_on(on_commit, a, make_post(b))
    before = {(t.pk, t.strength, t.raw_strength, t.shared_events) for t in Tie.objects.all()}
    assert len(before) == 3
    events_before = TieEvent.objects.count()

    Activity.objects.update(dispatched_at=None)
    for activity_id in Activity.objects.values_list("pk", flat=True):
        with on_commit():
            assert dispatch(activity_id)
    assert {(t.pk, t.strength, t.raw_strength, t.shared_events) for t in Tie.objects.all()} == before
    assert TieEvent.objects.count() == events_before


@pytest.mark.django_db
def test_a_held_comment_counts_once_approved_and_only_once(on_commit):
    author, replier = UserFactory(), UserFactory()
    comment = make_comment(make_post(author), replier, status="PENDING_REVIEW")
    data = {"post_author": author.pk, "parent_author": None}
    with on_commit():
        record_activity(
            actor=replier, verb=Verb.COMMENT_CREATED, target=comment, data={**data, "status": "PENDING_REVIEW"}
        )
    assert tie_of(author, replier) is None
    with on_commit():
        record_activity(actor=replier, verb=Verb.COMMENT_APPROVED, target=comment, data={"by": author.pk})
        record_activity(actor=replier, verb=Verb.COMMENT_CREATED, target=comment, data={**data, "status": "PUBLISHED"})
    assert tie_of(author, replier).raw_strength == pytest.approx(3)


@pytest.mark.django_db
def test_one_sided_attention_stays_below_friend_until_answered(on_commit):
    fan, star = UserFactory(), UserFactory()
    for _ in range(12):
        post = make_post(star)
        with on_commit():
            content_services.like_post(user=fan, post_id=post.pk)
        comment_on(on_commit, fan, post)
    tie = tie_of(fan, star)
    assert tie.raw_strength == pytest.approx(48, abs=0.01)
    assert tie.strength == ties.RECIPROCITY_CAP
    assert ties.level_of(tie.strength) == "ACQUAINTANCE"

    # Unliking and liking again adds nothing: the like is keyed by the post.
    with on_commit():
        content_services.unlike_post(user=fan, post_id=post.pk)
        content_services.like_post(user=fan, post_id=post.pk)
    assert tie_of(fan, star).raw_strength == pytest.approx(48, abs=0.01)

    comment_on(on_commit, star, make_post(fan))
    tie = tie_of(fan, star)
    assert tie.strength == pytest.approx(51, abs=0.01)
    assert ties.level_of(tie.strength) == "STRONG"


@pytest.mark.django_db
def test_decay_halves_a_tie_in_ninety_days_and_running_twice_changes_nothing(on_commit):
    a, b = UserFactory(), UserFactory()
    for _ in range(2):
        attend(on_commit, make_event(brand=True), a, b)
    now = timezone.now()
    Tie.objects.update(updated_at=now - timedelta(days=90))

    assert ties.decay_ties(now) == 1
    tie = tie_of(a, b)
    assert tie.strength == pytest.approx(10, abs=0.01) and tie.raw_strength == pytest.approx(10, abs=0.01)
    assert ties.level_of(tie.strength) == "ACQUAINTANCE"
    assert tie.updated_at == now

    assert ties.decay_ties(now) == 0
    assert tie_of(a, b).strength == tie.strength

    # One-sided ties stay capped after decay.
    fan, star = UserFactory(), UserFactory()
    for _ in range(10):
        comment_on(on_commit, fan, make_post(star))
    Tie.objects.filter(user_low_id=min(fan.pk, star.pk)).update(updated_at=now - timedelta(days=90))
    ties.decay_ties(now)
    assert tie_of(fan, star).strength == ties.RECIPROCITY_CAP and tie_of(fan, star).raw_strength == pytest.approx(15)


@pytest.mark.django_db
def test_chat_replies_and_shared_circles_add_to_existing_ties(on_commit):
    from tests.circles.factories import add_member, make_circle

    a, b = UserFactory(), UserFactory()
    circle = make_circle(members=[a, b])
    with on_commit():
        for held in (False, True):  # a held reply counts too
            record_activity(
                actor=a,
                verb=Verb.CHAT_MESSAGE_SENT,
                target=circle,
                circle_id=circle.pk,
                data={"reply_to_author_id": b.pk, "held": held},
            )
    assert tie_of(a, b).strength == pytest.approx(2)

    other = make_circle(members=[b])
    with on_commit():  # joining records circle.joined, which the ties consumer reads
        add_member(other, a)
    assert tie_of(a, b).raw_strength == pytest.approx(3)
    assert not tie_of(a, b).reciprocal


@pytest.mark.django_db
def test_my_ties_pages_strongest_first_filters_by_level_and_costs_the_same_for_any_page(gql):
    me = UserFactory()
    others = UserFactory.create_batch(60)
    now = timezone.now()
    Tie.objects.bulk_create(
        [
            Tie(
                user_low_id=min(me.pk, o.pk),
                user_high_id=max(me.pk, o.pk),
                strength=float(i),
                raw_strength=float(i),
                low_acted=True,
                high_acted=True,
                updated_at=now,
            )
            for i, o in enumerate(others)
        ]
    )
    page = data_of(gql(MY_TIES, {"first": 5}, user=me), "myTies")
    assert [e["node"]["strength"] for e in page["edges"]] == [59, 58, 57, 56, 55]
    assert page["pageInfo"]["hasNextPage"]
    after = data_of(gql(MY_TIES, {"first": 5, "after": page["pageInfo"]["endCursor"]}, user=me), "myTies")
    assert [e["node"]["strength"] for e in after["edges"]] == [54, 53, 52, 51, 50]
    assert after["edges"][0]["node"]["user"]["tie"]["level"] == "STRONG"

    friends = data_of(gql(MY_TIES, {"first": 100, "minLevel": "FRIEND"}, user=me), "myTies")["edges"]
    assert len(friends) == 45 and min(e["node"]["strength"] for e in friends) == 15

    counts = []
    for first in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            data_of(gql(MY_TIES, {"first": first}, user=me), "myTies")
        counts.append(len(queries))
    assert counts[0] == counts[1]

    anonymous = gql(MY_TIES, {"first": 5})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
