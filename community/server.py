"""daphne with a graceful stop: `python -m community.server [daphne's options] community.asgi:application`.

daphne's own SIGTERM stops the reactor at once: requests in flight are cut off (their clients see the
connection drop, although their transaction may have committed), WebSockets vanish without a close
frame, and a request thread still waiting on the stopped event loop keeps the process alive. Here
SIGTERM (or SIGINT) drains instead:

1. stop listening, so the load balancer sends new connections to the other processes;
2. close every WebSocket with 1001 (going away): clients reconnect elsewhere and resubscribe;
3. let requests in flight finish, answering them with `Connection: close`, and close idle
   keep-alive connections;
4. stop once nothing is in flight, or when SHUTDOWN_GRACE_SECONDS have passed.

Should a request thread still hold the process SHUTDOWN_EXIT_MARGIN_SECONDS after the grace time,
the process exits anyway (status 1), so a stop is always bounded. A second signal stops at once.
Once drained, the process exits at once, without the interpreter's finalization (seconds on a loaded
machine, with nothing left to do).
"""

from __future__ import annotations

import daphne.server  # isort:skip  (installs the asyncio reactor: must come before anything imports Twisted)

import logging
import os
import signal
import sys
import threading
import time
import weakref

from daphne.cli import CommandLineInterface
from daphne.http_protocol import HTTPFactory, WebRequest
from daphne.ws_protocol import WebSocketProtocol
from twisted.internet import reactor

logger = logging.getLogger(__name__)

GOING_AWAY = 1001
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}
DRAIN_POLL_SECONDS = 0.05


def _grace_seconds() -> tuple[float, float]:
    from django.conf import settings

    return float(settings.SHUTDOWN_GRACE_SECONDS), float(settings.SHUTDOWN_EXIT_MARGIN_SECONDS)


class TrackingHTTPFactory(HTTPFactory):
    """daphne's HTTP factory, remembering its connections so idle keep-alive ones can be closed."""

    def __init__(self, server) -> None:
        super().__init__(server)
        self.channels: weakref.WeakSet = weakref.WeakSet()

    def buildProtocol(self, addr):
        protocol = super().buildProtocol(addr)
        self.channels.add(protocol)
        return protocol


