"""A real SMTP server on loopback (aiosmtpd), started per test, that keeps what it receives.

It refuses on request, as a real server does: `refuse(code, text)` answers every following
RCPT with that reply (451 for "try later", 550 for "no such mailbox") until `accept()`.
The fixtures `smtp_server` and `no_smtp_server` are in tests/conftest.py.
"""

from __future__ import annotations

import email
import email.policy
import socket


class Catcher:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []
        self.refusal: str | None = None

    def refuse(self, code: int, text: str) -> None:
        self.refusal = f"{code} {text}"

    def accept(self) -> None:
        self.refusal = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusal:
            return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_smtp(settings, port: int, timeout: int = 5) -> None:
    """Point the portal's mail at 127.0.0.1:`port`, plain SMTP without a login."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = timeout
