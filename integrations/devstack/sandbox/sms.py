"""An SMS gateway stand-in for the notification centre: POST /sms/v1/messages records what it
was asked to send, so tests and the developer can see it (GET /admin/sms)."""

from __future__ import annotations

import hmac
import re
import uuid
from typing import Any

from litestar import Request, Response, post

from backend.lib.time import utcnow
from integrations.devstack.sandbox.state import SmsMessage, state_of

E164 = re.compile(r"^\+[1-9]\d{7,14}$")
SENDER = re.compile(r"^[A-Za-z0-9 ]{1,11}$|^\+?\d{3,15}$")
MAX_TEXT = 1600  # ten concatenated segments


def _problem(status: int, code: str, detail: str, **headers: str) -> Response[Any]:
    return Response(
        {"status": status, "code": code, "detail": detail},
        status_code=status,
        media_type="application/problem+json",
        headers={name.replace("_", "-"): value for name, value in headers.items()},
    )


def _invalid(body: dict[str, Any]) -> tuple[str, str] | None:
    to, text, sender = body.get("to"), body.get("text"), body.get("sender")
    if not isinstance(to, str) or not E164.match(to):
        return "invalid_recipient", "`to` must be an E.164 number (+371…)"
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        return "invalid_text", f"`text` must be 1..{MAX_TEXT} characters"
    if not isinstance(sender, str) or not SENDER.match(sender):
        return "invalid_sender", "`sender`: up to 11 letters/digits, or a number"
    return None


@post("/sms/v1/messages", status_code=202, include_in_schema=False)
async def send_sms(request: Request[Any, Any, Any]) -> Response[Any]:
    state = state_of(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = state.settings.sms_token.encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
        return _problem(
            401,
            "unauthorized",
            "A valid bearer token is required",
            www_authenticate='Bearer realm="sms-gateway"',
        )
    try:
        body = await request.json()
    except Exception:  # any undecodable body is the caller's error
        return _problem(400, "bad_request", "Body must be JSON")
    if not isinstance(body, dict):
        return _problem(400, "bad_request", "Body must be a JSON object")
    if problem := _invalid(body):
        return _problem(422, *problem)
    to, text, sender = body["to"], body["text"], body["sender"]
    message = SmsMessage(uuid.uuid4().hex, to, sender, text, utcnow())
    state.sms.append(message)
    return Response({"id": message.id, "status": "accepted"}, status_code=202)
