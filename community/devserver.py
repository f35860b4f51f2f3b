"""`make run` in one process: migrate (fast), seed the demo (skipped when it is there), serve with daphne.

    python -m community.devserver [--users N] [--seed S] [--no-progress] [daphne's options] community.asgi:application

Three commands (`migrate`, `seed_demo`, `daphne`) each paid Python's and Django's start-up (about 2.5 s
of CPU apiece here) and `migrate` rendered the model state of every migration again on a fresh
database (most of its 15 s of CPU). Here:

- on the embedded SQLite database, a fresh database starts as a copy of a migrated empty schema
  kept in `SCHEMA_CACHE_DIR` (default `var/schema-cache/`), named by a hash of every migration
  file and the Django version, so a changed migration makes a new one; the first fresh start on a
  machine migrates for real and keeps the copy. Whatever the copy lacks, `migrate` then applies;
- `migrate` is skipped when nothing is unapplied (the common second start);
- the demo is seeded unless it is there already (`seed_demo` says so);
- daphne (with the graceful stop of `community.server`) then runs in this same process.
"""

from __future__ import annotations

import community.server  # isort:skip  (installs the asyncio reactor before anything imports Twisted)

import argparse
import hashlib
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def schema_fingerprint() -> str:
    """A hash of every migration file of the project and of Django's version."""
    import django

    digest = hashlib.sha256(django.get_version().encode())
    for path in sorted(ROOT.glob("**/migrations/*.py")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def schema_cache_dir() -> Path:
    return Path(os.environ.get("SCHEMA_CACHE_DIR") or ROOT / "var" / "schema-cache")


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (a plain file copy could miss the WAL's pages)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
        src.backup(dst)
    partial.replace(target)


def migrate_fast(*, verbosity: int = 1) -> str:
    """Bring the database's schema up to date the quickest way; returns what was done."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    name = Path(str(connection.settings_dict["NAME"])) if connection.vendor == "sqlite" else None
    fresh = name is not None and (not name.exists() or name.stat().st_size == 0)
    template = schema_cache_dir() / f"migrated-{schema_fingerprint()}.sqlite3" if name is not None else None
    done = ""
    if fresh and template is not None and template.exists():
        connection.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, name)
        done = "schema copied from the migrated template"
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return done or "no migration to apply"
    call_command("migrate", "--noinput", verbosity=verbosity)
    if fresh and template is not None and not template.exists():
        connection.close()
        _copy_sqlite(name, template)
        return "migrated (the schema is kept for the next fresh database)"
    return "migrated"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-progress", action="store_true")
    ours, daphne_args = parser.parse_known_args(sys.argv[1:] if argv is None else argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    started = time.perf_counter()
    step = migrate_fast()
    print(f"Database: {step} ({time.perf_counter() - started:.1f} s)", flush=True)
    seeding = ["--users", str(ours.users), "--seed", str(ours.seed)]
    call_command("seed_demo", *seeding, *(["--no-progress"] if ours.no_progress else []))
    connections.close_all()  # daphne's threads open their own
    print(f"Ready after {time.perf_counter() - started:.1f} s: starting daphne", flush=True)
    community.server.GracefulCommandLineInterface().run(community.server.with_defaults(daphne_args))


if __name__ == "__main__":
    main()
