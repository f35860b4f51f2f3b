"""Reports, the moderation queue, held posts and the audit log."""

from graphql_relay import to_global_id

from community.content.models import Post
from community.kernel.statuses import ContentStatus
from community.kernel.verbs import NotificationVerb
from community.models import Mute, Notification, SensitiveWord
from community.moderation.models import ModerationAction, Report
from tests.content.helpers import make_circle, make_comment, make_post, veteran
from tests.helpers import data_of, gid

REPORT = """
mutation($input: ReportContentInput!) {
  reportContent(input: $input) { report { id reason status post { id } comment { id } } errors { field code message } }
}"""
RESOLVE = """
mutation($input: ResolveReportInput!) { resolveReport(input: $input) { report { id status } errors { field code } } }"""
QUEUE = (
    "query($status: ReportStatus) { moderationQueue(first: 50, status: $status) { edges { node { id reason "
    "reporter { nickname } post { id } comment { id } } } } }"
)
PENDING = "{ pendingPosts(first: 20) { edges { node { id status author { nickname } } } } }"
REVIEW = "mutation($input: ReviewPostInput!) { reviewPost(input: $input) { post { id status } errors { code } } }"
CREATE = """
mutation($input: CreatePostInput!) { createPost(input: $input) { post { id status } errors { field code message } } }"""


def report(gql, user, target, reason="SPAM"):
    return data_of(gql(REPORT, {"input": {"targetId": gid(target), "reason": reason}}, user=user), "reportContent")


def test_one_open_report_per_reporter_and_target(gql):
    post = make_post()
    reporter = veteran()
    assert report(gql, reporter, post)["report"]["status"] == "OPEN"
    again = report(gql, reporter, post)
    assert again["errors"][0]["code"] == "CONFLICT"
    assert Report.objects.count() == 1


def test_report_refusals(gql, user):
    mine = make_post(user)
    assert report(gql, user, mine)["errors"][0]["code"] == "INVALID"
    assert report(gql, None, mine)["errors"][0]["code"] == "UNAUTHENTICATED"
    not_reportable = data_of(
        gql(REPORT, {"input": {"targetId": to_global_id("Vehicle", 1), "reason": "SPAM"}}, user=veteran()),
        "reportContent",
    )
    assert not_reportable["errors"][0]["field"] == "targetId"
    assert report(gql, user, user)["errors"][0]["code"] == "INVALID"  # oneself
    hidden = make_post(status=ContentStatus.HIDDEN)
    assert report(gql, veteran(), hidden)["errors"][0]["code"] == "NOT_FOUND"


def test_three_distinct_reporters_hold_a_post_for_review(gql):
    post = make_post()
    for _ in range(2):
        report(gql, veteran(), post)
    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED
    report(gql, veteran(), post, reason="ABUSE")
    post.refresh_from_db()
    assert post.status == ContentStatus.PENDING_REVIEW
    assert ModerationAction.objects.filter(action="AUTO_HOLD", target_id=post.pk).exists()


def test_reported_comments_are_held_and_leave_the_count(gql):
    post = make_post()
    comment = make_comment(post)
    for _ in range(3):
        report(gql, veteran(), comment)
    comment.refresh_from_db()
    post.refresh_from_db()
    assert comment.status == ContentStatus.PENDING_REVIEW and post.comment_count == 0


