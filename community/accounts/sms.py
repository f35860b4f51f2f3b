"""Text messages through a pluggable backend, the way Django sends email.

`settings.SMS_BACKEND` is a dotted path to a class with `send_messages(messages) -> int`, like an
email backend. Development prints to the console (`ConsoleBackend`, the default), tests collect the
messages in `community.accounts.sms.outbox` (`LocmemBackend`); production points it at a provider's
adapter with the same shape.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "community.accounts.sms.ConsoleBackend"

# What `LocmemBackend` has sent, oldest first (tests empty it).
outbox: list[SmsMessage] = []


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


class BaseBackend:
    def __init__(self, fail_silently: bool = False, **kwargs) -> None:
        self.fail_silently = fail_silently

    def send_messages(self, messages: list[SmsMessage]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Writes each message to stdout, like `django.core.mail.backends.console.EmailBackend`."""

    _lock = threading.RLock()

    def __init__(self, *args, stream=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout

    def send_messages(self, messages: list[SmsMessage]) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(f"SMS to {message.to}\n{message.body}\n{'-' * 79}\n")
            self.stream.flush()
        return len(messages)


class LocmemBackend(BaseBackend):
    """Keeps the messages in `outbox`, like Django's locmem email backend."""

    def send_messages(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def get_connection(backend: str | None = None, fail_silently: bool = False, **kwargs) -> BaseBackend:
    path = backend or getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND)
    return import_string(path)(fail_silently=fail_silently, **kwargs)


def send_sms(to: str, body: str, *, fail_silently: bool = False) -> int:
    return get_connection(fail_silently=fail_silently).send_messages([SmsMessage(to=to, body=body)])
