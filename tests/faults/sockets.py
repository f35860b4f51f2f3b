"""A live client of the chat subscription, in a thread: what it received, and how its socket ended."""

from __future__ import annotations

import json
import threading
import time

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.faults.operations import CHAT_SUBSCRIPTION

ABNORMAL_CLOSURE = 1006  # no close frame: the server vanished


class ChatListener(threading.Thread):
    def __init__(self, url: str, token: str, circle_id: str, after: str | None = None) -> None:
        super().__init__(daemon=True)
        self.url, self.token, self.circle_id, self.after = url, token, circle_id, after
        self.bodies: list[str] = []
        self.ids: list[str] = []  # the messages' global ids, in the order they arrived
        self.errors: list[dict] = []
        self.close_code: int | None = None
        self.acknowledged = threading.Event()
        self.closed = threading.Event()
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with connect(self.url, subprotocols=["graphql-transport-ws"], open_timeout=20, close_timeout=2) as ws:
                ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {self.token}"}}))
                ack = json.loads(ws.recv(timeout=20))
                assert ack["type"] == "connection_ack", ack
                ws.send(
                    json.dumps(
                        {
                            "id": "chat",
                            "type": "subscribe",
                            "payload": {
                                "query": CHAT_SUBSCRIPTION,
                                "variables": {"c": self.circle_id, "after": self.after},
                            },
                        }
                    )
                )
                self.acknowledged.set()
                while not self.stopping.is_set():
                    try:
                        message = json.loads(ws.recv(timeout=0.2))
                    except TimeoutError:
                        continue
                    if message["type"] == "next":
                        self.ids.append(message["payload"]["data"]["chatMessages"]["id"])
                        self.bodies.append(message["payload"]["data"]["chatMessages"]["body"])
                    elif message["type"] in {"error", "complete"}:
                        self.errors.append(message)
                    elif message["type"] == "ping":
                        ws.send(json.dumps({"type": "pong"}))
        except ConnectionClosed as closed:
            self.close_code = closed.rcvd.code if closed.rcvd is not None else ABNORMAL_CLOSURE
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            self.closed.set()

    def started(self, timeout: float = 30.0) -> ChatListener:
        self.start()
        if not self.acknowledged.wait(timeout):
            raise AssertionError(f"no connection_ack from {self.url} ({self.error!r})")
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)

    def wait_for(self, body: str, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if body in self.bodies:
                return True
            if self.closed.is_set():
                return body in self.bodies
            time.sleep(0.05)
        return body in self.bodies
