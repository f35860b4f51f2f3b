"""What `make run` costs on a machine that has .venv: the command it runs (`python -m
community.devserver`: schema, demo, daphne with the embedded scheduler, in one process) timed from its
start until /healthz answers 200, on its own SQLite database, in three situations:

- cold: a fresh database and no migrated schema kept yet (the first `make run` after `make setup` or
  after a migration changed): migrate for real, seed, serve;
- fresh: a fresh database, the migrated schema kept (`make run` after deleting db.sqlite3): copy,
  seed, serve;
- seeded: the database of a previous run (every later `make run`): nothing to migrate or seed, serve.

Prints each run's seconds (schema, seed_demo's own figure, /healthz answering, the anonymous feed
showing posts) and the process's CPU seconds, with the load average.

    .venv/bin/python bench/make_run.py [--users 30] [--rounds 2]

Targets: seeding the default demo under 15 s; serving within 30 s of starting.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import harness  # bench/harness.py, beside this script; it puts the project on sys.path

ROOT = harness.ROOT


FEED = json.dumps({"query": "{ feed(first: 5) { edges { node { id } } } }"})


def feed_has_posts(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("POST", "/graphql/", body=FEED, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    if response.status != 200:
        return False
    edges = ((json.loads(response.read()).get("data") or {}).get("feed") or {}).get("edges") or []
    return bool(edges)


def cpu_seconds(pid: int) -> float:
    """User and system CPU the process has used so far (Linux /proc), 0 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def serve_once(env: dict, users: int) -> dict:
    port = harness.free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "community.devserver", "--users", str(users), "--no-progress"),
            *("-b", "127.0.0.1", "-p", str(port), "-v", "0", "community.asgi:application"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    serving = feed = None
    cpu = 0.0
    deadline = time.monotonic() + 1800
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if serving is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    serving = time.perf_counter() - started
                    cpu = cpu_seconds(process.pid)
            if serving is not None and feed_has_posts(port):
                feed = time.perf_counter() - started
                break
        except OSError:
            pass
        time.sleep(0.1)
    harness.stop(process)
    reader.join(timeout=5)
    text = "".join(lines)
    if serving is None:
        raise SystemExit(f"make run's server never answered:\n{text[-3000:]}")
    schema = re.search(r"Database: (.*) \(([\d.]+) s\)", text)
    seed = re.search(r"total ([\d.]+)", text)
    return {
        "serving": serving,
        "feed": f"{feed:.1f}s" if feed is not None else "never",
        "cpu": cpu,
        "schema": f"{schema.group(1)} {float(schema.group(2)):.1f}s" if schema else "?",
        "seed": f"{float(seed.group(1)):.1f}s" if seed else "skipped (seeded already)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--schema-cache", help="keep the migrated schema here across runs (default: a temporary folder, so cold first)"
    )
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(args.schema_cache or Path(folder) / "schema-cache")
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(DEBUG="1", EMBEDDED_SCHEDULER="1", SCHEMA_CACHE_DIR=str(cache))
        for round_ in range(args.rounds):
            database = Path(folder) / f"db{round_}.sqlite3"
            env["SQLITE_PATH"] = str(database)
            kept = cache.is_dir() and any(cache.glob("migrated-*.sqlite3"))
            situations = ["fresh" if kept else "cold", "seeded"]
            for situation in situations:
                harness.print_load()
                result = serve_once(env, args.users)
                print(
                    f"{situation:>6}: schema: {result['schema']}; seed_demo {result['seed']}; "
                    f"serving after {result['serving']:.1f}s ({result['cpu']:.1f} s CPU), feed with posts after "
                    f"{result['feed']} (targets: seed < 15 s, serving < 30 s)",
                    flush=True,
                )
    harness.print_load()


if __name__ == "__main__":
    main()
