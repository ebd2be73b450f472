"""Loading sources for one request: concurrently, each at most once, each within its budget.

`SourceLoader.load(subject, source, actor)` reads a source through the product's registry read
policy (`backend/lib/registry_read.py`: fresh cache, the source's budget counted from the start
of the request, the registry's circuit breaker, the last known answer): a failure or an
exhausted budget serves the last known answer (stale, with its as-of time) or nothing
(unavailable) — it never raises. Every registry read is written to the data-access log, and a
fresh answer about a person is compared with what was seen before (changes, events).

One loader lives per request (GraphQL keeps it in `Context.per_request`); its memo holds the
task of each (source, subject), so every resolver asking for the same source awaits the same
call, already in flight or finished.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from backend.dashboard import access_log, changes, consent
from backend.dashboard.cache import STORE_NAME, SourceCache
from backend.dashboard.explain import explain
from backend.dashboard.facts import SourceStatus
from backend.dashboard.sources import SourceSpec, sources_for
from backend.dashboard.subjects import Actor, Subject
from backend.lib.registry_read import Known, Read, read_through, request_started
from backend.lib.time import riga_today
from integrations.registries.errors import RegistryError

if TYPE_CHECKING:
    from backend.dashboard.facade import Dashboard

log = logging.getLogger("vienuviet.dashboard")

STABLE = (SourceStatus.WITHHELD, SourceStatus.NOT_APPLICABLE)
"""States only a consent decision or the person's own record change (not time, not a registry)."""


@dataclass(frozen=True)
class SourceResult:
    source: str
    status: SourceStatus
    parts: Mapping[str, Any] = field(default_factory=dict)
    """Each part's value (a model, a list, or None); empty when nothing is known."""
    as_of: datetime | None = None
    reason: str | None = None

    @property
    def explanation(self) -> str | None:
        return explain(self.source, self.status, self.reason)

    def part(self, name: str) -> Any:
        return self.parts.get(name)


async def fetch_parts(
    spec: SourceSpec, dashboard: Dashboard, key: str, today: date
) -> dict[str, Any]:
    """Ask the registry for every part of `spec` concurrently; the first failure cancels the
    rest and is raised as the source's `RegistryError`. (Cancelling a part never cancels its
    registry's half-open trial: `SourceHttp` runs that in a task of its own.)"""
    clients = dashboard.registries
    try:
        async with asyncio.TaskGroup() as group:
            tasks: dict[str, asyncio.Task[Any]] = {
                part.name: group.create_task(part.fetch(clients, key, today)) for part in spec.parts
            }
    except ExceptionGroup as failed:
        first = next((e for e in failed.exceptions if isinstance(e, RegistryError)), None)
        if first is None:
            raise
        raise first from None
    return {name: task.result() for name, task in tasks.items()}


