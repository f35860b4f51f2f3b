"""Gamification's part of the owner's personal data: the ledger and ties in the export.

Both stay at erasure, keyed by the anonymised user, so every balance still equals its ledger.
"""

from django.db.models import Q

from community.accounts.export import Archive, export_section
from community.models import User
from gamification.models import PointsAccount, PointsTransaction, Tie


@export_section("points")
def points(user: User, archive: Archive) -> dict:
    account = PointsAccount.objects.filter(user=user).first()
    ledger = PointsTransaction.objects.filter(account__user=user).order_by("created_at", "id")
    return {
        "balance": account.balance if account else 0,
        "lifetime_earned": account.lifetime_earned if account else 0,
        "ledger": [
            {
                "amount": t.amount,
                "kind": t.kind,
                "note": t.note,
                "day": t.day.isoformat(),
                "at": t.created_at.isoformat(),
            }
            for t in ledger
        ],
    }


@export_section("ties")
def ties(user: User, archive: Archive) -> list:
    rows = Tie.objects.filter(Q(user_low=user) | Q(user_high=user)).select_related("user_low", "user_high")
    return [
        {
            "with": (t.user_high if t.user_low_id == user.pk else t.user_low).nickname,
            "strength": round(t.strength, 2),
            "shared_events": t.shared_events,
            "last_interaction_at": t.last_interaction_at.isoformat() if t.last_interaction_at else None,
        }
        for t in rows.order_by("id")
    ]
