"""Settings for bench/launch_day.py only: production settings with a cheaper password hash.

With Django's PBKDF2 (1,000,000 iterations) every register and every login costs about 0.55 s of
CPU, so the drill's 2,000 password operations alone would take ten minutes of both cores of this
machine. The drill hashes with 20,000 iterations instead; everything else is production's.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from community.settings import *  # noqa: F403


class DrillPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_drill"
    iterations = 20_000


PASSWORD_HASHERS = ["bench.launch_settings.DrillPasswordHasher"]
