"""The brand console's audit log, the mutes that last and lifting one."""

from datetime import timedelta

from django.utils import timezone

from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import Mute
from community.moderation.models import ModerationAction
from tests.content.helpers import make_post, veteran
from tests.helpers import data_of, gid
from tests.moderation.test_reports_and_reviews import RESOLVE, report

LOG = """query($first: Int, $after: String, $action: ModerationActionKind) {
  moderationLog(first: $first, after: $after, action: $action) {
    pageInfo { hasNextPage endCursor }
    edges { node { id action note targetType targetId createdAt
      moderator { nickname } subject { nickname } report { id reason } } }
  }
}"""
MUTES = """query($first: Int, $after: String) {
  moderationMutes(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id until reason user { nickname } createdBy { nickname } } }
  }
}"""
LIFT = """mutation($input: LiftMuteInput!) {
  liftMute(input: $input) { mute { id until } errors { field code message } }
}"""


def hide_reported_post(gql, staff, note="广告"):
    author = veteran()
    post = make_post(author)
    report_id = report(gql, veteran(), post)["report"]["id"]
    gql(RESOLVE, {"input": {"reportId": report_id, "decision": "HIDE", "note": note}}, user=staff)
    return author, post, report_id


def test_the_log_lists_decisions_newest_first_with_who_whom_and_the_report(gql, brand_staff):
    author, post, report_id = hide_reported_post(gql, brand_staff)
    _second_author, second_post, _ = hide_reported_post(gql, brand_staff, note="")
    page = data_of(gql(LOG, {"first": 10}, user=brand_staff), "moderationLog")
    nodes = [edge["node"] for edge in page["edges"]]
    assert [n["targetId"] for n in nodes] == [gid(second_post), gid(post)]
    first = nodes[1]
    assert first["action"] == "HIDE" and first["targetType"] == "Post" and first["note"] == "广告"
    assert first["moderator"]["nickname"] == brand_staff.nickname
    assert first["subject"]["nickname"] == author.nickname
    assert first["report"]["id"] == report_id
    assert nodes[0]["note"] is None


def test_the_log_pages_with_cursors_and_filters_by_action(gql, brand_staff):
    for _ in range(3):
        hide_reported_post(gql, brand_staff)
    entry = ModerationAction.objects.first()
    ModerationAction.objects.create(action="AUTO_HOLD", target_type=entry.target_type, target_id=entry.target_id)
    first = data_of(gql(LOG, {"first": 2}, user=brand_staff), "moderationLog")
    assert first["pageInfo"]["hasNextPage"] is True
    rest = data_of(gql(LOG, {"first": 2, "after": first["pageInfo"]["endCursor"]}, user=brand_staff), "moderationLog")
    seen = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert len(seen) == len(set(seen)) == 4 and rest["pageInfo"]["hasNextPage"] is False
    held = data_of(gql(LOG, {"action": "AUTO_HOLD"}, user=brand_staff), "moderationLog")["edges"]
    assert [e["node"]["action"] for e in held] == ["AUTO_HOLD"] and held[0]["node"]["moderator"] is None


