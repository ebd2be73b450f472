"""`POST /push/subscriptions`: a browser stores (or renews) its push subscription.

The contract is service_worker/README.md's: JSON `{endpoint, keys: {p256dh, auth},
oldEndpoint?, oldAuth?, label?}`, sent with the session cookie when there is one. The service
worker sends it on `pushsubscriptionchange`, often long after the session ended, so the old
subscription's endpoint together with its `auth` secret (proof that this is that device)
authorizes replacing it, keeping owner and device name; so does the owner's session. Anything
else needs the session, and an endpoint stored for another person also its `auth` secret
(`devices.add_subscription`). No CSRF token (the worker cannot read it): JSON only, and a
browser `Origin` other than PUBLIC_URL is refused. 201 stored, 204 unchanged, 400 malformed
or not a push service (PUSH_ALLOWED_ORIGINS), 401 no session, 403 cross-origin or another
person's subscription, 404 unknown `oldEndpoint` without a session, 415 not JSON.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request, Response, post
from litestar.di import NamedDependency

from backend.auth.viewer import Viewer
from backend.lib.errors import AppError, BadInput, Forbidden, NotFound, Unauthenticated
from backend.lib.jsonbody import InvalidJSON, JSONTooDeep, decode_json
from backend.notifications.preferences.devices import add_subscription, replace_endpoint, stored_as

if TYPE_CHECKING:
    from backend.services import Services

MAX_BODY = 8 * 1024


class NotJson(AppError):
    status_code = 415
    code = "unsupported_media_type"


def _string(value: object, name: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 4096:
        raise BadInput(f"`{name}` must be a non-empty string.", code="invalid_body")
    return value


def parse(body: bytes) -> tuple[str, str, str, str | None, str | None, str]:
    """endpoint, p256dh, auth, oldEndpoint, oldAuth, label — or BadInput saying what is wrong."""
    try:
        data = decode_json(body)
    except JSONTooDeep as exc:
        raise BadInput(exc.message, code="invalid_body") from None
    except InvalidJSON:
        raise BadInput("The body is not JSON.", code="invalid_body") from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise BadInput("Send {endpoint, keys: {p256dh, auth}}.", code="invalid_body")
    keys: dict[str, Any] = data["keys"]
    label = data.get("label")
    return (
        str(_string(data.get("endpoint"), "endpoint")),
        str(_string(keys.get("p256dh"), "keys.p256dh")),
        str(_string(keys.get("auth"), "keys.auth")),
        _string(data.get("oldEndpoint"), "oldEndpoint", optional=True),
        _string(data.get("oldAuth"), "oldAuth", optional=True),
        label if isinstance(label, str) else "",
    )


def device_label(user_agent: str) -> str:
    """A coarse name a person recognises in their device list ("Chrome on Android"); the
    full User-Agent is not kept."""
    ua = user_agent.lower()
    browser = next(
        (
            name
            for token, name in (
                ("edg/", "Edge"),
                ("firefox/", "Firefox"),
                ("samsungbrowser/", "Samsung Internet"),
                ("chrome/", "Chrome"),
                ("chromium/", "Chromium"),
                ("safari/", "Safari"),
            )
            if token in ua
        ),
        "Browser",
    )
    system = next(
        (
            name
            for token, name in (
                ("android", "Android"),
                ("iphone", "iPhone"),
                ("ipad", "iPad"),
                ("windows", "Windows"),
                ("mac os", "macOS"),
                ("linux", "Linux"),
            )
            if token in ua
        ),
        "",
    )
    return f"{browser} · {system}" if system else browser


def _cross_origin(request: Request[Any, Any, Any], services: Services) -> bool:
    origin = request.headers.get("origin")
    if origin is not None:
        return origin != services.settings.web.origin
    return request.headers.get("sec-fetch-site") == "cross-site"


@post("/push/subscriptions", include_in_schema=False, request_max_body_size=MAX_BODY)
async def push_subscriptions(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[None]:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise NotJson("Send the subscription as application/json.")
    if _cross_origin(request, services):
        raise Forbidden("Cross-origin requests are refused.", code="cross_origin")
    endpoint, p256dh, auth, old_endpoint, old_auth, label = parse(await request.body())
    policy = services.notifications.push_policy
    headers = {"Cache-Control": "no-store"}
    if old_endpoint is not None and old_endpoint != endpoint:
        replaced = await replace_endpoint(
            old_endpoint,
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            old_auth=old_auth,
            person=viewer.person.id if viewer is not None else None,
            policy=policy,
        )
        if replaced is not None:
            return Response(None, status_code=201, headers=headers)
        if viewer is None:
            raise NotFound("That subscription is not known here.", code="unknown_subscription")
    if viewer is None:
        raise Unauthenticated("Log in to receive notifications on this device.")
    before = await stored_as(endpoint)
    if before == (viewer.person.id, p256dh.strip(), auth.strip()):
        return Response(None, status_code=204, headers=headers)
    await add_subscription(
        viewer.person.id,
        endpoint=endpoint,
        p256dh=p256dh,
        auth=auth,
        device_label=label or device_label(request.headers.get("user-agent", "")),
        policy=policy,
    )
    return Response(None, status_code=201, headers=headers)
