"""SMS through an HTTP gateway (`SMS_GATEWAY_URL`), following the sandbox's gateway contract
(integrations/devstack/sandbox/README.md, "SMS gateway stand-in"):

    POST {SMS_GATEWAY_URL}/v1/messages
    Authorization: Bearer {SMS_GATEWAY_TOKEN}
    {"to": "+371…", "text": "…", "sender": "Vienuviet"}
    → 202 {"id", "status": "accepted"}; 401 bad token; 400 not JSON; 422 invalid_recipient /
      invalid_text / invalid_sender (problem+json); 503 + Retry-After when down.

Texts are measured first (GSM-7 or UCS-2, segments) and refused beyond `SMS_MAX_SEGMENTS`:
every segment is billed, and a notice that needs four is a notice written wrong.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from backend.notifications.channels import gsm
from backend.notifications.engine.backoff import retry_after_seconds
from backend.settings import SMSSettings


@dataclass(frozen=True)
class SmsResult:
    outcome: str
    """delivered | retry | failed | refused"""
    status: int | None = None
    error_class: str | None = None
    retry_after_s: float | None = None
    duration_ms: int = 0
    recipient_fault: bool = False
    """The gateway refused the number itself: counts against the contact point's health."""
    segments: int = 0


class SmsSender:
    def __init__(self, settings: SMSSettings) -> None:
        self.settings = settings
        self.url = settings.gateway_url.rstrip("/") + "/v1/messages"
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            timeout = self.settings.timeout_s
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
                limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
                follow_redirects=False,
            )
        return self._client

    async def send(self, to: str, text: str) -> SmsResult:
        try:
            length = gsm.check(text, self.settings.max_segments)
        except ValueError as exc:  # SmsTooLong included: our text, not the gateway's fault
            return SmsResult("refused", error_class=type(exc).__name__)
        started = time.perf_counter()
        try:
            response = await self._http().post(
                self.url,
                json={"to": to, "text": text, "sender": self.settings.sender},
                headers={"Authorization": f"Bearer {self.settings.token}"},
            )
        except httpx.HTTPError as exc:
            return SmsResult("retry", error_class=type(exc).__name__, duration_ms=_ms(started))
        return _classify(response, _ms(started), length.segments)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def _classify(response: httpx.Response, duration: int, segments: int) -> SmsResult:
    status = response.status_code
    if status in (200, 201, 202):
        return SmsResult("delivered", status, duration_ms=duration, segments=segments)
    code = _problem_code(response)
    if status == 422 and code == "invalid_recipient":
        return SmsResult(
            "failed", status, "invalid_recipient", duration_ms=duration, recipient_fault=True
        )
    if status == 429 or status >= 500:
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        return SmsResult("retry", status, f"HTTP{status}", retry_after, duration)
    if status == 401:
        # Our key is wrong: retried (someone will fix the setting), never the person's fault.
        return SmsResult("retry", status, "gateway_unauthorized", duration_ms=duration)
    return SmsResult("failed", status, code or f"HTTP{status}", duration_ms=duration)


def _problem_code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, str) and len(code) <= 40 else None


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