def test_the_log_and_mutes_are_refused_to_owners_and_anonymous(gql):
    for query, field in ((LOG, "moderationLog"), (MUTES, "moderationMutes")):
        owner = gql(query, user=veteran())
        assert owner["data"][field] is None and owner["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        anonymous = gql(query)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_the_log_reads_a_page_in_constant_queries(gql, brand_staff, django_assert_max_num_queries):
    for _ in range(2):
        hide_reported_post(gql, brand_staff)
    token = gql.token_for(brand_staff)
    with django_assert_max_num_queries(3):
        gql(LOG, {"first": 2}, token=token)
    for _ in range(6):
        hide_reported_post(gql, brand_staff)
    with django_assert_max_num_queries(3):
        page = data_of(gql(LOG, {"first": 8}, token=token), "moderationLog")
    assert len(page["edges"]) == 8


def make_mute(user, days=3, by=None):
    return Mute.objects.create(user=user, until=timezone.now() + timedelta(days=days), reason="刷屏", created_by=by)


def test_mutes_lists_the_ones_that_last_soonest_ending_first(gql, brand_staff, django_assert_max_num_queries):
    long_mute = make_mute(veteran(), days=30, by=brand_staff)
    short_mute = make_mute(veteran(), days=1)
    Mute.objects.create(user=veteran(), until=timezone.now() - timedelta(hours=1))
    with django_assert_max_num_queries(5):
        nodes = [e["node"] for e in data_of(gql(MUTES, user=brand_staff), "moderationMutes")["edges"]]
    assert [n["id"] for n in nodes] == [gid(short_mute), gid(long_mute)]
    assert nodes[1]["createdBy"]["nickname"] == brand_staff.nickname and nodes[1]["reason"] == "刷屏"
    assert nodes[0]["user"]["nickname"] == short_mute.user.nickname
    first = data_of(gql(MUTES, {"first": 1}, user=brand_staff), "moderationMutes")
    rest = data_of(
        gql(MUTES, {"first": 1, "after": first["pageInfo"]["endCursor"]}, user=brand_staff), "moderationMutes"
    )
    assert [e["node"]["id"] for e in rest["edges"]] == [gid(long_mute)]


def test_lifting_a_mute_lets_its_user_post_again_and_is_logged(gql, brand_staff):
    muted = veteran()
    mute = make_mute(muted)
    create = "mutation($input: CreatePostInput!) { createPost(input: $input) { post { id } errors { code } } }"
    assert data_of(gql(create, {"input": {"body": "我来了"}}, user=muted), "createPost")["errors"][0]["code"] == "MUTED"
    lifted = data_of(gql(LIFT, {"input": {"muteId": gid(mute)}}, user=brand_staff), "liftMute")
    assert lifted["errors"] == [] and lifted["mute"]["id"] == gid(mute)
    assert data_of(gql(create, {"input": {"body": "我来了"}}, user=muted), "createPost")["post"]["id"]
    assert data_of(gql(MUTES, user=brand_staff), "moderationMutes")["edges"] == []
    entry = ModerationAction.objects.get(action="LIFT_MUTE")
    assert (entry.moderator, entry.subject, entry.target_id) == (brand_staff, muted, mute.pk)
    assert Activity.objects.filter(verb=Verb.USER_UNMUTED, actor=muted).count() == 1
    logged = data_of(gql(LOG, {"action": "LIFT_MUTE"}, user=brand_staff), "moderationLog")["edges"]
    assert logged[0]["node"]["targetType"] == "Mute" and logged[0]["node"]["targetId"] == gid(mute)


def test_lift_mute_refusals(gql, brand_staff):
    mute = make_mute(veteran())
    owner = data_of(gql(LIFT, {"input": {"muteId": gid(mute)}}, user=veteran()), "liftMute")
    assert owner["errors"][0]["code"] == "FORBIDDEN"
    missing = data_of(gql(LIFT, {"input": {"muteId": "TXV0ZTo5OTk5OQ=="}}, user=brand_staff), "liftMute")
    assert missing["errors"][0]["field"] == "muteId" and missing["errors"][0]["code"] == "NOT_FOUND"
    wrong = data_of(gql(LIFT, {"input": {"muteId": gid(mute.user)}}, user=brand_staff), "liftMute")
    assert wrong["errors"][0]["code"] == "INVALID"
    gql(LIFT, {"input": {"muteId": gid(mute)}}, user=brand_staff)
    again = data_of(gql(LIFT, {"input": {"muteId": gid(mute)}}, user=brand_staff, language="en"), "liftMute")
    assert again["errors"] == [{"field": "muteId", "code": "CONFLICT", "message": "This mute has already ended."}]
    assert ModerationAction.objects.filter(action="LIFT_MUTE").count() == 1
