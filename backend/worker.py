"""`vienuviet worker`: runs every feature's background jobs until told to stop.

A job is a coroutine that does one batch of work and reports how many items it handled. The
worker calls it again at once while it finds work and sleeps for the job's idle interval when
it does not. Jobs must be idempotent and safe to run in several workers at once (claims use
`FOR UPDATE SKIP LOCKED` on PostgreSQL): the worker adds no locking of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Sequence

from backend.lib.backoff import backoff_delay_s
from backend.lib.jobs import Job
from backend.lib.startup import freeze_start_up_objects
from backend.services import Services

log = logging.getLogger("vienuviet.worker")

MAX_ERROR_BACKOFF_S = 60.0
GC_GEN0_THRESHOLD = 20_000


def tune_gc() -> None:
    """Call once the process has started (imports done, pools open).

    A delivery batch allocates tens of thousands of short-lived objects (rows, results,
    futures, buffers), so with CPython's default thresholds (700, 10, 10) the collector ran
    ~1,800 times during `bench push`. Start-up objects are frozen as the web app's are, and a
    larger first generation makes collections rarer (memory stays bounded: cycles are still
    collected).
    """
    freeze_start_up_objects()
    _, second, third = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, second, third)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def run_job_loop(services: Services, job: Job[Services], stop: asyncio.Event) -> None:
    failures = 0
    while not stop.is_set():
        try:
            handled = await job.run(services)
            failures = 0
        except Exception as exc:  # a failing job must not take the others down
            failures += 1
            delay = backoff_delay_s(failures, base_s=2.0, cap_s=MAX_ERROR_BACKOFF_S)
            log.error(
                "job %s failed with %s; retrying in %.1fs", job.name, type(exc).__name__, delay
            )
            await _sleep_or_stop(stop, delay)
            continue
        if handled == 0:
            await _sleep_or_stop(stop, job.idle_interval_s)


async def run_worker(
    services: Services, jobs: Sequence[Job[Services]], stop: asyncio.Event
) -> None:
    """Run every job concurrently until `stop` is set; then let running batches finish."""
    log.info("worker started with jobs: %s", ", ".join(job.name for job in jobs) or "none")
    async with asyncio.TaskGroup() as group:
        for job in jobs:
            group.create_task(run_job_loop(services, job, stop), name=f"job:{job.name}")
        group.create_task(stop.wait())
    log.info("worker stopped")
