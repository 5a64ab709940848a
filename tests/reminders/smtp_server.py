"""A real SMTP server for tests and the benchmark: aiosmtpd on 127.0.0.1.

aiosmtpd's controller checks it is up by connecting to its port, so port 0 does not
work: ``free_port`` asks the system for one first.
"""

import asyncio
import email
import socket
import threading
from collections import Counter

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """aiosmtpd handler: keeps every message; refuses some recipients with 550."""

    def __init__(self, delay: float = 0.0):
        self.messages: list[email.message.Message] = []
        self.refused: set[str] = set()
        self.delay = delay
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def message_ids(self) -> Counter:
        with self._lock:
            return Counter(message["Message-ID"] for message in self.messages)


class SMTPServer:
    """Start, stop and start again on the same port (to play an outage)."""

    def __init__(self, port: int | None = None, delay: float = 0.0):
        self.port = port or free_port()
        self.recorder = Recorder(delay)
        self._controller: Controller | None = None

    @property
    def messages(self):
        return self.recorder.messages

    def start(self) -> "SMTPServer":
        self._controller = Controller(
            self.recorder, hostname="127.0.0.1", port=self.port
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
