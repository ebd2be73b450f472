"""The CSRF check on form posts refuses every malformed token with 403 (never a 500), and the
files someone posts to a form are closed when the request ends."""

from __future__ import annotations

from typing import Any

import httpx
from litestar import Litestar
from litestar.datastructures import UploadFile
from litestar.utils.scope.state import ScopeState

HTML = {"accept": "text/html"}


async def _token(client: httpx.AsyncClient) -> str:
    await client.get("/privacy", headers=HTML)
    token = client.cookies.get("csrftoken")
    assert token
    return token


async def test_a_token_sent_as_a_file_is_refused(http: httpx.AsyncClient) -> None:
    token = await _token(http)
    answer = await http.post(
        "/privacy/consent",
        files=[("_csrf_token", ("token.txt", token.encode(), "text/plain"))],
        headers=HTML,
    )
    assert answer.status_code == 403
    assert "<h1>" in answer.text


async def test_a_token_with_letters_beyond_ascii_is_refused(http: httpx.AsyncClient) -> None:
    token = await _token(http)
    forged = "ā" * len(token)  # as long as a real one, so the comparison is reached
    answer = await http.post("/privacy/consent", data={"_csrf_token": forged}, headers=HTML)
    assert answer.status_code == 403
    header = await http.post(
        "/privacy/consent", headers={b"accept": b"text/html", b"x-csrftoken": forged.encode()}
    )
    assert header.status_code == 403


async def test_files_posted_to_a_form_are_closed_when_the_request_ends(
    app: Litestar, http: httpx.AsyncClient
) -> None:
    """Also when the post is refused for its token, before any handler ran. The app is called
    in-process so that the request's own scope, and the files parsed into it, can be seen."""
    token = await _token(http)
    request = http.build_request(
        "POST",
        "/privacy/consent",
        files=[
            ("_csrf_token", (None, token[::-1].encode())),
            ("source", ("source.txt", b"SRS", "text/plain")),
            ("granted", ("granted.txt", b"true", "text/plain")),
        ],
        headers={**HTML, "cookie": f"csrftoken={token}"},
    )
    body = await request.aread()
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/privacy/consent",
        "raw_path": b"/privacy/consent",
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower(), v) for k, v in request.headers.raw],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)  # type: ignore[arg-type]
    assert sent[0]["status"] == 403
    form = ScopeState.from_scope(scope).form  # type: ignore[arg-type]
    assert isinstance(form, dict)
    files = [value for value in form.values() if isinstance(value, UploadFile)]
    assert len(files) == 2
    assert all(upload.file.closed for upload in files)
