"""HTTP endpoints of the provider. Each reads the request once and hands it to Authlib."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from authlib.oauth2.rfc6749 import OAuth2Error
from litestar import Request, Response, get, post, route
from litestar.di import NamedDependency

from integrations.devstack.dev_idp import login
from integrations.devstack.dev_idp.adapter import FORM, ParsedRequest, read_request
from integrations.devstack.dev_idp.pages import message, stylesheet
from integrations.devstack.dev_idp.provider import PATHS, Provider

JSON = "application/json"


@get(PATHS["discovery"], cache_control=None)
async def discovery(provider: NamedDependency[Provider]) -> dict[str, Any]:
    return provider.metadata()


@get(PATHS["jwks"])
async def jwks(provider: NamedDependency[Provider]) -> dict[str, Any]:
    return provider.keys.public_jwks()


@get("/static/idp.css")
async def css() -> Response[bytes]:
    return Response(stylesheet(), media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@get(PATHS["authorize"])
async def authorize(request: Request[Any, Any, Any], provider: NamedDependency[Provider]) -> Any:
    return login.start(provider, await read_request(request))


@post(PATHS["authorize"], status_code=200)
async def choose(request: Request[Any, Any, Any], provider: NamedDependency[Provider]) -> Any:
    parsed = await read_request(request)
    return login.finish(provider, parsed.form, parsed.cookies)


@post(PATHS["token"], status_code=200)
async def token(request: Request[Any, Any, Any], provider: NamedDependency[Provider]) -> Any:
    if not request.headers.get("content-type", "").lower().startswith(FORM):
        body = {
            "error": "invalid_request",
            "error_description": f"Send the token request as {FORM}.",
        }
        return Response(body, status_code=400, headers={"Cache-Control": "no-store"})
    return provider.server.create_token_response(await read_request(request)).to_litestar()


@route(PATHS["userinfo"], http_method=["GET", "POST"], status_code=200)
async def userinfo(request: Request[Any, Any, Any], provider: NamedDependency[Provider]) -> Any:
    answer = provider.server.create_endpoint_response("userinfo", await read_request(request))
    return answer.to_litestar()


def _confirm_token(provider: Provider, browser_id: str) -> str:
    digest = hmac.new(provider.form_secret, b"logout\n" + browser_id.encode(), hashlib.sha256)
    return digest.hexdigest()


def _confirmed(provider: Provider, request: ParsedRequest) -> bool:
    browser_id = request.cookies.get(provider.cookies.browser)
    sent = request.form.get("confirm_token", "")
    return bool(
        request.method == "POST"
        and browser_id
        and hmac.compare_digest(sent, _confirm_token(provider, browser_id))
    )


@route(PATHS["end_session"], http_method=["GET", "POST"], status_code=200)
async def end_session(request: Request[Any, Any, Any], provider: NamedDependency[Provider]) -> Any:
    """RP-initiated logout 1.0: with a valid `id_token_hint` at once, otherwise after asking."""
    parsed = await read_request(request)
    base = provider.settings.base_path
    try:
        validated = provider.server.validate_endpoint_request("end_session", parsed)
    except OAuth2Error as error:
        return message(base, "The logout request is not valid", str(error.description), status=400)
    if validated.needs_confirmation and not _confirmed(provider, parsed):
        browser_id = parsed.cookies.get(provider.cookies.browser)
        if (
            not browser_id
            or provider.store.session_user(parsed.cookies.get(provider.cookies.session)) is None
        ):
            return message(base, "You are not logged in", title_lv="Jūs neesat pieslēdzies")
        fields = [(k, v) for k, v in parsed.payload.data.items() if k != "confirm_token"]
        fields.append(("confirm_token", _confirm_token(provider, browser_id)))
        confirm = {"action": base + PATHS["end_session"], "fields": fields}
        return message(base, "Log out of the development identity provider?", confirm=confirm)
    answer = provider.server.create_endpoint_response("end_session", validated)
    if answer is not None:
        response: Response[Any] = answer.to_litestar()
    else:
        paragraphs = ["You can close this page."]
        if parsed.payload.data.get("post_logout_redirect_uri"):
            paragraphs.insert(
                0,
                "The application asked to return to an address it has not "
                "registered, so you stay here.",
            )
        response = message(base, "You are logged out", *paragraphs, title_lv="Jūs esat izgājis")
    response.delete_cookie(provider.cookies.session, path=base or "/")
    return response
