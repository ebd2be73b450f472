"""The Litestar side of Authlib's provider components (Authlib ships Flask and Django ones).

Authlib's server API is synchronous and reads the request through `OAuth2Request`. A handler
reads the body first (`await read_request`), hands Authlib a fully parsed request, and turns
Authlib's `(status, body, headers)` answer back into a Litestar response — the same shape as
`authlib.integrations.flask_oauth2.requests`, with the body already in memory.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request
from litestar import Request, Response
from litestar.datastructures import Headers

FORM = "application/x-www-form-urlencoded"
Pairs = tuple[tuple[str, str], ...]


class ParsedPayload(OAuth2Payload):
    """The request parameters: query for GET, the form body for POST (never mixed)."""

    def __init__(self, pairs: Pairs) -> None:
        self._pairs = pairs
        first: dict[str, str] = {}
        for key, value in pairs:
            first.setdefault(key, value)
        self._data = first

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        values: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in self._pairs:
            values[key].append(value)
        return values


class ParsedRequest(OAuth2Request):
    def __init__(
        self,
        method: str,
        uri: str,
        headers: Headers | dict[str, str],
        *,
        query: Pairs = (),
        form: Pairs = (),
        cookies: dict[str, str] | None = None,
    ) -> None:
        super().__init__(method=method, uri=uri, headers=headers)
        self._query = ParsedPayload(query)
        self._form = ParsedPayload(form)
        self.payload = self._form if method == "POST" else self._query
        self.cookies = cookies or {}

    @property
    def args(self) -> dict[str, str]:
        return self._query.data

    @property
    def form(self) -> dict[str, str]:
        return self._form.data


class OAuthResponse:
    """Authlib's answer before it becomes a Litestar response.

    RFC 9207's `IssuerParameter` extension edits `response.location`, as it would a Flask
    response, so the Location header is exposed as a settable attribute.
    """

    def __init__(self, status: int, body: Any, headers: list[tuple[str, str]]) -> None:
        self.status = status
        self.body = body
        self.headers = list(headers)

    @property
    def location(self) -> str | None:
        return next((v for k, v in self.headers if k.lower() == "location"), None)

    @location.setter
    def location(self, value: str) -> None:
        self.headers = [(k, v) for k, v in self.headers if k.lower() != "location"]
        self.headers.append(("Location", value))

    def to_litestar(self) -> Response[Any]:
        headers = dict(self.headers)
        media_type = headers.pop("Content-Type", "application/json")
        body = self.body
        if isinstance(body, dict):
            body = json.dumps(body)
        return Response(
            content=body or b"", status_code=self.status, headers=headers, media_type=media_type
        )


def _form_pairs(body: bytes) -> Pairs:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return ()
    return tuple(parse_qsl(text, keep_blank_values=True))


async def read_request(request: Request[Any, Any, Any]) -> ParsedRequest:
    """Everything Authlib may ask about `request`, read up front."""
    form: Pairs = ()
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == FORM:
            form = _form_pairs(await request.body())
    query = tuple(parse_qsl(request.url.query, keep_blank_values=True))
    return ParsedRequest(
        method=request.method,
        uri=str(request.url),
        headers=request.headers,
        query=query,
        form=form,
        cookies=dict(request.cookies),
    )
