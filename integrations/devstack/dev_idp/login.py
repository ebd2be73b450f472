"""The authorization endpoint: validate with Authlib, pick a persona, answer with a code.

1. GET /authorize: Authlib validates the request. A bad client or redirect URI gets an error
   page (never a redirect to an unregistered URI); other errors go back to the client.
2. A browser with a provider session good enough for the request (`acr_values`, `max_age`,
   no `prompt=login`) is answered at once; otherwise the persona picker is shown. The request
   is kept server-side, bound to this browser and to the form's CSRF token.
3. POST /authorize: the choice is checked, a session starts (new id), and Authlib issues the
   code; RFC 9207's `iss` is added to every answer that goes back to the client.
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc6749 import OAuth2Error
from litestar import Response
from litestar.datastructures import Cookie

from integrations.devstack.dev_idp.adapter import OAuthResponse, ParsedRequest
from integrations.devstack.dev_idp.methods import BY_CODE, METHODS, offered_methods, satisfies
from integrations.devstack.dev_idp.models import LoggedInUser
from integrations.devstack.dev_idp.pages import message, render
from integrations.devstack.dev_idp.provider import PATHS, Provider
from integrations.devstack.dev_idp.store import LoginRequest

BROWSER_COOKIE_AGE_S = 30 * 24 * 3600


def cookie(provider: Provider, name: str, value: str, max_age: int) -> Cookie:
    return Cookie(
        key=name,
        value=value,
        path=provider.settings.base_path or "/",
        max_age=max_age,
        httponly=True,
        secure=provider.settings.is_https,
        samesite="lax",
    )


def _reusable(user: LoggedInUser, data: dict[str, str]) -> bool:
    """Whether an existing login answers this request without asking again."""
    if not satisfies(user.method.acr, data.get("acr_values")):
        return False
    max_age = data.get("max_age", "")
    return not (max_age.isdigit() and time.time() - user.auth_time >= int(max_age))


def _invalid_request(
    provider: Provider, request: ParsedRequest, error: OAuth2Error
) -> Response[Any]:
    if error.redirect_uri:  # validated against the client's registration by Authlib
        response: OAuthResponse = provider.server.handle_error_response(request, error)
        provider.server.execute_hook("after_create_authorization_response", response)
        return response.to_litestar()
    return message(
        provider.settings.base_path,
        "The application's login request cannot be completed",
        f"{error.error}: {error.description or 'invalid request'}",
        "Nothing was sent back to the application. Go back to it and try again.",
        status=400,
    )


def start(provider: Provider, request: ParsedRequest) -> Response[Any]:
    data = request.payload.data
    user = provider.store.session_user(request.cookies.get(provider.cookies.session))
    if user is not None and not _reusable(user, data):
        user = None
    try:
        grant = provider.server.get_consent_grant(request, end_user=user)
    except OAuth2Error as error:
        return _invalid_request(provider, request, error)
    if user is not None and grant.prompt is None:
        answer: OAuthResponse = provider.server.create_authorization_response(request, user, grant)
        return answer.to_litestar()
    browser_id = request.cookies.get(provider.cookies.browser) or secrets.token_urlsafe(24)
    pairs = tuple(
        (key, value) for key, values in request.payload.datalist.items() for value in values
    )
    pending = provider.store.add_login_request(
        browser_id, pairs, provider.settings.login_request_lifetime_s
    )
    browser = cookie(provider, provider.cookies.browser, browser_id, BROWSER_COOKIE_AGE_S)
    return picker(provider, pending, cookies=[browser])


def picker(
    provider: Provider,
    pending: LoginRequest,
    *,
    errors: dict[str, str] | None = None,
    chosen: dict[str, str] | None = None,
    cookies: list[Cookie] | None = None,
) -> Response[Any]:
    params = dict(pending.params)
    offered = offered_methods(params.get("acr_values"))
    errors = errors or {}
    context = {
        "base_path": provider.settings.base_path,
        # Relative, so the form posts back to the host the browser used (its cookies are there).
        "action": provider.settings.base_path + PATHS["authorize"],
        "client_id": params.get("client_id", ""),
        "request_id": pending.id,
        "csrf_token": pending.csrf_token,
        "personas": provider.settings.personas,
        "methods": offered,
        "withheld": [method for method in METHODS if method not in offered],
        "errors": [{"field": field, "message": text} for field, text in errors.items()],
        "error_fields": errors,
        "chosen_persona": (chosen or {}).get("persona"),
        "chosen_method": (chosen or {}).get("method"),
    }
    return render(
        "picker.html",
        context,
        status=400 if errors else 200,
        form_targets=[params.get("redirect_uri", "")],
        cookies=cookies or (),
    )


def _choice_errors(
    provider: Provider, pending: LoginRequest, form: dict[str, str]
) -> dict[str, str]:
    persona = provider.personas.get(form.get("persona", ""))
    method = BY_CODE.get(form.get("method", ""))
    errors: dict[str, str] = {}
    if persona is None:
        errors["persona"] = "Choose the person to log in as."
    if method is None or method not in offered_methods(dict(pending.params).get("acr_values")):
        errors["method"] = "Choose one of the login methods offered."
    elif persona is not None and not method.usable_by(persona):
        errors["method"] = (
            f"{method.label} is only for people without a Latvian personal code."
            if method.foreign
            else f"{persona.name} has no Latvian personal code: choose Foreign eID (eIDAS)."
        )
    return errors


def finish(provider: Provider, form: dict[str, str], cookies: dict[str, str]) -> Response[Any]:
    base = provider.settings.base_path
    pending = provider.store.login_request(form.get("request_id", ""))
    if pending is None:
        return message(
            base,
            "This login page has expired",
            "Go back to the application and start the login again.",
            status=400,
        )
    same_browser = hmac.compare_digest(
        cookies.get(provider.cookies.browser, ""), pending.browser_id
    )
    same_form = hmac.compare_digest(form.get("csrf_token", ""), pending.csrf_token)
    if not (same_browser and same_form):
        return message(
            base,
            "This login form was not sent from the page that started the login",
            "Go back to the application and start the login again.",
            status=403,
        )
    query = ParsedRequest(
        "GET",
        f"{provider.endpoint('authorize')}?{urlencode(pending.params)}",
        headers={},
        query=pending.params,
        cookies=cookies,
    )
    if form.get("action") == "cancel":
        del provider.store.login_requests[pending.id]
        return _answer(provider, query, None)
    if errors := _choice_errors(provider, pending, form):
        return picker(provider, pending, errors=errors, chosen=form)
    user = LoggedInUser(
        persona=provider.personas[form["persona"]],
        method=BY_CODE[form["method"]],
        auth_time=int(time.time()),
    )
    del provider.store.login_requests[pending.id]
    provider.store.end_session(cookies.get(provider.cookies.session))
    session_id = provider.store.start_session(user, provider.settings.session_lifetime_s)
    response = _answer(provider, query, user)
    lifetime = provider.settings.session_lifetime_s
    response.set_cookie(cookie(provider, provider.cookies.session, session_id, lifetime))
    return response


def _answer(provider: Provider, request: ParsedRequest, user: LoggedInUser | None) -> Response[Any]:
    """Authlib's authorization response: a code for `user`, or access_denied for None."""
    try:
        grant = provider.server.get_consent_grant(request, end_user=user)
    except OAuth2Error as error:
        return _invalid_request(provider, request, error)
    answer: OAuthResponse = provider.server.create_authorization_response(request, user, grant)
    return answer.to_litestar()
