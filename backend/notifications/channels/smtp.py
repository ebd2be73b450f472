"""E-mail over SMTP (`SMTP_URL`): smtp:// (plain, for a local relay or the dev sink),
smtps:// (implicit TLS), smtp+starttls:// (upgrade); `user:password@` logs in.

smtplib runs in a thread per message, bounded by `SMTP_CONCURRENCY`. The outcome tells the
engine what to do: a 5xx answer about the recipient is a bounce (counts against the contact
point's health); a 4xx answer, a refused connection or a timeout is the server's problem and
is retried later without blaming the address.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from backend.settings import EmailSettings, SettingsError

DEFAULT_PORTS = {"smtp": 25, "smtps": 465, "smtp+starttls": 587}


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    mode: str
    """plain | tls | starttls"""
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpTarget:
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise SettingsError("SMTP_URL must be smtp://host:port, smtps://… or smtp+starttls://…")
    mode = {"smtp": "plain", "smtps": "tls", "smtp+starttls": "starttls"}[parts.scheme]
    return SmtpTarget(
        host=parts.hostname,
        port=parts.port or DEFAULT_PORTS[parts.scheme],
        mode=mode,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


@dataclass(frozen=True)
class SendResult:
    outcome: str
    """delivered | retry | failed"""
    status: int | None = None
    error_class: str | None = None
    duration_ms: int = 0


def _classify(exc: Exception) -> SendResult:
    name = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        code = max(codes) if codes else None
        permanent = code is not None and code >= 500
        return SendResult("failed" if permanent else "retry", code, name)
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        # 5xx to MAIL/DATA is a permanent refusal of this message; authentication failures
        # are ours (misconfiguration): retried, and loud in the logs, but never a bounce.
        permanent = code >= 500 and not isinstance(exc, smtplib.SMTPAuthenticationError)
        return SendResult("failed" if permanent else "retry", code, name)
    return SendResult("retry", None, name)


class EmailSender:
    def __init__(self, settings: EmailSettings) -> None:
        self.settings = settings
        self.target = parse_smtp_url(settings.smtp_url)
        self._slots: asyncio.Semaphore | None = None

    def _send_blocking(self, message: EmailMessage) -> None:
        target, timeout = self.target, self.settings.timeout_s
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if target.mode == "tls":
            client = smtplib.SMTP_SSL(target.host, target.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(target.host, target.port, timeout=timeout)
        with client:
            if target.mode == "starttls":
                client.starttls(context=context)
            if target.username:
                client.login(target.username, target.password or "")
            client.send_message(message)

    async def send(self, message: EmailMessage) -> SendResult:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.settings.concurrency)
        started = time.perf_counter()
        async with self._slots:
            try:
                await asyncio.to_thread(self._send_blocking, message)
            except (smtplib.SMTPException, OSError) as exc:
                result = _classify(exc)
                return SendResult(result.outcome, result.status, result.error_class, _ms(started))
        return SendResult("delivered", 250, None, _ms(started))


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