def test_the_queue_is_for_brand_staff(gql, brand_staff):
    post = make_post()
    report(gql, veteran(), post)
    queue = data_of(gql(QUEUE, user=brand_staff), "moderationQueue")["edges"]
    assert [edge["node"]["post"]["id"] for edge in queue] == [gid(post)]
    refused = gql(QUEUE, user=veteran())
    assert refused["data"]["moderationQueue"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_hide_resolves_every_open_report_on_the_target_and_is_logged(gql, brand_staff):
    author = veteran()
    post = make_post(author)
    first = report(gql, veteran(), post)["report"]["id"]
    report(gql, veteran(), post)
    result = data_of(
        gql(RESOLVE, {"input": {"reportId": first, "decision": "HIDE", "note": "广告"}}, user=brand_staff),
        "resolveReport",
    )
    assert result["report"]["status"] == "ACTIONED"
    assert set(Report.objects.values_list("status", flat=True)) == {"ACTIONED"}
    post.refresh_from_db()
    assert post.status == ContentStatus.HIDDEN
    log = ModerationAction.objects.get(action="HIDE")
    assert (log.moderator, log.subject, log.note) == (brand_staff, author, "广告")
    assert Notification.objects.filter(recipient=author, verb=NotificationVerb.MODERATION).count() == 1
    again = data_of(gql(RESOLVE, {"input": {"reportId": first, "decision": "HIDE"}}, user=brand_staff), "resolveReport")
    assert again["errors"][0]["code"] == "CONFLICT"


def test_dismiss_restores_content_held_by_reports(gql, brand_staff):
    post = make_post()
    reports = [report(gql, veteran(), post)["report"]["id"] for _ in range(3)]
    for report_id in reports:
        gql(RESOLVE, {"input": {"reportId": report_id, "decision": "DISMISS"}}, user=brand_staff)
    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED
    assert set(Report.objects.values_list("status", flat=True)) == {"DISMISSED"}


def test_mute_author_stops_posting_commenting_until_it_ends(gql, brand_staff):
    author = veteran()
    post = make_post(author)
    report_id = report(gql, veteran(), post)["report"]["id"]
    missing_days = data_of(
        gql(RESOLVE, {"input": {"reportId": report_id, "decision": "MUTE_AUTHOR"}}, user=brand_staff), "resolveReport"
    )
    assert missing_days["errors"] == [{"field": "muteDays", "code": "INVALID"}]
    data_of(
        gql(RESOLVE, {"input": {"reportId": report_id, "decision": "MUTE_AUTHOR", "muteDays": 7}}, user=brand_staff),
        "resolveReport",
    )
    assert Mute.objects.get(user=author).until > post.created_at
    refused = data_of(gql(CREATE, {"input": {"body": "我又来了"}}, user=author), "createPost")
    assert refused["errors"][0]["code"] == "MUTED"


def test_owners_cannot_resolve(gql):
    report_id = report(gql, veteran(), make_post())["report"]["id"]
    result = data_of(
        gql(RESOLVE, {"input": {"reportId": report_id, "decision": "DELETE"}}, user=veteran()), "resolveReport"
    )
    assert result["errors"] == [{"field": None, "code": "FORBIDDEN"}]


def test_word_filter_holds_and_blocks_posts(gql, brand_staff, on_commit):
    with on_commit():
        SensitiveWord.objects.create(word="代开发票", action="BLOCK")
        SensitiveWord.objects.create(word="微信", action="HOLD")
    author = veteran()
    blocked = data_of(gql(CREATE, {"input": {"body": "代開發票找我"}}, user=author), "createPost")
    assert blocked["errors"] == [{"field": "body", "code": "INVALID", "message": "内容包含不允许发布的词语。"}]
    held = data_of(gql(CREATE, {"input": {"body": "有事加ＷＥＩ微信"}}, user=author), "createPost")
    assert held["post"]["status"] == "PENDING_REVIEW"
    assert Post.objects.count() == 1
    pending = data_of(gql(PENDING, user=brand_staff), "pendingPosts")["edges"]
    assert [edge["node"]["id"] for edge in pending] == [held["post"]["id"]]
    assert gql(PENDING, user=author)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    released = data_of(
        gql(REVIEW, {"input": {"postId": held["post"]["id"], "approve": True}}, user=brand_staff), "reviewPost"
    )
    assert released["post"]["status"] == "PUBLISHED"
    assert data_of(gql(PENDING, user=brand_staff), "pendingPosts")["edges"] == []
    twice = data_of(
        gql(REVIEW, {"input": {"postId": held["post"]["id"], "approve": False}}, user=brand_staff), "reviewPost"
    )
    assert twice["errors"] == [{"code": "CONFLICT"}]
    assert ModerationAction.objects.filter(action__in=["AUTO_HOLD", "APPROVE"]).count() == 2


def test_chat_messages_can_be_reported_held_and_hidden(gql, brand_staff):
    from circles.models import ChatMessage

    speaker = veteran()
    members = [veteran() for _ in range(3)]
    circle = make_circle(veteran(), members=[speaker, *members], visibility="PRIVATE")
    message = ChatMessage.objects.create(circle=circle, author=speaker, body="加我私聊买配件")
    outsider = veteran()
    assert report(gql, outsider, message)["errors"][0]["code"] == "NOT_FOUND"  # a private chat is not theirs
    ids = [report(gql, member, message)["report"]["id"] for member in members]
    message.refresh_from_db()
    assert message.status == "PENDING_REVIEW"
    data_of(
        gql(RESOLVE, {"input": {"reportId": ids[0], "decision": "MUTE_AUTHOR", "muteDays": 3}}, user=brand_staff),
        "resolveReport",
    )
    message.refresh_from_db()
    assert message.status == "HIDDEN"
    send = """mutation($input: SendChatMessageInput!) { sendChatMessage(input: $input) { errors { code message } } }"""
    refused = data_of(
        gql(send, {"input": {"circleId": gid(circle), "body": "我又来了"}}, user=speaker), "sendChatMessage"
    )
    assert refused["errors"][0]["code"] == "MUTED" and "禁言" in refused["errors"][0]["message"]
