"""Login, callback and logout routes (the browser side of OpenID Connect)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from backend.auth import audit
from backend.auth.assurance import Level, acr_values_at_least
from backend.auth.oidc import LoginFailed
from backend.auth.people import upsert_from_identity
from backend.auth.sessions import LOGGED_OUT_COOKIE
from backend.auth.viewer import Viewer, forget_viewer
from backend.lib.http import safe_next
from backend.lib.ratelimit import Limit, enforce

if TYPE_CHECKING:
    from backend.services import Services

log = logging.getLogger("vienuviet.auth")

LOGIN_COOKIE_MAX_AGE_S = 600


def client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def _login_failed_page(reason: str) -> Template:
    return Template(
        "pages/auth/login_failed.html",
        context={"reason": reason},
        status_code=400,
        headers={"Cache-Control": "no-store"},
    )


@get("/auth/login", include_in_schema=False, cache_control=None)
async def login(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    next: FromQuery[str | None] = None,
    level: FromQuery[str | None] = None,
) -> Response[Any]:
    """Send the person to the identity provider; `level` asks for a stronger login (step-up)."""
    settings = services.settings
    await enforce(
        services.stores.counters,
        Limit("login-ip", settings.auth.login_rate_per_minute, 60),
        client_ip(request),
    )
    target = safe_next(next)
    wanted = Level.parse(level) if level in ("substantial", "high") else None
    if viewer is not None and (wanted is None or viewer.level >= wanted):
        return Redirect(target)
    try:
        pending, url = await services.auth.oidc.start(
            target,
            acr_values=acr_values_at_least(wanted) if wanted else None,
            prompt="login" if wanted else None,
        )
    except LoginFailed as failure:
        log.warning("login could not start: %s", failure.reason)
        return _login_failed_page(failure.reason)
    login_id = await services.auth.sessions.remember_pending(pending)
    response = Redirect(url, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        services.auth.cookies.login,
        login_id,
        max_age=LOGIN_COOKIE_MAX_AGE_S,
        path="/",
        httponly=True,
        secure=services.auth.cookies.secure,
        samesite="lax",
    )
    return response


@get("/auth/callback", include_in_schema=False, cache_control=None)
async def callback(
    request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> Response[Any]:
    """Finish the login: every check passes, or no session is created."""
    pending = await services.auth.sessions.take_pending(
        request.cookies.get(services.auth.cookies.login)
    )
    if pending is None:
        response: Response[Any] = _login_failed_page("login_expired")
    else:
        params = {key: str(value) for key, value in request.query_params.items()}
        try:
            identity = await services.auth.oidc.finish(pending, params)
        except LoginFailed as failure:
            log.warning("login refused: %s", failure.reason)
            response = _login_failed_page(failure.reason)
        else:
            person = await upsert_from_identity(identity, services.engine)
            # The name may have changed at the provider: answers kept for other sessions of
            # this person (backend/graphql/answers.py) must not show the old one.
            await services.dashboard.versions.bump(person.subject_key)
            # A fresh session id at every login: an id planted before login is never promoted.
            old_id = request.cookies.get(services.auth.cookies.session)
            if old_id:
                await services.auth.sessions.destroy(old_id)
            epoch = await services.auth.sessions.current_epoch(str(person.id))
            session_id, _ = await services.auth.sessions.create(
                str(person.id), epoch, int(identity.level), identity.id_token
            )
            await audit.record(
                "login",
                actor_id=person.id,
                subject_key=person.subject_key,
                detail={"level": identity.level.label},
            )
            forget_viewer(request)
            response = Redirect(pending.next_path, headers={"Cache-Control": "no-store"})
            response.set_cookie(
                services.auth.cookies.session,
                session_id,
                max_age=services.settings.auth.session_absolute_s,
                path="/",
                httponly=True,
                secure=services.auth.cookies.secure,
                samesite="lax",
            )
    response.delete_cookie(services.auth.cookies.login, path="/")
    return response


async def _end_session(
    request: Request[Any, Any, Any], services: Services, viewer: Viewer | None, *, everywhere: bool
) -> Response[Any]:
    target = "/"
    if viewer is not None:
        if everywhere:
            await services.auth.sessions.end_all(str(viewer.person.id))
        await services.auth.sessions.destroy(viewer.session_id)
        await audit.record(
            "logout_everywhere" if everywhere else "logout",
            actor_id=viewer.person.id,
            subject_key=viewer.person.subject_key,
        )
        target = (
            await services.auth.oidc.end_session_url(
                viewer.session.id_token, f"{services.settings.web.public_url}/"
            )
            or "/"
        )
    forget_viewer(request)
    response = Redirect(
        target,
        status_code=303,
        headers={"Cache-Control": "no-store", "Clear-Site-Data": '"cache"'},
    )
    response.delete_cookie(services.auth.cookies.session, path="/")
    if viewer is not None:
        # The landing page says once that the logout worked (the provider's redirect back
        # must be the registered bare URL, so it cannot carry a notice).
        response.set_cookie(
            LOGGED_OUT_COOKIE,
            "1",
            path="/",
            max_age=300,
            httponly=True,
            secure=services.auth.cookies.secure,
            samesite="lax",
        )
    return response


@post("/auth/logout", include_in_schema=False, status_code=303)
async def logout(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    """End this session (and, when the provider supports it, the provider's session)."""
    return await _end_session(request, services, viewer, everywhere=False)


@post("/auth/logout-everywhere", include_in_schema=False, status_code=303)
async def logout_everywhere(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    """End every session of this person, on every device."""
    return await _end_session(request, services, viewer, everywhere=True)


ROUTES = [login, callback, logout, logout_everywhere]
