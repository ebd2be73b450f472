"""What the institution API says when a request is wrong: what was expected, in words, and
never an internal value (the upload route once answered "send `\\u0000none` and
`attachment` parts", naming a sentinel of our multipart reader)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.integration.eaddress.conftest import PDF, Api, message_json

UPLOAD = "/api/eaddress/v1/attachments"
MESSAGES = "/api/eaddress/v1/messages"


def _detail(answer: httpx.Response, status: int, code: str) -> str:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["code"] == code, body
    detail: str = body["detail"]
    assert "\x00" not in detail
    assert "none" not in detail
    return detail


@pytest.mark.parametrize(
    "parts",
    [
        [("file", ("a.pdf", PDF, "application/pdf"))],  # another name
        [("message", (None, b"{}", "application/json"))],  # a message part
        [("attachment", (None, b"not a file"))],  # no file name
    ],
)
async def test_an_upload_says_which_part_it_wants(api: Api, parts: Any) -> None:
    answer = await api.http.post(UPLOAD, files=parts, headers=api.auth)
    detail = _detail(answer, 400, "invalid_multipart")
    assert detail in (
        "Unexpected part: send the file in one `attachment` part (with a file name).",
        "An `attachment` part must be a file: give it a file name.",
    )


async def test_a_message_says_which_parts_it_wants(api: Api, holder: object) -> None:
    headers = {**api.auth, "Idempotency-Key": str(uuid.uuid4())}
    stray = await api.http.post(
        MESSAGES,
        files=[("message", (None, b"{}", "application/json")), ("note", (None, b"x"))],
        headers=headers,
    )
    assert _detail(stray, 400, "invalid_multipart") == (
        "Unexpected part: send the message as JSON in one `message` part and each file in an "
        "`attachment` part (with a file name)."
    )
    nameless = await api.http.post(
        MESSAGES,
        files=[("message", (None, b"{}", "application/json")), ("attachment", (None, b"x"))],
        headers={**api.auth, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert _detail(nameless, 400, "invalid_multipart") == (
        "An `attachment` part must be a file: give it a file name."
    )


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("personal_code", "a valid Latvian personal code"),
        ("eidas_id", "a valid eIDAS identifier"),
        ("company", "a valid company registration number"),
    ],
)
async def test_an_invalid_recipient_is_named_in_words(api: Api, kind: str, words: str) -> None:
    answer = await api.send(message_json({"type": kind, "id": "12"}))
    assert _detail(answer, 422, "invalid_recipient") == f"The recipient is not {words}."


@pytest.mark.parametrize(
    ("body", "sentence"),
    [
        ([], "The message must be an object, not an array."),
        ({"recipient": {"type": "pc", "id": "1"}, "subject": "a", "body": "b"},
         "`recipient.type` must be one of: personal_code, eidas_id, company."),
        ({"recipient": {"type": "company", "id": "1"}, "subject": 1, "body": "b"},
         "`subject` must be a string, not an integer."),
        ({"recipient": {"type": "company", "id": "1"}}, "`subject` is missing."),
        ({"recipient": {"type": "company", "id": "1"}, "subject": "a", "body": "b", "cc": []},
         "`cc` is not a field of the message."),
        ({"recipient": {"type": "company", "id": "1"}, "subject": "a", "body": "b",
          "attachment_ids": ["x"]}, "`attachment_ids[0]` must be a UUID."),
    ],
)  # fmt: skip
async def test_a_malformed_message_is_explained_in_words(
    api: Api, body: object, sentence: str
) -> None:
    answer = await api.http.post(
        MESSAGES, json=body, headers={**api.auth, "Idempotency-Key": str(uuid.uuid4())}
    )
    assert _detail(answer, 422, "invalid_message") == f"The message is not valid: {sentence}"


async def test_a_malformed_query_parameter_is_explained_in_words(api: Api) -> None:
    answer = await api.get("/replies", limit="ten")
    assert answer.status_code == 400
    body = answer.json()
    assert body["detail"] == "The query parameter `limit` must be an integer, not a string."
    assert body["errors"] == [
        {"key": "limit", "source": "query", "message": "`limit` must be an integer, not a string."}
    ]
    assert "ten" not in answer.text
