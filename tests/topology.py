"""The production topology on this machine, started and broken on purpose: for fault tests and the drill.

`Topology` runs its own redis-server (a free port in 6400-6499) and `deploy/supervisord.conf`, the
file `make serve` runs: two web servers (community.server, free ports in 8300-8399), a Celery worker
and beat, all on one PostgreSQL database. Everything it starts lives in one temporary folder (logs,
supervisor socket, beat schedule) and is stopped by `stop()`, whatever state the faults left it in.

    with Topology(database_url, base_dir, env={"DB_POOL_MAX_SIZE": "4"}) as topology:
        topology.graphql("web1", "{ me { id } }", token=token)
        topology.kill("worker", signal.SIGKILL)       # supervisord starts it again
        topology.stop_redis(); topology.start_redis()
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "supervisord.conf"
REDIS_PORTS = range(6400, 6500)
WEB_PORTS = range(8300, 8400)
START_TIMEOUT = 90.0  # four Django processes importing at once on a busy 2-core machine
STOP_TIMEOUT = 45.0
PROGRAMS = ("web1", "web2", "worker", "beat")
REDIS_WITHOUT_PERSISTENCE = ("--save", "", "--appendonly", "no")


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def free_port(candidates: range, taken: set[int] = frozenset()) -> int:
    """A free port, picked at random: a topology whose server is restarting must not lose its port to
    another topology (a test run beside the drill) starting meanwhile."""
    ports = list(candidates)
    random.shuffle(ports)
    for port in ports:
        if port in taken:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {candidates}")


@dataclass
class Response:
    status: int
    body: dict
    seconds: float


class Topology:
    def __init__(self, database_url: str, base_dir: Path, env: dict[str, str] | None = None) -> None:
        self.base_dir = Path(base_dir)
        (self.base_dir / "log").mkdir(parents=True, exist_ok=True)
        self.redis_port = free_port(REDIS_PORTS)
        web1 = free_port(WEB_PORTS)
        self.ports = {"web1": web1, "web2": free_port(WEB_PORTS, {web1})}
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "community.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": self.redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "DB_POOL_MAX_SIZE": "8",
            "MEDIA_ROOT": str(self.base_dir / "media"),
            "LOG_LEVEL": "INFO",
            "PROJECT_DIR": str(ROOT),
            "PYTHON": sys.executable,
            "SERVE_DIR": str(self.base_dir),
            "WEB1_PORT": str(self.ports["web1"]),
            "WEB2_PORT": str(self.ports["web2"]),
            **(env or {}),
        }
        for name in ("CELERY_BROKER_URL", "CONN_MAX_AGE", "RATELIMIT_NAMESPACE"):
            if name not in (env or {}):
                self.env.pop(name, None)
        self.redis: subprocess.Popen | None = None
        self.supervisord: subprocess.Popen | None = None

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> Topology:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.start_redis()
        with open(self.base_dir / "supervisord.out", "ab") as out:
            self.supervisord = subprocess.Popen(
                [str(Path(sys.executable).parent / "supervisord"), "-c", str(CONFIG)],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # one process group to kill should anything be left behind
            )
        try:
            self.wait_healthy("web1")
            self.wait_healthy("web2")
            self.wait_worker_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop everything, whatever state it is in, leaving no process behind (also when interrupted).

        supervisord starts each program in a process group of its own, so killing supervisord's group
        does not reach them: the programs' groups are noted first and killed after, should any of
        them outlive supervisord (killed when it did not stop in time, or a stray celery beat).
        """
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if _main_thread() else None
        try:
            groups = self._program_groups()
            if self.supervisord is not None and self.supervisord.poll() is None:
                self.supervisord.send_signal(signal.SIGTERM)  # stops every program the way it is configured to
                try:
                    self.supervisord.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    os.killpg(self.supervisord.pid, signal.SIGKILL)
                    self.supervisord.wait(timeout=10)
            for group in groups:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(group, signal.SIGKILL)
            self.stop_redis()
        finally:
            if blocked is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def _program_groups(self) -> set[int]:
        """The process groups of supervisord's children (its programs), read from /proc."""
        if self.supervisord is None or self.supervisord.poll() is not None:
            return set()
        groups = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parent, group = int(fields[1]), int(fields[2])
            if parent == self.supervisord.pid and group != self.supervisord.pid:
                groups.add(group)
        return groups

    # ------------------------------------------------------------ Redis

    def start_redis(self) -> None:
        with open(self.base_dir / "log" / "redis.log", "ab") as log:
            self.redis = subprocess.Popen(
                ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", *REDIS_WITHOUT_PERSISTENCE],
                cwd=self.base_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.5) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop_redis(self) -> None:
        """Redis goes away as in a crash or restart: without saving, so whatever it held is gone."""
        if self.redis is not None and self.redis.poll() is None:
            self.redis.send_signal(signal.SIGKILL)
            self.redis.wait(timeout=10)
        self.redis = None

    # ------------------------------------------------------------ processes

    def ctl(self, *args: str) -> str:
        result = subprocess.run(
            [str(Path(sys.executable).parent / "supervisorctl"), "-c", str(CONFIG), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.stdout

    def pid(self, program: str) -> int:
        """The running process of `program`, or 0 while supervisord has none running."""
        output = self.ctl("pid", program).strip()
        return int(output) if output.isdigit() else 0

    def kill(self, program: str, sig: int = signal.SIGKILL, *, group: bool = True) -> int:
        """Send `sig` to the program (with its children when `group`), behind supervisord's back."""
        pid = self.pid(program)
        if not pid:
            raise RuntimeError(f"{program} is not running")
        if group:
            os.killpg(os.getpgid(pid), sig)
        else:
            os.kill(pid, sig)
        return pid

    def wait_exited(self, pid: int, timeout: float) -> float | None:
        """Seconds until `pid` exited, or None if it still runs after `timeout`."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return time.monotonic() - started
            if self._reaped_by_supervisor(pid):
                return time.monotonic() - started
            time.sleep(0.02)
        return None

    @staticmethod
    def _reaped_by_supervisor(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                return stat.read().split(") ", 1)[1].startswith("Z")  # a zombie: exited, not yet reaped
        except OSError:
            return True

    def wait_restarted(self, program: str, old_pid: int, timeout: float = START_TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid = self.pid(program)
            if pid and pid != old_pid:
                return pid
            time.sleep(0.2)
        raise AssertionError(f"supervisord did not start {program} again\n{self.log(program)[-3000:]}")

    def wait_healthy(self, web: str, timeout: float = START_TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                health = self.health(web)
                if health.status == 200:
                    return health.body
                last = health.body
            except OSError as error:
                last = error
            time.sleep(0.1)
        raise AssertionError(f"{web} not healthy in {timeout:.0f}s ({last})\n{self.log(web)[-3000:]}")

    def wait_worker_ready(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log("worker"):
                return
            time.sleep(0.1)
        raise AssertionError(f"the worker did not start\n{self.log('worker')[-3000:]}")

    def log(self, program: str) -> str:
        path = self.base_dir / "log" / f"{program}.log"
        try:
            return path.read_text(errors="replace")
        except OSError:
            return ""

    def logs(self) -> str:
        """Every log, for a failing test's report."""
        parts = [f"--- supervisord ---\n{self._read(self.base_dir / 'supervisord.log')}"]
        parts += [f"--- {name} ---\n{self.log(name)[-6000:]}" for name in (*PROGRAMS, "redis")]
        return "\n".join(parts)

    @staticmethod
    def _read(path: Path) -> str:
        try:
            return path.read_text(errors="replace")[-6000:]
        except OSError:
            return ""

    # ------------------------------------------------------------ speaking to it

    def url(self, web: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[web]}{path}"

    def ws_url(self, web: str) -> str:
        return f"ws://127.0.0.1:{self.ports[web]}/graphql/"

    def health(self, web: str, timeout: float = 10.0) -> Response:
        return self._request(urllib.request.Request(self.url(web, "/healthz")), timeout)

    def graphql(
        self,
        web: str,
        query: str,
        variables: dict | None = None,
        *,
        token: str | None = None,
        timeout: float = 30.0,
        language: str = "zh-hans",
    ) -> Response:
        """POST one operation like the app does; any answer (200, 503, ...) is returned, decoded."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        headers = {"Content-Type": "application/json", "Accept-Language": language}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.url(web, "/graphql/"), data=body, headers=headers, method="POST")
        return self._request(request, timeout)

    @staticmethod
    def _request(request: urllib.request.Request, timeout: float) -> Response:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, raw, content_type = response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            status, raw, content_type = error.code, error.read(), error.headers.get("Content-Type", "")
        seconds = time.monotonic() - started
        if not content_type.startswith("application/json"):
            return Response(status, {"notJson": raw[:500].decode("utf-8", "replace")}, seconds)
        return Response(status, json.loads(raw), seconds)
