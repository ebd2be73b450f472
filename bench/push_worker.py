"""An extra delivery process for `bench push --processes N`: the production scale-out (any
number of `vienuviet worker` processes) reduced to the delivery loops. Prints "ready" once
listening, delivers until SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from backend.notifications.engine.delivery import deliver_batch, worker_id
from backend.services import Services
from backend.settings import load_settings
from backend.worker import tune_gc
from bench.push_setup import loopback_settings


async def run(loops: int) -> None:
    settings = loopback_settings(load_settings())
    services = Services.build(settings)
    await services.start()
    rt = services.notifications
    if len(sys.argv) > 2:  # the receiver's certificate: trust it (see bench/push_tls.py)
        from backend.notifications.channels.webpush import PushSender
        from bench.push_tls import client_context

        rt._push = PushSender(
            settings.push,
            rt.vapid,
            policy=rt.push_policy,
            ssl_context=client_context(Path(sys.argv[2])),
        )
    tune_gc()  # as `vienuviet worker` does
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await rt.wakeup.wait(0.01)  # LISTEN before saying ready
    print("ready", flush=True)

    async def deliver(n: int) -> None:
        worker = worker_id(200 + n)
        while not stop.is_set():
            if await deliver_batch(rt, worker) == 0:
                await rt.wakeup.wait(settings.notifications.poll_interval_s)

    try:
        await asyncio.gather(*(deliver(n) for n in range(loops)))
    finally:
        await services.close()


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1])))
