"""`create_idp_app(settings)`: the development OpenID Connect provider as a Litestar app."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Response, Router
from litestar.datastructures import State
from litestar.di import Provide

from integrations.devstack.dev_idp import controls, routes
from integrations.devstack.dev_idp.pages import security_headers
from integrations.devstack.dev_idp.provider import Provider
from integrations.devstack.dev_idp.settings import DevIdPSettings

MAX_BODY_BYTES = 64 * 1024


async def _with_security_headers(response: Response[Any]) -> Response[Any]:
    for name, value in security_headers().items():
        response.headers.setdefault(name, value)
    return response


def create_idp_app(settings: DevIdPSettings | None = None) -> Litestar:
    """A provider with its own keys, clients and state; `app.state.provider` is that state."""
    provider = Provider(settings or DevIdPSettings())
    handlers: list[Any] = [
        routes.discovery,
        routes.jwks,
        routes.css,
        routes.authorize,
        routes.choose,
        routes.token,
        routes.userinfo,
        routes.end_session,
        controls.list_faults,
        controls.arm_fault,
        controls.clear_faults,
        controls.rotate_key,
    ]
    return Litestar(
        route_handlers=[Router(path=provider.settings.base_path or "/", route_handlers=handlers)],
        dependencies={"provider": Provide(lambda: provider, sync_to_thread=False)},
        after_request=_with_security_headers,
        request_max_body_size=MAX_BODY_BYTES,
        openapi_config=None,
        logging_config=None,
        debug=False,
        state=State({"provider": provider}),
    )
