"""The printed schema keeps the API contract; what is not built yet is listed, and the list only shrinks.

`tests/contract_pending.txt` holds the breaking changes that stand for parts of the contract not
built yet. A break not in it fails (a regression); an entry that no longer breaks fails too, so
whoever builds a part removes its lines. The foundation's own part may never be listed.
"""

import os
import pathlib
import subprocess
import sys

import pytest
from django.core.management import call_command

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Beside the project by default; CONTRACT_CHECKER points elsewhere (a working copy in another folder).
CHECKER = pathlib.Path(os.environ.get("CONTRACT_CHECKER") or ROOT.parent / "shared" / "contract" / "check_contract.py")
PENDING = pathlib.Path(__file__).with_name("contract_pending.txt")

# The foundation's part of the contract: none of these may ever be pending.
FOUNDATION = (
    "Query.me",
    "Query.user",
    "Query.node",
    "Query.notifications",
    "Query.unreadNotificationCount",
    "Mutation.register",
    "Mutation.login",
    "Mutation.updateProfile",
    "Mutation.addVehicle",
    "Mutation.verifyVehicle",
    "Mutation.follow",
    "Mutation.unfollow",
    "Mutation.markNotificationsRead",
    "Subscription.notifications",
    "UserError",
    "ErrorCode",
    "PageInfo",
    "Node",
    "Vehicle",
    "Notification",
    "AuthPayload",
    "UserPayload",
    "VehiclePayload",
    "RegisterInput",
    "LoginInput",
    "UpdateProfileInput",
    "AddVehicleInput",
    "VehicleIdInput",
    "UserIdInput",
    "MarkNotificationsRead",
    "Upload",
    "DateTime",
    "Date",
    "User.nickname",
    "User.avatarUrl",
    "User.city",
    "User.bio",
    "User.isVerifiedOwner",
    "User.isBrandStaff",
    "User.joinedAt",
    "User.vehicles",
    "User.followerCount",
    "User.followingCount",
    "User.isFollowedByViewer",
)


def pending_lines() -> set[str]:
    return {line.strip() for line in PENDING.read_text(encoding="utf-8").splitlines() if line.strip()}


@pytest.fixture(scope="module")
def breaks(tmp_path_factory) -> set[str]:
    if not CHECKER.exists():
        pytest.fail(f"the contract checker is missing at {CHECKER}")
    printed = tmp_path_factory.mktemp("contract") / "schema.graphql"
    call_command("graphql_schema", out=str(printed))
    result = subprocess.run([sys.executable, str(CHECKER), str(printed)], capture_output=True, text=True)
    lines = [line for line in result.stdout.splitlines() if line and not line.startswith("contract:")]
    return set(lines)


def test_no_break_outside_the_pending_list(breaks):
    unexpected = sorted(breaks - pending_lines())
    assert not unexpected, "the schema breaks the contract:\n" + "\n".join(unexpected)


def test_pending_list_only_lists_real_breaks(breaks):
    stale = sorted(pending_lines() - breaks)
    assert not stale, "built now; remove from tests/contract_pending.txt:\n" + "\n".join(stale)


def subject(line: str) -> str:
    """`FIELD_REMOVED: User.level was removed.` → `User.level`."""
    return line.split(": ", 1)[1].split(" ", 1)[0]


def test_the_foundation_is_never_pending():
    def foundation(name: str) -> bool:
        return any(name == part or name.startswith(part + ".") for part in FOUNDATION)

    assert foundation(subject("FIELD_REMOVED: User.nickname was removed."))
    assert not foundation(subject("FIELD_REMOVED: User.level was removed."))
    offending = sorted(line for line in pending_lines() if foundation(subject(line)))
    assert not offending, "the foundation's part of the contract must be built:\n" + "\n".join(offending)
