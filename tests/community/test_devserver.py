"""`make run`'s schema step (`community.devserver.migrate_fast`): the first fresh SQLite database
gets its schema built from the models (the same schema, rows and recorded migrations as migrating for
real) and keeps it; the next fresh one starts from that copy, complete; a database that is up to date
is left alone."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

SCRIPT = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "community.settings"
import django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from community import devserver

steps = []
for name in sys.argv[1:]:
    connection.close()
    connection.settings_dict["NAME"] = name
    steps.append(devserver.migrate_fast(verbosity=0))
    executor = MigrationExecutor(connection)
    steps.append(len(executor.migration_plan(executor.loader.graph.leaf_nodes())))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        steps.append(cursor.fetchone()[0] > 0)
print(json.dumps({"steps": steps, "cache": sorted(os.listdir(devserver.schema_cache_dir()))}))
"""


def test_a_fresh_database_starts_from_the_kept_schema(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(SCHEMA_CACHE_DIR=str(tmp_path / "cache"), SQLITE_PATH=str(tmp_path / "unused.sqlite3"))
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(first), str(second), str(second)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["steps"] == [
        "schema built from the models (the schema is kept for the next fresh database)",
        0,
        True,
        "schema copied from the migrated template",
        0,
        True,
        "no migration to apply",
        0,
        True,
    ]
    assert len(result["cache"]) == 1 and result["cache"][0].startswith("migrated-")


def sqlite_schema(path: Path) -> dict:
    """What a migration decides, read back from SQLite: columns, indexes, foreign keys, constraints,
    triggers, recorded migrations, permissions, and the rows data migrations write (timestamps aside)."""
    db = sqlite3.connect(path)
    found: dict = {}
    tables = [
        row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    ]
    for table in tables:
        indexes = []
        for _seq, name, unique, origin, partial in db.execute(f'PRAGMA index_list("{table}")'):
            columns = tuple(row[2] for row in db.execute(f'PRAGMA index_xinfo("{name}")') if row[5])
            sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0] or ""
            indexes.append((unique, columns, partial, sql.partition(" WHERE ")[2], name if origin == "c" else ""))
        create = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        found[table] = {
            "columns": sorted(tuple(row[1:]) for row in db.execute(f'PRAGMA table_info("{table}")')),
            "indexes": sorted(indexes),
            "foreign keys": sorted(tuple(row[2:7]) for row in db.execute(f'PRAGMA foreign_key_list("{table}")')),
            "constraints": sorted(part.strip() for part in create.split("CONSTRAINT")[1:]),
        }
    found["triggers"] = sorted(row[0] for row in db.execute("SELECT sql FROM sqlite_master WHERE type='trigger'"))
    found["migrations"] = sorted(db.execute("SELECT app, name FROM django_migrations").fetchall())
    found["content types"] = sorted(db.execute("SELECT app_label, model FROM django_content_type").fetchall())
    found["permissions"] = sorted(db.execute("SELECT codename, name FROM auth_permission").fetchall())
    found["groups"] = sorted(db.execute("SELECT name FROM auth_group").fetchall())
    found["rules"] = sorted(
        db.execute("SELECT code, name, description, points, daily_cap, notify, active FROM gamification_pointsrule")
    )
    found["badges"] = sorted(db.execute("SELECT code, name, description, active FROM gamification_badge"))
    db.close()
    return found


BOTH = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "community.settings"
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from community import devserver

connection.settings_dict["NAME"] = sys.argv[1]
print(devserver.migrate_fast(verbosity=0))
connection.close()
connection.settings_dict["NAME"] = sys.argv[2]
call_command("migrate", "--noinput", verbosity=0)
"""


def test_the_schema_built_from_the_models_is_the_migrated_one(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(SCHEMA_CACHE_DIR=str(tmp_path / "cache"), SQLITE_PATH=str(tmp_path / "unused.sqlite3"))
    built, migrated = tmp_path / "built.sqlite3", tmp_path / "migrated.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c", BOTH, str(built), str(migrated)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1].startswith("schema built from the models")
    built_schema, migrated_schema = sqlite_schema(built), sqlite_schema(migrated)
    assert len(migrated_schema["migrations"]) > 40 and migrated_schema["rules"] and migrated_schema["groups"]
    assert built_schema.keys() == migrated_schema.keys()
    for part in migrated_schema:
        assert built_schema[part] == migrated_schema[part], part
