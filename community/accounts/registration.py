"""A registration may carry an invite code into a circle.

Invite codes belong to the circles app, which sits above the social core: it plugs in how to check
and how to redeem a code from its `AppConfig.ready()`, so the core never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class InviteRedeemer:
    problem: Callable[[str], str | None]  # why the code cannot bring anyone in now (a message), or None
    redeem: Callable[..., object]  # redeem(user=..., invite_code=...), inside the registration's transaction


_redeemer: list[InviteRedeemer] = []


def accept_invites_with(*, problem: Callable[[str], str | None], redeem: Callable[..., object]) -> None:
    _redeemer[:] = [InviteRedeemer(problem=problem, redeem=redeem)]


def invite_problem(invite_code: str) -> str | None:
    if not _redeemer:
        return _("Invite codes are not accepted here.")
    return _redeemer[0].problem(invite_code)


def redeem_invite(*, user, invite_code: str) -> None:
    _redeemer[0].redeem(user=user, invite_code=invite_code)