class GracefulServer(daphne.server.Server):
    def __init__(self, *args, **kwargs) -> None:
        kwargs["signal_handlers"] = False  # ours, below, instead of Twisted's immediate reactor.stop()
        super().__init__(*args, **kwargs)
        self.ports: list = []
        self.draining_since: float | None = None
        self.deadline = 0.0
        self.drained = False  # stopped with nothing in flight

    # daphne's run() builds a plain HTTPFactory; this swaps in the tracking one before it listens.
    @property
    def http_factory(self):
        return self._http_factory

    @http_factory.setter
    def http_factory(self, factory) -> None:
        self._http_factory = TrackingHTTPFactory(self) if type(factory) is HTTPFactory else factory

    def run(self) -> None:
        # The stop signals are blocked in every thread (threads inherit the mask: request threads start
        # later) and taken by one thread that waits for them, so a signal never interrupts a request
        # thread's system call, such as a database query waiting on a lock, which would fail it.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        threading.Thread(target=self._wait_for_signals, name="stop-signals", daemon=True).start()
        super().run()

    def _wait_for_signals(self) -> None:
        while True:
            signum = signal.sigwait(STOP_SIGNALS)
            reactor.callFromThread(self.shut_down, signal.Signals(signum).name)

    def listen_success(self, port) -> None:
        self.ports.append(port)
        super().listen_success(port)

    def shut_down(self, reason: str = "shutdown") -> None:
        if self.draining_since is not None:
            logger.warning("%s again while draining: stopping now", reason)
            self._stop()
            return
        grace, margin = _grace_seconds()
        self.draining_since = time.monotonic()
        self.deadline = self.draining_since + grace
        watchdog = threading.Thread(target=self._exit_if_stuck, args=(grace + margin,), daemon=True)
        watchdog.start()
        for port in self.ports:
            port.stopListening()
        logger.info(
            "%s: stopped listening; draining %d connections (grace %.0f s)", reason, len(self.connections), grace
        )
        self._drain()

    def _drain(self) -> None:
        try:
            self._drain_step()
        except Exception:  # Twisted would swallow it (daphne mutes its log) and the drain would stall
            logger.exception("draining failed: stopping now")
            self._stop()

    def _drain_step(self) -> None:
        in_flight = 0
        for protocol in list(self.connections):
            details = self.connections.get(protocol) or {}
            if "disconnected" in details:
                continue
            if isinstance(protocol, WebSocketProtocol):
                if protocol.state == protocol.STATE_OPEN:
                    # autobahn's sendClose() only takes 1000 and 3000-4999; 1001 is the code for this.
                    protocol.sendCloseFrame(code=GOING_AWAY, reasonUtf8=b"server shutting down")
                elif protocol.state == protocol.STATE_CONNECTING:
                    protocol.serverReject()
                in_flight += 1
            elif isinstance(protocol, WebRequest):
                self._close_after_response(protocol)
                in_flight += 1
        for protocol in list(self.http_factory.channels):
            channel = getattr(protocol, "_channel", protocol)  # Twisted wraps HTTPChannel to negotiate HTTP/2
            transport = getattr(channel, "transport", None)
            if transport is None or getattr(transport, "protocol", protocol) not in (protocol, channel):
                continue  # closed already, or upgraded to a WebSocket (closed above with 1001)
            if not channel.requests:
                channel.loseConnection()
        if in_flight and time.monotonic() < self.deadline:
            reactor.callLater(DRAIN_POLL_SECONDS, self._drain)
            return
        if in_flight:
            logger.warning("grace time over with %d connections still in flight: stopping", in_flight)
        else:
            self.drained = True
            logger.info("drained in %.2f s", time.monotonic() - (self.draining_since or 0.0))
        self._stop()

    @staticmethod
    def _close_after_response(request: WebRequest) -> None:
        """Answer this request, then close its connection instead of waiting for the next one."""
        channel = request.channel
        if channel is not None:
            channel.persistent = False
        if not request.startedWriting:
            request.responseHeaders.setRawHeaders(b"connection", [b"close"])

    def _stop(self) -> None:
        if reactor.running:
            reactor.stop()

    @staticmethod
    def _exit_if_stuck(seconds: float) -> None:
        time.sleep(seconds)
        logger.error("still running %.0f s after the stop signal (a request thread is stuck): exiting", seconds)
        logging.shutdown()
        os._exit(1)


class GracefulCommandLineInterface(CommandLineInterface):
    description = "daphne, draining on SIGTERM"
    server_class = GracefulServer


# daphne drops a WebSocket whose handshake has not been accepted within --websocket_connect_timeout (5 s by
# default). In a reconnect storm (a process restarted, Redis back) thousands of handshakes queue behind each
# other on a loaded loop and many took longer: they were dropped and reconnected, feeding the storm. 30 s.
WEBSOCKET_CONNECT_TIMEOUT_SECONDS = os.environ.get("WEBSOCKET_CONNECT_TIMEOUT_SECONDS", "30")


def with_defaults(argv: list[str]) -> list[str]:
    if not any(arg.startswith("--websocket_connect_timeout") for arg in argv):
        argv = ["--websocket_connect_timeout", WEBSOCKET_CONNECT_TIMEOUT_SECONDS, *argv]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
    cli = GracefulCommandLineInterface()
    cli.run(with_defaults(sys.argv[1:]))
    server = cli.server
    if isinstance(server, GracefulServer) and server.drained:
        # Drained: every response is out and every request's work committed. The interpreter's own
        # finalization (joining the request threads' executors, the connection pool's workers,
        # collecting a whole Django process) took seconds more on a loaded machine, past the grace
        # time; nothing is left for it to do, so exit now.
        logger.info("exiting %.2f s after the stop signal", time.monotonic() - server.draining_since)
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
