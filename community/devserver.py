"""`make run` in one process: migrate (fast), seed the demo (skipped when it is there), serve with daphne.

    python -m community.devserver [--users N] [--seed S] [--no-progress] [daphne's options] community.asgi:application

Three commands (`migrate`, `seed_demo`, `daphne`) each paid Python's and Django's start-up (about 2.5 s
of CPU apiece here) and `migrate` rendered the model state of every migration again on a fresh
database (most of its 15 s of CPU). Here:

- on the embedded SQLite database, a fresh database starts as a copy of a migrated empty schema
  kept in `SCHEMA_CACHE_DIR` (default `var/schema-cache/`), named by a hash of every migration
  file and the Django version, so a changed migration makes a new one. Whatever the copy lacks,
  `migrate` then applies;
- the first fresh start on a machine (a new clone: no copy kept yet) builds that schema from the
  models as they are, the way `migrate --run-syncdb` does, instead of replaying every migration:
  replaying rendered the model state again after each operation (about 6 s of CPU here, most of
  `migrate`'s). It does so only when the migrations describe exactly those models (what
  `makemigrations --check` checks) and every operation is a schema change the models hold or a
  data step (`RunPython`, `RunSQL`), which then runs in its migrations' order; every migration is
  recorded as applied. Anything else (pending model changes, a custom operation, a data step that
  fails) migrates for real;
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


class _NotFromModels(Exception):
    """The schema cannot be built from the models: migrate for real."""


def _data_steps(plan) -> list:
    """The (app label, operation) data steps of a migration plan, in order; raises `_NotFromModels` for an
    operation that is neither a data step nor a schema change the final models describe."""
    from django.contrib.postgres.operations import CreateExtension
    from django.db.migrations import operations

    steps = []

    def walk(app_label: str, ops) -> None:
        for operation in ops:
            if isinstance(operation, operations.RunPython | operations.RunSQL | CreateExtension):
                steps.append((app_label, operation))  # run as it is, in order (an extension: PostgreSQL only)
            elif isinstance(operation, operations.SeparateDatabaseAndState):
                walk(app_label, operation.database_operations)
            elif type(operation).database_forwards.__module__.startswith("django.db.migrations.operations."):
                continue  # Django's own schema change: the models as they are now hold its result
            else:
                raise _NotFromModels(f"{app_label}: {type(operation).__name__}")

    for migration, backwards in plan:
        if backwards:
            raise _NotFromModels("a backwards step")
        walk(migration.app_label, migration.operations)
    return steps


def schema_from_models(*, verbosity: int = 0) -> None:
    """Create an empty database's schema from the current models and record every migration applied.

    Raises `_NotFromModels` (having changed nothing) when the migrations do not describe the models
    exactly; the caller then migrates for real (on a fresh file: whatever this wrote is thrown away).
    """
    from django.apps import apps
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection, router
    from django.db.migrations.autodetector import MigrationAutodetector
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.operations import RunPython
    from django.db.migrations.state import ProjectState
    from django.utils import translation

    executor = MigrationExecutor(connection)
    loader = executor.loader
    if loader.applied_migrations or connection.introspection.table_names():
        raise _NotFromModels("the database is not empty")
    with translation.override(None):  # as makemigrations compares them: labels untranslated
        changes = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(
            graph=loader.graph
        )
    if changes:
        raise _NotFromModels(f"model changes without a migration: {sorted(changes)}")
    plan = executor.migration_plan(loader.graph.leaf_nodes())
    steps = _data_steps(plan)
    # A fresh file: should anything below fail, the caller deletes it and migrates instead.
    with connection.schema_editor() as editor:
        for app_config in apps.get_app_configs():
            if app_config.models_module is None:
                continue
            for model in router.get_migratable_models(app_config, connection.alias):
                if model._meta.can_migrate(connection):
                    editor.create_model(model)
    with connection.schema_editor() as editor:
        for app_label, operation in steps:
            if isinstance(operation, RunPython):
                if router.allow_migrate(connection.alias, app_label, **operation.hints):
                    operation.code(apps, editor)
            else:
                operation.database_forwards(app_label, editor, None, None)
    executor.recorder.ensure_schema()
    for migration, _backwards in plan:
        executor.recorder.record_applied(migration.app_label, migration.name)
    emit_post_migrate_signal(verbosity, False, connection.alias, apps=apps, plan=plan)


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
    if fresh and template is not None and not template.exists():
        done = build_fresh_schema(name, verbosity=verbosity)
        connection.close()
        _copy_sqlite(name, template)
        return f"{done} (the schema is kept for the next fresh database)"
    call_command("migrate", "--noinput", verbosity=verbosity)
    return "migrated"


def build_fresh_schema(name: Path, *, verbosity: int = 1) -> str:
    """The schema of a fresh SQLite file: from the models when they allow it, else by migrating."""
    from django.core.management import call_command
    from django.db import connection

    try:
        schema_from_models(verbosity=0)
        return "schema built from the models"
    except Exception as error:  # whatever went wrong, migrating for real is the answer
        reason = error if isinstance(error, _NotFromModels) else f"{type(error).__name__}: {error}"
        if verbosity:
            print(f"Schema from the models not possible ({reason}): migrating", flush=True)
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    call_command("migrate", "--noinput", verbosity=verbosity)
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
