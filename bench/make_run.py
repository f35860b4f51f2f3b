"""What `make run` costs on a machine that has .venv: a fresh SQLite database migrated, the default demo
seeded, and daphne (with the embedded scheduler) answering /healthz; then the same again on the
seeded database (a second `make run`). Prints each phase's seconds with the load average.

    .venv/bin/python bench/make_run.py [--users 30]

Targets: seeding the default demo under 15 s; serving within 30 s of starting.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness  # bench/harness.py, beside this script; it puts the project on sys.path

ROOT = harness.ROOT


def timed(args: list[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=30)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(DEBUG="1", SQLITE_PATH=str(Path(folder) / "db.sqlite3"), EMBEDDED_SCHEDULER="1")
        for attempt in ("first make run", "second make run"):
            harness.print_load()
            started = time.perf_counter()
            migrate = timed([python, "manage.py", "migrate", "--noinput"], env)
            seed = timed([python, "manage.py", "seed_demo", "--users", str(args.users), "--no-progress"], env)
            t = time.perf_counter()
            process, _port = harness.start_daphne(env)
            serve = time.perf_counter() - t
            total = time.perf_counter() - started
            harness.stop(process)
            print(
                f"{attempt}: migrate {migrate:.1f}s, seed_demo {seed:.1f}s, daphne healthy {serve:.1f}s, "
                f"serving after {total:.1f}s (targets: seed < 15 s, serving < 30 s)",
                flush=True,
            )
    harness.print_load()


if __name__ == "__main__":
    main()
