"""What every benchmark under bench/ shares: Django set up on its own database, free ports, daphne
servers started and awaited, client threads run together, latency percentiles, and the machine's
load printed beside the figures.

The benchmarks are scripts (`.venv/bin/python bench/<name>.py`); they import this module as `harness`.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# With DEBUG off a server refuses the development key: one random key for the benchmark and every server it starts.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The benchmark's own settings: the product's plus the plain JSON feed and the X-Query-Count header.
BENCH_SETTINGS = "bench.settings"


def setup_django(database_url: str, *, settings: str = "community.settings", **environment: str | None) -> None:
    """Configure Django in this process on `database_url`; other variables are set (or, when None, unset)."""
    os.environ["DATABASE_URL"] = database_url
    for name, value in environment.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()


def ensure_database(database_url: str) -> None:
    """Create the benchmark's PostgreSQL database if it does not exist yet."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def migrate(env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_daphne(
    env: dict, *, port: int | None = None, stdout=subprocess.DEVNULL, healthy=None
) -> tuple[subprocess.Popen, int]:
    """One daphne process serving the product on `port` (a free one by default), returned once /healthz
    answers 200 (and `healthy(body)` holds, when given)."""
    port = port or free_port()
    daphne = str(Path(sys.executable).with_name("daphne"))
    process = subprocess.Popen(
        # The handshake timeout the project's server sets (community/server.py): a connect storm drops nobody.
        [
            daphne,
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "-v",
            "0",
            "--websocket_connect_timeout",
            "30",
            "community.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.STDOUT if stdout is not subprocess.DEVNULL else subprocess.PIPE,
    )
    deadline = time.monotonic() + float(os.environ.get("BENCH_START_TIMEOUT") or 90)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            body = response.read()
            if response.status == 200 and (healthy is None or healthy(body)):
                return process, port
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    output = process.stderr.read().decode()[-2000:] if process.stderr else ""
    raise SystemExit(f"daphne on port {port} did not become healthy {output}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def run_threads(target: Callable[[], None], count: int, *, timeout: float | None = None) -> float:
    """`count` threads running `target` at once, all awaited (each for `timeout` at most): the wall time."""
    threads = [threading.Thread(target=target) for _ in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` of the sorted `values` (NaN for none)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def print_load(label: str = "load average") -> None:
    """The machine's 1, 5 and 15 minute load, printed with the figures it may have disturbed."""
    one, five, fifteen = os.getloadavg()
    print(f"{label}: {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)", flush=True)