class SourceLoader:
    def __init__(self, dashboard: Dashboard, *, force: bool = False, today: date | None = None):
        self.dashboard = dashboard
        self.force = force
        """Ask the registries even when the cache is fresh (the refresh mutation)."""
        self.clock = dashboard.clock
        self.today = today or riga_today(self.clock())
        self.cache = SourceCache(dashboard.stores.store(STORE_NAME), dashboard.settings)
        self.versions = dashboard.versions
        # Budgets count from the start of the request (of the loader, in a job), so one hung
        # source delays the page by at most its budget, whatever ran before it was asked for.
        self.started = request_started()
        self._tasks: dict[str, asyncio.Task[SourceResult]] = {}
        self._consents: dict[uuid.UUID, asyncio.Task[dict[str, consent.ConsentState]]] = {}

    async def load(self, subject: Subject, source: str, actor: Actor) -> SourceResult:
        memo = f"{source}|{subject.key}"
        task = self._tasks.get(memo)
        if task is None:
            task = asyncio.ensure_future(
                self._load(subject, sources_for(subject.kind)[source], actor)
            )
            self._tasks[memo] = task
        # Shielded: one resolver giving up must not cancel the call others are waiting for.
        return await asyncio.shield(task)

    async def load_all(self, subject: Subject, actor: Actor) -> dict[str, SourceResult]:
        names = list(sources_for(subject.kind))
        results = await asyncio.gather(*(self.load(subject, name, actor) for name in names))
        return dict(zip(names, results, strict=True))

    def fresh_until(self) -> datetime | None:
        """Until when every answer this loader gave would be given again unchanged: the end of
        freshness of the first of its ok answers to expire (far future with none). None when
        an answer came from a failing registry (stale or unavailable: the next request asks
        again), when any is still in flight, or when the loader was forced."""
        if self.force:
            return None
        until = datetime.max.replace(tzinfo=UTC)
        for task in self._tasks.values():
            if not task.done() or task.cancelled():
                return None
            result = task.result()
            if result.status in STABLE:
                continue
            if result.status is not SourceStatus.OK or result.as_of is None:
                return None
            policy = self.dashboard.settings.policy(result.source)
            until = min(until, result.as_of + timedelta(seconds=policy.ttl_s))
        return until

    async def consents(self, person_id: uuid.UUID) -> dict[str, consent.ConsentState]:
        task = self._consents.get(person_id)
        if task is None:
            task = asyncio.ensure_future(consent.current(person_id))
            self._consents[person_id] = task
        return await asyncio.shield(task)

    async def _load(self, subject: Subject, spec: SourceSpec, actor: Actor) -> SourceResult:
        try:
            return await self._answer(subject, spec, actor)
        except Exception as exc:  # a bug here must cost one source, never the dashboard
            log.error("dashboard source %s failed unexpectedly: %s", spec.name, type(exc).__name__)
            return SourceResult(spec.name, SourceStatus.UNAVAILABLE, reason="error")

    async def _answer(self, subject: Subject, spec: SourceSpec, actor: Actor) -> SourceResult:
        if subject.registry_key is None:
            return SourceResult(spec.name, SourceStatus.NOT_APPLICABLE, reason="no_personal_code")
        if not await self._consented(subject, spec.name):
            return SourceResult(spec.name, SourceStatus.WITHHELD, reason="consent_withdrawn")
        cached = await self.cache.get(spec, subject.key)
        policy = self.dashboard.settings.policy(spec.name)
        key = subject.registry_key
        read = await read_through(
            lambda: fetch_parts(spec, self.dashboard, key, self.today),
            None if cached is None else Known(cached.parts, cached.fetched_at),
            ttl_s=policy.ttl_s,
            budget_s=policy.budget_s,
            started=self.started,
            force=self.force,
            clock=self.clock,
        )
        if read.known is None or read.status != "ok":
            return await self._failed(subject, spec, actor, read)
        parts, fetched_at = read.known.value, read.known.fetched_at
        if not read.fetched:
            return SourceResult(spec.name, SourceStatus.OK, parts, fetched_at)
        # The answer is good whatever happens to the bookkeeping, which runs side by side.
        await asyncio.gather(
            self._keep(self.cache.put(spec, subject.key, parts, fetched_at), "cache"),
            self._keep(access_log.record(subject.key, spec.name, actor, "ok"), "access log"),
            self._observe(subject.person_id, spec.name, parts),
        )
        # Last, once everything above is written: answers kept from before are void now.
        await self._keep(self.versions.bump(subject.key), "version")
        return SourceResult(spec.name, SourceStatus.OK, parts, fetched_at)

    async def _keep(self, work: Awaitable[None], what: str) -> None:
        try:
            await work
        except Exception as exc:
            log.error("dashboard %s write failed: %s", what, type(exc).__name__)

    async def _consented(self, subject: Subject, source: str) -> bool:
        if subject.person_id is None:
            return True  # companies' register data is public; consent is a person's
        return (await self.consents(subject.person_id))[source].granted

    async def _failed(
        self, subject: Subject, spec: SourceSpec, actor: Actor, read: Read[dict[str, Any]]
    ) -> SourceResult:
        reason = read.reason or "error"
        if read.asked:  # an open circuit sends nothing: no read took place
            await access_log.record(subject.key, spec.name, actor, reason)
        if read.known is None:
            return SourceResult(spec.name, SourceStatus.UNAVAILABLE, reason=reason)
        known = read.known
        return SourceResult(spec.name, SourceStatus.STALE, known.value, known.fetched_at, reason)

    async def _observe(
        self, person_id: uuid.UUID | None, source: str, parts: dict[str, Any]
    ) -> None:
        if person_id is None:
            return  # changes are tracked for people
        try:
            await changes.observe(self.dashboard.engine, person_id, source, parts)
        except Exception as exc:  # the answer is still good to show; the change waits
            log.error("dashboard change detection failed: %s %s", source, type(exc).__name__)
