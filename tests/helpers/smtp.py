"""A real SMTP server for the outbox tests (aiosmtpd, on 127.0.0.1).

It records each message as the server received it (raw bytes, parsed), can
refuse given recipients (with `refusal`, 550 unless set: "451 ..." refuses for
now), refuse the sender (`sender_refusal`) or the data (`data_refusal`), hold
every new conversation before MAIL FROM (to catch a sender between claiming
and sending), and take a message but answer its "250" late (`slow_reply`
seconds, once: a relay that is slow to confirm)."""

import asyncio
import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    def __init__(self, refuse=()):
        self.lock = threading.Lock()
        self.released = threading.Event()
        self.reset(refuse)

    def reset(self, refuse=()):
        """As new: for a server shared by the tests of a module."""
        with self.lock:
            self.refuse = set(refuse)
            self.refusal = "550 5.1.1 No such user here"
            self.sender_refusal = None
            self.data_refusal = None
            self.slow_reply = 0.0
            self.messages = []
            self.refused = 0
            self.held = 0
        self.released.set()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if not self.released.is_set():
            with self.lock:
                self.held += 1
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            return "421 4.3.2 Closing after hold"
        if self.sender_refusal:
            return self.sender_refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            with self.lock:
                self.refused += 1
            return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_refusal:
            return self.data_refusal
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append((tuple(envelope.rcpt_tos), envelope.original_content, message))
            slow, self.slow_reply = self.slow_reply, 0.0
        await asyncio.sleep(slow)
        return "250 Message accepted for delivery"

    def parsed(self):
        with self.lock:
            return [m for _rcpt, _raw, m in self.messages]

    def wait_for(self, count, timeout=60):
        """Wait until `count` messages have arrived; returns them (never fewer)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.parsed()
            time.sleep(0.1)
        raise AssertionError(f"expected {count} e-mails, got {len(self.messages)}")


class SMTPServer:
    def __init__(self, refuse=()):
        self.handler = Recorder(refuse=refuse)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        self.running = True
        return self

    def __exit__(self, *exc):
        self.handler.released.set()
        if getattr(self, "running", False):
            self.controller.stop()
            self.running = False

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"
