"""Which API client publishes for which catalogue institution (`vienuviet catalogue link`)."""

from __future__ import annotations

import uuid

from backend.catalogue.files import load_content
from backend.catalogue.tables import CataloguePublisher, CatalogueRecord
from backend.eaddress.institution_api.institutions import institution_id_for_client
from backend.lib.errors import BadInput, NotFound
from backend.lib.time import utcnow


async def _institution_exists(institution_id: str) -> bool:
    in_db = (
        await CatalogueRecord.exists()
        .where(
            (CatalogueRecord.kind == "institutions") & (CatalogueRecord.entry_id == institution_id)
        )
        .run()
    )
    return bool(in_db) or institution_id in load_content().institutions


async def link_publisher(client_id: str, institution_id: str) -> str:
    """Let the client publish `institution_id`'s services (replacing an earlier link)."""
    client_pk = await institution_id_for_client(client_id)
    if client_pk is None:
        raise NotFound("No API client has this client id.", code="client_not_found")
    if not await _institution_exists(institution_id):
        raise BadInput(f"The catalogue has no institution {institution_id!r}.")
    updated = (
        await CataloguePublisher.update({CataloguePublisher.institution: institution_id})
        .where(CataloguePublisher.client == client_pk)
        .returning(CataloguePublisher.id)
        .run()
    )
    if not updated:
        await CataloguePublisher.insert(
            CataloguePublisher(
                id=uuid.uuid4(), client=client_pk, institution=institution_id,
                linked_at=utcnow(),
            )
        ).run()  # fmt: skip
    return institution_id


async def institution_of(client: uuid.UUID) -> str | None:
    """The catalogue institution this client publishes for, or None."""
    row = (
        await CataloguePublisher.select(CataloguePublisher.institution)
        .where(CataloguePublisher.client == client)
        .first()
        .run()
    )
    return None if row is None else str(row["institution"])
