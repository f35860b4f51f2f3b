"""A private message can be reported by its recipient; brand staff read it with the few messages
around it (never the whole conversation) and may hide it."""

from __future__ import annotations

from community.accounts import services as account_services
from community.kernel.statuses import ContentStatus
from community.messaging import services
from tests.content.helpers import veteran
from tests.helpers import ERRORS, codes, data_of, gid, run

REPORT = f"""mutation($input: ReportContentInput!) {{
  reportContent(input: $input) {{ report {{ id directMessage {{ body }} }} {ERRORS} }}
}}"""
RESOLVE = f"mutation($input: ResolveReportInput!) {{ resolveReport(input: $input) {{ report {{ status }} {ERRORS} }} }}"
QUEUE = "{ moderationQueue(first: 10) { edges { node { directMessage { body } directMessageContext { body } } } } }"
HISTORY = "query($id: ID!) { conversation(userId: $id) { messages(last: 50) { edges { node { body } } } } }"


def test_reported_message_reaches_the_queue_with_its_context_only(gql, brand_staff):
    alice, bob, eve = veteran(), veteran(), veteran()
    for a, b in ((alice, bob), (bob, alice)):
        account_services.follow(user=a, followee_id=b.pk)
    sent = []
    for index in range(14):
        sender, recipient = (alice, bob) if index % 2 == 0 else (bob, alice)
        sent.append(services.send_direct_message(user=sender, recipient_id=recipient.pk, body=f"消息{index}"))
    bad = sent[6]  # Alice's
    assert codes(run(gql, REPORT, "reportContent", user=eve, targetId=gid(bad), reason="ABUSE")) == ["NOT_FOUND"]
    assert codes(run(gql, REPORT, "reportContent", user=alice, targetId=gid(bad), reason="ABUSE")) == ["INVALID"]
    reported = run(gql, REPORT, "reportContent", user=bob, targetId=gid(bad), reason="ABUSE", note="骚扰")
    assert reported["errors"] == [] and reported["report"]["directMessage"] == {"body": "消息6"}

    node = data_of(gql(QUEUE, user=brand_staff), "moderationQueue")["edges"][0]["node"]
    assert node["directMessage"] == {"body": "消息6"}
    assert [m["body"] for m in node["directMessageContext"]] == [f"消息{i}" for i in range(1, 12)]
    # The reporter sees their report, not the context brand staff read.
    mine = data_of(
        gql(
            "query($id: ID!) { node(id: $id) { ... on Report { directMessageContext { body } } } }",
            {"id": reported["report"]["id"]},
            user=bob,
        ),
        "node",
    )
    assert mine == {"directMessageContext": None}

    hidden = run(gql, RESOLVE, "resolveReport", user=brand_staff, reportId=reported["report"]["id"], decision="HIDE")
    assert hidden["errors"] == [] and hidden["report"]["status"] == "ACTIONED"
    bad.refresh_from_db()
    assert bad.status == ContentStatus.HIDDEN
    history = data_of(gql(HISTORY, {"id": gid(alice)}, user=bob), "conversation")["messages"]["edges"]
    assert "消息6" not in [edge["node"]["body"] for edge in history] and len(history) == 13
