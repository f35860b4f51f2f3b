"""Publishing from sync code never waits long, and never on an event loop that has stopped."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import pytest
from asgiref.sync import SyncToAsync, sync_to_async

from community.kernel import realtime


class RecordingLayer:
    def __init__(self, *, hang: bool = False) -> None:
        self.hang = hang
        self.sent: list[tuple[str, asyncio.AbstractEventLoop]] = []

    async def group_send(self, topic, message):
        if self.hang:
            await asyncio.Event().wait()  # a Redis that accepted the connection and never answers
        self.sent.append((topic, asyncio.get_running_loop()))


@pytest.fixture
def layer(monkeypatch) -> RecordingLayer:
    layer = RecordingLayer()
    monkeypatch.setattr(realtime, "get_channel_layer", lambda: layer)
    return layer


def test_sync_code_without_a_server_loop_publishes_on_the_process_publishing_loop(layer):
    assert realtime.send_now("user.1.notifications", {"id": 1})
    assert realtime.send_now("user.1.notifications", {"id": 2})
    (_, first), (_, second) = layer.sent
    assert first is second  # one loop for the process, not one per publish
    assert first is realtime._publisher["loop"]


async def test_a_request_thread_publishes_on_its_server_loop_while_it_runs(layer):
    server_loop = asyncio.get_running_loop()
    assert await sync_to_async(realtime.send_now)("circle.1.chat", {"id": 1})
    assert layer.sent == [("circle.1.chat", server_loop)]


def test_a_request_thread_whose_server_loop_stopped_does_not_wait_for_it(layer):
    stopped = asyncio.new_event_loop()  # what a request thread sees once daphne's reactor has stopped
    local = SyncToAsync.threadlocal
    local.main_event_loop, local.main_event_loop_pid = stopped, os.getpid()
    try:
        started = time.monotonic()
        assert realtime.send_now("event.1.seats", {"revision": 3})
        assert time.monotonic() - started < 1.0
    finally:
        del local.main_event_loop, local.main_event_loop_pid
        stopped.close()
    assert layer.sent[0][1] is not stopped


def test_a_publish_that_never_completes_gives_up_within_its_bound(monkeypatch, caplog):
    monkeypatch.setattr(realtime, "get_channel_layer", lambda: RecordingLayer(hang=True))
    monkeypatch.setattr(realtime, "SEND_TIMEOUT_SECONDS", 0.2)
    started = time.monotonic()
    assert realtime.send_now("circle.1.chat", {"id": 1}) is False
    assert time.monotonic() - started < 2.0
    assert "real-time publish to circle.1.chat" in caplog.text


def test_publishing_from_many_threads_at_once_uses_one_loop(layer):
    threads = [threading.Thread(target=realtime.send_now, args=(f"user.{i}.notifications", {})) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(layer.sent) == 8
    assert len({id(loop) for _topic, loop in layer.sent}) == 1
