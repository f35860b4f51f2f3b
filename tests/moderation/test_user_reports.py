"""Reporting a person (profile abuse, fake accounts): in the queue with their recent activity, and
resolved by dismissing, muting or deactivating them."""

from __future__ import annotations

from django.db import reset_queries

from community.accounts import services as account_services
from community.content import services as content_services
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import AuthToken, Mute
from community.moderation.models import ModerationAction, Report
from tests.content.helpers import veteran
from tests.factories import UserFactory
from tests.helpers import ERRORS, codes, data_of, gid, run

REPORT = f"""mutation($input: ReportContentInput!) {{
  reportContent(input: $input) {{ report {{ id status reportedUser {{ id }} post {{ id }} }} {ERRORS} }}
}}"""
RESOLVE = f"""mutation($input: ResolveReportInput!) {{
  resolveReport(input: $input) {{ report {{ id status }} {ERRORS} }}
}}"""
QUEUE = """{ moderationQueue(first: 50) { edges { node { id reason reportedUser { nickname }
  reportedUserActivity { verb createdAt targetId } } } } }"""


def report(gql, reporter, target, reason="ABUSE"):
    return run(gql, REPORT, "reportContent", user=reporter, targetId=gid(target), reason=reason, note="假账号")


def test_a_person_is_reported_once_and_appears_in_the_queue_with_their_recent_activity(
    gql, brand_staff, django_assert_max_num_queries
):
    suspect = veteran()
    post = content_services.create_post(user=suspect, body="加我微信买便宜配件")
    reporter = veteran()
    first = report(gql, reporter, suspect)
    assert first["errors"] == [] and first["report"]["reportedUser"] == {"id": gid(suspect)}
    assert first["report"]["post"] is None and first["report"]["status"] == "OPEN"
    assert codes(report(gql, reporter, suspect)) == ["CONFLICT"]
    assert Activity.objects.filter(verb=Verb.CONTENT_REPORTED, target_id=suspect.pk).count() == 1

    edges = data_of(gql(QUEUE, user=brand_staff), "moderationQueue")["edges"]
    node = edges[0]["node"]
    assert node["reportedUser"] == {"nickname": suspect.nickname}
    assert node["reportedUserActivity"][0]["verb"] == Verb.POST_CREATED
    assert node["reportedUserActivity"][0]["targetId"] == gid(post)
    # The reporter sees their report, never the reported person's activity.
    mine = data_of(
        gql(
            "query($id: ID!) { node(id: $id) { ... on Report { reportedUserActivity { verb } } } }",
            {"id": first["report"]["id"]},
            user=reporter,
        ),
        "node",
    )
    assert mine == {"reportedUserActivity": None}

    # The queue costs the same queries however many people are reported.
    reset_queries()  # the log keeps 9000 queries: measure from an empty one
    with django_assert_max_num_queries(20) as small:
        data_of(gql(QUEUE, user=brand_staff), "moderationQueue")
    for _ in range(5):
        someone = UserFactory()
        content_services.create_post(user=someone, body="你好")
        report(gql, veteran(), someone)
    budget = small.final_queries - small.initial_queries
    reset_queries()
    with django_assert_max_num_queries(budget):
        edges = data_of(gql(QUEUE, user=brand_staff), "moderationQueue")["edges"]
    assert len(edges) == 6 and all(edge["node"]["reportedUserActivity"] for edge in edges)


def test_refusals_when_reporting_a_person(gql, user):
    assert codes(report(gql, None, user)) == ["UNAUTHENTICATED"]
    assert codes(report(gql, user, user)) == ["INVALID"]
    gone = UserFactory(is_active=False)
    assert codes(report(gql, veteran(), gone)) == ["NOT_FOUND"]


def test_resolving_mutes_the_person(gql, brand_staff):
    suspect = veteran()
    reports = [report(gql, veteran(), suspect)["report"]["id"] for _ in range(2)]
    refused = run(gql, RESOLVE, "resolveReport", user=brand_staff, reportId=reports[0], decision="HIDE")
    assert codes(refused) == ["INVALID"]
    assert codes(run(gql, RESOLVE, "resolveReport", user=veteran(), reportId=reports[0], decision="DISMISS")) == [
        "FORBIDDEN"
    ]
    muted = run(
        gql, RESOLVE, "resolveReport", user=brand_staff, reportId=reports[0], decision="MUTE_AUTHOR", muteDays=7
    )
    assert muted["errors"] == [] and muted["report"]["status"] == "ACTIONED"
    assert Report.objects.filter(reported_user=suspect, status="ACTIONED").count() == 2  # both reports closed
    assert Mute.objects.filter(user=suspect).count() == 1
    assert ModerationAction.objects.filter(action="MUTE_AUTHOR", subject=suspect).count() == 1
    post = run(
        gql,
        f"mutation($input: CreatePostInput!) {{ createPost(input: $input) {{ post {{ id }} {ERRORS} }} }}",
        "createPost",
        user=suspect,
        body="还能发吗",
    )
    assert codes(post) == ["MUTED"]


def test_resolving_deactivates_the_person(gql, brand_staff):
    suspect = veteran()
    account_services.issue_token(suspect)
    first = report(gql, veteran(), suspect)["report"]["id"]
    done = run(gql, RESOLVE, "resolveReport", user=brand_staff, reportId=first, decision="DEACTIVATE", note="假账号")
    assert done["errors"] == []
    suspect.refresh_from_db()
    assert suspect.is_active is False
    assert not AuthToken.objects.filter(user=suspect, revoked_at__isnull=True).exists()
    assert Activity.objects.filter(verb=Verb.USER_DEACTIVATED, actor=suspect).count() == 1
    assert data_of(gql("query($id: ID!) { user(id: $id) { id } }", {"id": gid(suspect)}), "user") is None
    login = run(
        gql,
        f"mutation($input: LoginInput!) {{ login(input: $input) {{ token {ERRORS} }} }}",
        "login",
        username=suspect.username,
        password="password",
    )
    assert login["token"] is None
