"""The sandbox's SMS gateway stand-in records what it is asked to send."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.sandbox_driver import Sandbox


async def _send(sandbox: Sandbox, body: Any, token: str | None = None) -> httpx.Response:
    token = token if token is not None else sandbox.settings.sms_token
    async with httpx.AsyncClient(base_url=sandbox.url) as http:
        return await http.post(
            "/sms/v1/messages", json=body, headers={"authorization": f"Bearer {token}"}
        )


async def test_messages_are_accepted_recorded_listed_and_cleared(sandbox: Sandbox) -> None:
    body = {"to": "+37120000001", "text": "Jūsu pase drīz beigsies.", "sender": "Vienuviet"}
    response = await _send(sandbox, body)
    assert response.status_code == 202
    accepted = response.json()
    assert accepted["status"] == "accepted"
    listed = (await sandbox.admin.get("/admin/sms")).json()["messages"]
    assert len(listed) == 1
    assert listed[0]["id"] == accepted["id"]
    assert {k: listed[0][k] for k in ("to", "text", "sender")} == body
    assert listed[0]["received_at"].endswith("+00:00")
    assert (await sandbox.admin.delete("/admin/sms")).status_code == 204
    assert (await sandbox.admin.get("/admin/sms")).json()["messages"] == []


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"to": "20000001", "text": "x", "sender": "Vienuviet"}, 422, "invalid_recipient"),
        ({"to": "+37120000001", "text": "", "sender": "Vienuviet"}, 422, "invalid_text"),
        ({"to": "+37120000001", "text": "x" * 1601, "sender": "V"}, 422, "invalid_text"),
        ({"to": "+37120000001", "text": "x", "sender": "Vienuviet.lv!"}, 422, "invalid_sender"),
        ({"to": "+37120000001", "text": 5, "sender": "Vienuviet"}, 422, "invalid_text"),
        (["not", "an", "object"], 400, "bad_request"),
    ],
)
async def test_bad_messages_are_refused_and_not_recorded(
    sandbox: Sandbox, body: Any, status: int, code: str
) -> None:
    response = await _send(sandbox, body)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert (await sandbox.admin.get("/admin/sms")).json()["messages"] == []


async def test_sending_needs_the_gateway_token(sandbox: Sandbox) -> None:
    body = {"to": "+37120000001", "text": "x", "sender": "Vienuviet"}
    for token in ("-", "wrong", sandbox.settings.admin_token):
        response = await _send(sandbox, body, token=token)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert (await sandbox.admin.get("/admin/sms")).json()["messages"] == []


async def test_gateway_faults_can_be_injected(sandbox: Sandbox) -> None:
    await sandbox.fault("sms_gateway", error_rate=1.0, error_status=503)
    response = await _send(sandbox, {"to": "+37120000001", "text": "x", "sender": "Vienuviet"})
    assert response.status_code == 503
    assert (await sandbox.admin.get("/admin/sms")).json()["messages"] == []
