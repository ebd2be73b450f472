"""The notification centre's long-lived parts in one process: channel senders and the channels
built on them, the VAPID key, the live-update backend. Built without I/O by `Services.build`;
senders open their pools on first use inside the running event loop and `close()` releases
them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from litestar.channels.backends.base import ChannelsBackend
from py_vapid import Vapid02

from backend.lib.store import Counters
from backend.notifications.channels.base import Channel
from backend.notifications.channels.email import EmailChannel
from backend.notifications.channels.inapp import InAppChannel
from backend.notifications.channels.push import PushChannel
from backend.notifications.channels.pushpolicy import PushPolicy, Resolve, system_resolve
from backend.notifications.channels.sms import SmsChannel
from backend.notifications.channels.sms_gateway import SmsSender
from backend.notifications.channels.smtp import EmailSender
from backend.notifications.channels.vapid import load_vapid, public_key
from backend.notifications.channels.webpush import PushSender
from backend.notifications.engine.wakeup import Wakeup
from backend.settings import Settings

log = logging.getLogger("vienuviet.notifications")


def live_channel(person_id: object) -> str:
    """The Litestar channel an open page of this person listens on."""
    return f"notifications:{person_id}"


@dataclass
class NotificationRuntime:
    settings: Settings
    counters: Counters
    channels_backend: ChannelsBackend
    email: EmailSender
    sms: SmsSender
    wakeup: Wakeup
    push_policy: PushPolicy
    """Where subscriptions may point and pushes go (PUSH_ALLOWED_ORIGINS, the resolver)."""
    _push: PushSender | None = field(default=None, repr=False)
    _vapid: Vapid02 | None = field(default=None, repr=False)
    _channels: Mapping[str, Channel] | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls,
        settings: Settings,
        counters: Counters,
        channels_backend: ChannelsBackend,
        *,
        resolve: Resolve = system_resolve,
    ) -> NotificationRuntime:
        return cls(
            settings=settings,
            counters=counters,
            channels_backend=channels_backend,
            email=EmailSender(settings.email),
            sms=SmsSender(settings.sms),
            wakeup=Wakeup(settings.database),
            push_policy=PushPolicy(settings.push.allowed_origins, resolve),
        )

    @property
    def vapid(self) -> Vapid02:
        """The VAPID key, loaded on first use. Created under VAR_DIR only in development:
        in production every web and worker process, on every host, must sign with the same
        key (VAPID_PRIVATE_KEY, or a key file `vienuviet vapid` made on shared storage), so a
        missing key is an error (SettingsError), never a silently divergent new one."""
        if self._vapid is None:
            self._vapid = load_vapid(self.settings, create=self.settings.web.debug)
        return self._vapid

    @property
    def vapid_public_key(self) -> str:
        return public_key(self.vapid)

    @property
    def push(self) -> PushSender:
        if self._push is None:
            self._push = PushSender(self.settings.push, self.vapid, policy=self.push_policy)
        return self._push

    @property
    def channels(self) -> Mapping[str, Channel]:
        """The channel for each outbox row's `channel`: what the dispatcher sends through."""
        if self._channels is None:
            channels: tuple[Channel, ...] = (
                PushChannel(lambda: self.push, self.settings.push, self.public_url),
                EmailChannel(self.email, self.settings, self.public_url),
                SmsChannel(self.sms, self.public_url),
                InAppChannel(),
            )
            self._channels = {channel.name: channel for channel in channels}
        return self._channels

    @property
    def public_url(self) -> str:
        return self.settings.web.public_url

    async def publish_live(self, person_id: object, event: dict[str, Any]) -> None:
        """Tell the person's open pages. Best effort: the list is the truth, this is a nudge.

        With the in-process backend a worker process has no subscribers (and no started
        backend); the page's stream then finds new items by itself (see routes.stream)."""
        data = json.dumps(event, separators=(",", ":")).encode()
        try:
            await self.channels_backend.publish(data, [live_channel(person_id)])
        except RuntimeError:
            pass  # in-process backend not started in this process: nobody here listens
        except Exception as exc:  # Redis hiccup: the stream's resync covers it
            log.warning("live update not published: %s", type(exc).__name__)

    async def close(self) -> None:
        if self._push is not None:
            await self._push.close()
        await self.sms.close()
        await self.wakeup.close()
