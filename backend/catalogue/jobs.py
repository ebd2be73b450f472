"""Catalogue jobs: forgetting publishers' Idempotency-Key answers once a retry is implausible."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from backend.catalogue.tables import CatalogueIdempotency
from backend.lib.jobs import Job
from backend.lib.time import utcnow

if TYPE_CHECKING:
    from backend.services import Services


async def purge_idempotency_keys(services: Services, *, batch: int = 1000) -> int:
    """Delete answers older than the e-address keeps its own (the same contract, one setting)."""
    hours = services.eaddress.settings.idempotency_ttl_hours
    cutoff = utcnow() - timedelta(hours=hours)
    ids = (
        await CatalogueIdempotency.select(CatalogueIdempotency.id)
        .where(CatalogueIdempotency.created_at < cutoff)
        .limit(batch)
        .output(as_list=True)
        .run()
    )
    if ids:
        await CatalogueIdempotency.delete().where(CatalogueIdempotency.id.is_in(ids)).run()
    return len(ids)


def jobs() -> list[Job[Services]]:
    return [Job("catalogue.purge_idempotency_keys", purge_idempotency_keys, idle_interval_s=3600)]
