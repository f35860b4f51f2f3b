"""The simulated owners: who they are and how they behave.

Each owner follows a habit: when they joined, how often they come by, whether and when they went
quiet. Nothing here says which segment cell anyone lands in: that is computed by the nightly scores
from what the habits made them do. The habits are drawn so that a community of a few dozen owners
has every kind of member a real one has: founders who stayed, founders who drifted away, newcomers,
members who tried once and never came back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from community.demo import BIOS, CITIES, MODELS, _nickname

# (joined days ago, quiet since days ago or None, share of days they come by)
Habit = tuple[tuple[int, int], tuple[int, int] | None, float]

HABITS: dict[str, Habit] = {
    # founders, there from the first week
    "founder_regular": ((181, 183), None, 0.4),
    "founder_drifting": ((181, 183), (12, 24), 0.45),
    "founder_gone_quiet": ((181, 183), (40, 75), 0.5),
    "founder_gone": ((181, 183), (96, 112), 0.75),
    # members who joined along the way and come by now and then
    "occasional": ((90, 150), None, 0.12),
    "occasional_drifting": ((90, 150), (10, 25), 0.15),
    "occasional_gone_quiet": ((115, 160), (40, 70), 0.2),
    "occasional_gone": ((160, 175), (96, 110), 0.3),
    # newcomers, and those who tried it once
    "newcomer": ((3, 20), None, 0.4),
    "newcomer_drifting": ((21, 27), (12, 18), 0.4),
    "tried_once": ((45, 85), (40, 80), 0.0),
    "tried_long_ago": ((125, 175), (120, 170), 0.0),
}
# The first owners take every habit once, so even a small demo has every kind of member; the rest
# are drawn with these weights (a living community: mostly regulars and occasional visitors).
FILLER = {
    "founder_regular": 5,
    "occasional": 5,
    "newcomer": 2,
    "founder_drifting": 1,
    "occasional_drifting": 2,
    "occasional_gone_quiet": 1,
    "occasional_gone": 1,
    "tried_once": 1,
}


@dataclass
class Person:
    index: int
    username: str
    nickname: str
    city: str
    model: str
    category: str
    bio: str
    verified: bool
    habit: str
    joined_ago: int
    quiet_since: int | None  # days ago they stopped coming by, None while they still do
    rate: float
    sociable: float  # how readily they like, comment and reply
    user: object = None
    circles: list[int] = field(default_factory=list)
    attended_in: set[int] = field(default_factory=set)  # circles whose events they have attended

    def active_on(self, days_ago: int) -> bool:
        if days_ago > self.joined_ago:
            return False
        return self.quiet_since is None or days_ago > self.quiet_since


def people(count: int, rng: random.Random) -> list[Person]:
    names = list(HABITS)
    filler = [name for name, weight in FILLER.items() for _ in range(weight)]
    made = []
    for index in range(1, count + 1):
        habit = names[index - 1] if index <= len(names) else rng.choice(filler)
        joined, quiet, rate = HABITS[habit]
        joined_ago = rng.randint(*joined)
        quiet_since = rng.randint(*quiet) if quiet else None
        if quiet_since is not None:
            quiet_since = min(quiet_since, joined_ago - 1)
        city = rng.choice(CITIES[:4]) if rng.random() < 0.8 else rng.choice(CITIES)
        model, category = rng.choice(MODELS)
        made.append(
            Person(
                index=index,
                username=f"owner{index:03d}",
                nickname=_nickname(rng, city, model),
                city=city,
                model=model,
                category=category,
                bio=rng.choice(BIOS),
                verified=habit.startswith("founder") or rng.random() < 0.7,
                habit=habit,
                joined_ago=joined_ago,
                quiet_since=quiet_since,
                rate=rate,
                sociable=rng.uniform(0.3, 1.0),
            )
        )
    return made
