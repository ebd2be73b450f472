"""HTTP routes of the notification centre (GraphQL comes with the PWA pages):

- `GET /push/vapid-public-key` → `{"publicKey": "<base64url>"}`: the PWA's
  `applicationServerKey` (public, cacheable);
- `GET /notifications/stream`: server-sent events for the logged-in person's open pages;
- `POST /push/subscriptions`: a browser stores or renews its push subscription (subscribe.py);
- `GET|POST /notifications/unsubscribe/{token}`: one-click unsubscribe (RFC 8058).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import msgspec
from litestar import get, post
from litestar.channels import ChannelsPlugin
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import ServerSentEvent, ServerSentEventMessage, Template

from backend.auth.viewer import Viewer
from backend.lib.errors import AppError, Unauthenticated
from backend.lib.problems import problems
from backend.lib.time import utcnow
from backend.notifications.channels import inapp
from backend.notifications.model import Channel
from backend.notifications.preferences.choices import set_preference
from backend.notifications.preferences.unsubscribe import read_token
from backend.notifications.render.senders import with_senders
from backend.notifications.runtime import live_channel
from backend.notifications.subscribe import push_subscriptions
from backend.settings import SettingsError

if TYPE_CHECKING:
    from backend.services import Services

HEARTBEAT_S = 20.0
"""A comment line this often keeps proxies from closing an idle stream, and re-checks the
session: a stream ends when its session does."""
POLL_S_MEMORY = 3.0
"""Without Redis, a worker process cannot publish to this web process: look in the table."""
POLL_S_REDIS = 60.0
"""With Redis, live updates arrive by pub/sub; an occasional look catches a lost nudge."""


class PushNotConfigured(AppError):
    status_code = 503
    code = "push_not_configured"


class VapidPublicKey(msgspec.Struct, rename="camel"):
    public_key: str
    """base64url of the uncompressed P-256 point: `applicationServerKey`."""


@get(
    "/push/vapid-public-key",
    summary="The VAPID public key for PushManager.subscribe()",
    tags=["Web Push"],
    cache_control=CacheControlHeader(public=True, max_age=3600),
    responses=problems([(503, PushNotConfigured.code, "This server has no VAPID key configured.")]),
)
async def vapid_public_key(services: NamedDependency[Services]) -> VapidPublicKey:
    """The VAPID public key the PWA passes to `PushManager.subscribe()`."""
    try:
        return VapidPublicKey(services.notifications.vapid_public_key)
    except SettingsError:
        raise PushNotConfigured("Web Push is not configured on this server.") from None


def _event(item: inapp.InAppItem) -> ServerSentEventMessage:
    data = {
        "id": str(item.id),
        "title": item.title,
        "body": item.body,
        "link": item.link,
        "category": item.category,
        "created_at": item.created_at.isoformat(),
    }
    return ServerSentEventMessage(data=json.dumps(data), event="notification", id=str(item.id))


async def _events(
    viewer: Viewer, services: Services, channels: ChannelsPlugin
) -> AsyncGenerator[ServerSentEventMessage | str, None]:
    person, level = viewer.person.id, viewer.level
    public_url = services.settings.web.public_url
    seen: set[uuid.UUID] = set()
    since: datetime = utcnow()
    poll_s = POLL_S_REDIS if services.settings.store.redis_url else POLL_S_MEMORY
    nudges: asyncio.Queue[bytes] = asyncio.Queue(maxsize=100)
    async with channels.start_subscription([live_channel(person)]) as subscriber:
        # "ready" only once subscribed: a page (or test) that waits for it misses no nudge.
        yield ServerSentEventMessage(
            data=json.dumps({"unread": await inapp.unread_count(person)}), event="ready"
        )

        async def pump() -> None:
            async for raw in subscriber.iter_events():
                with contextlib.suppress(asyncio.QueueFull):
                    nudges.put_nowait(raw)

        pumping = asyncio.create_task(pump())
        loop = asyncio.get_running_loop()
        last_poll = last_beat = loop.time()
        try:
            while True:
                wait = max(0.05, min(last_poll + poll_s, last_beat + HEARTBEAT_S) - loop.time())
                ids: list[uuid.UUID] = []
                try:
                    raw = await asyncio.wait_for(nudges.get(), timeout=wait)
                    with contextlib.suppress(ValueError, KeyError, TypeError):
                        ids.append(uuid.UUID(json.loads(raw)["id"]))
                except TimeoutError:
                    pass
                items = await inapp.list_items(person, public_url, ids=ids) if ids else []
                if loop.time() - last_poll >= poll_s:
                    last_poll = loop.time()
                    newer = await inapp.list_items(person, public_url, limit=20)
                    items += [item for item in newer if item.created_at >= since]
                if items:
                    items = await with_senders(
                        services.eaddress.access, services.settings.auth, person, level, items
                    )
                for item in sorted(items, key=lambda i: i.created_at):
                    if item.id not in seen:
                        seen.add(item.id)
                        yield _event(item)
                if loop.time() - last_beat >= HEARTBEAT_S:
                    last_beat = loop.time()
                    if await services.auth.sessions.load(viewer.session_id) is None:
                        yield ServerSentEventMessage(data="{}", event="logged_out")
                        return
                    yield ServerSentEventMessage(comment="keep-alive")
        finally:
            pumping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pumping


@get("/notifications/stream", include_in_schema=False)
async def stream(
    viewer: NamedDependency[Viewer | None],
    services: NamedDependency[Services],
    channels: NamedDependency[ChannelsPlugin],
) -> ServerSentEvent:
    """Live in-app notifications for the logged-in person (session cookie)."""
    if viewer is None:
        raise Unauthenticated("Log in to receive live notifications.")
    return ServerSentEvent(
        _events(viewer, services, channels),
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@get("/notifications/unsubscribe/{token:str}", include_in_schema=False)
async def unsubscribe_page(token: FromPath[str], services: NamedDependency[Services]) -> Template:
    request = read_token(services.settings.web.secret_key, token)
    return Template(
        "pages/notifications/unsubscribe.html",
        context={"token": token, "category": request.category.value, "done": False},
    )


@post("/notifications/unsubscribe/{token:str}", include_in_schema=False, status_code=200)
async def unsubscribe(token: FromPath[str], services: NamedDependency[Services]) -> Template:
    """One click from the mail client (RFC 8058) or the confirmation form: e-mail for that
    category and subject goes off. Legal notices never have such a link."""
    wanted = read_token(services.settings.web.secret_key, token)
    await set_preference(
        wanted.person_id, wanted.subject_key, wanted.category.value, Channel.EMAIL.value, False
    )
    return Template(
        "pages/notifications/unsubscribe.html",
        context={"token": token, "category": wanted.category.value, "done": True},
    )


ROUTES: list[Any] = [vapid_public_key, stream, unsubscribe_page, unsubscribe, push_subscriptions]
