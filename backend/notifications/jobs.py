"""The notification centre's background jobs, run by `vienuviet worker`:

- `notifications-deliver-N` (NOTIFY_DELIVERY_LOOPS of them): claim a batch, send, record;
- `notifications-sweep`: re-queue rows whose lease expired (a crashed or hung worker), or end
  them when their give-up time has passed too;
- `notifications-events`: domain events → notices;
- `notifications-bulk`: institutions' bulk sends, a batch at a time (institutions/bulk.py).
Any number of worker processes may run them at once (claims skip locked rows).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from backend.lib.jobs import Job
from backend.notifications.engine import delivery
from backend.notifications.engine.consumer import consume
from backend.notifications.engine.delivery import deliver_batch, worker_id
from backend.notifications.engine.recipients import IdentityRecipients
from backend.notifications.institutions import bulk
from backend.settings import Settings

if TYPE_CHECKING:
    from backend.services import Services


def _deliver(loop: int) -> Callable[[Services], Awaitable[int]]:
    worker = worker_id(loop)

    async def run(services: Services) -> int:
        rt = services.notifications
        handled = await deliver_batch(rt, worker)
        if handled == 0:  # idle: until a notice is committed (PostgreSQL) or the next poll
            await rt.wakeup.wait(rt.settings.notifications.poll_interval_s)
        return handled

    return run


async def sweep(services: Services) -> int:
    return await delivery.sweep()


async def consume_events(services: Services) -> int:
    settings = services.settings
    return await consume(
        IdentityRecipients(),
        settings.notifications,
        handlers=services.events,
        events=settings.events,
    )


async def bulk_sends(services: Services) -> int:
    return await bulk.work(services.stores.counters, services.settings.notifications)


def jobs(settings: Settings) -> list[Job[Services]]:
    cfg = settings.notifications
    found = [
        # The job waits for work itself (wakeup.py), so the worker need not sleep after it.
        Job(f"notifications-deliver-{n}", _deliver(n), idle_interval_s=0.0)
        for n in range(cfg.delivery_loops)
    ]
    found.append(Job("notifications-sweep", sweep, idle_interval_s=max(1.0, cfg.lease_s / 4)))
    found.append(Job("notifications-events", consume_events, idle_interval_s=cfg.poll_interval_s))
    found.append(
        Job("notifications-bulk", bulk_sends, idle_interval_s=max(1.0, cfg.poll_interval_s))
    )
    return found
