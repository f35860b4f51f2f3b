"""`make run`'s schema step (`community.devserver.migrate_fast`): the first fresh SQLite database
migrates for real and keeps its schema; the next fresh one starts from that copy, complete; a database
that is up to date is left alone."""

from __future__ import annotations

import json
import os
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
        "migrated (the schema is kept for the next fresh database)",
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
