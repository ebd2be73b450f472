"""Institutions publishing their own services: validate, save a draft version, publish it.

Who may write what: a client with the scope `catalogue:write`, linked to one catalogue
institution (`vienuviet catalogue link`), creates and changes only services whose
responsible institution is that one — both the service as stored and the service as sent
must name it (403 otherwise, so a service cannot be taken over nor given away). Every change
is a new version; nothing is public until a version is published.

Requests that write carry an `Idempotency-Key` as the e-address send does: the first answer
is stored in the same transaction as the version it reports and replayed for a retry with
the same body; the same key with another body is 422.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from backend.catalogue import store
from backend.catalogue.files import Catalogue
from backend.catalogue.model import Service
from backend.catalogue.tables import CatalogueIdempotency
from backend.lib.db import is_unique_violation, transaction
from backend.lib.errors import Conflict, Forbidden, UniqueViolation, Unprocessable

KIND = "services"
_PATH = re.compile(r" - at `(\$[^`]*)`$")


class InvalidEntry(Unprocessable):
    """The entry breaks the content model; `errors` names each field by its JSON path."""

    code = "invalid_entry"

    def __init__(self, message: str, errors: list[dict[str, str]]) -> None:
        super().__init__(message)
        self.errors = errors


def field_error(path: str, message: str) -> InvalidEntry:
    return InvalidEntry(f"{path}: {message}", [{"path": path, "message": message}])


def decode_service(data: Any) -> Service:
    """The service the JSON describes, or InvalidEntry naming the first bad field."""
    if not isinstance(data, dict):
        raise field_error("$", "The body must be a JSON object (a service).")
    try:
        return msgspec.convert(data, Service)
    except msgspec.ValidationError as exc:
        text = str(exc)
        found = _PATH.search(text)
        path = found.group(1) if found else "$"
        message = _PATH.sub("", text)
        raise field_error(path, message) from None


def check_references(service: Service, service_id: str, published: Catalogue) -> None:
    """Everything the service names must exist and its slug must be its own: 422 with paths."""
    errors: list[dict[str, str]] = []
    if service.id != service_id:
        errors.append({"path": "$.id", "message": f"Must be {service_id!r}, the id in the URL."})
    errors += [
        {"path": f"$.related[{n}]", "message": f"No published service {ref!r}."}
        for n, ref in enumerate(service.related)
        if ref not in published.services
    ]
    errors += [
        {"path": f"$.life_situations[{n}]", "message": f"No published life situation {ref!r}."}
        for n, ref in enumerate(service.life_situations)
        if ref not in published.life_situations
    ]
    if any(s.slug == service.slug and s.id != service.id for s in published.services.values()):
        errors.append({"path": "$.slug", "message": "Another service has this slug."})
    if errors:
        raise InvalidEntry("; ".join(f"{e['path']}: {e['message']}" for e in errors), errors)


async def check_owner(institution: str, service_id: str, claimed: str | None = None) -> None:
    """403 unless the stored service (if any) and the sent one (if any) are `institution`'s."""
    owner = await store.current_owner(KIND, service_id)
    if owner is not None and owner != institution:
        raise Forbidden("This service belongs to another institution.", code="not_your_service")
    if claimed is not None and claimed != institution:
        raise Forbidden("`institution` must be your own institution's id.", code="not_your_service")


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(f"{method} {path}\n".encode() + body).hexdigest()


async def _stored(client: uuid.UUID, key: str, sha: str) -> Answer | None:
    row = (
        await CatalogueIdempotency.select(
            CatalogueIdempotency.request_sha256,
            CatalogueIdempotency.status_code,
            CatalogueIdempotency.response,
        )
        .where((CatalogueIdempotency.client == client) & (CatalogueIdempotency.key == key))
        .first()
        .run()
    )
    if row is None:
        return None
    if row["request_sha256"] != sha:
        raise Unprocessable(
            "This Idempotency-Key was used for a different request.",
            code="idempotency_key_reused",
        )
    response = row["response"]
    body = json.loads(response) if isinstance(response, str | bytes) else response
    return Answer(row["status_code"], body, replayed=True)


async def once(
    engine: Any,
    client: uuid.UUID,
    key: str,
    sha: str,
    work: Callable[[], Awaitable[Answer]],
    *,
    now: datetime,
) -> Answer:
    """Run `work` and keep its answer under `key`, in one transaction; a repeat replays it."""
    if (earlier := await _stored(client, key, sha)) is not None:
        return earlier
    try:
        async with transaction(engine):
            answer = await work()
            await CatalogueIdempotency.insert(
                CatalogueIdempotency(
                    id=uuid.uuid4(), client=client, key=key, request_sha256=sha,
                    status_code=answer.status_code,
                    response=json.dumps(answer.body, separators=(",", ":")), created_at=now,
                )
            ).run()  # fmt: skip
    except Exception as exc:
        # Racing a request with the same key, this one collides either on the key or (on
        # PostgreSQL, where both saw the same newest version) on the version number.
        if not (is_unique_violation(exc) or isinstance(exc, UniqueViolation)):
            raise
        # A request with the same key committed first: answer as it did.
        if (earlier := await _stored(client, key, sha)) is not None:
            return earlier
        if isinstance(exc, UniqueViolation):
            raise
        raise Conflict(
            "Another request with this Idempotency-Key is in progress.",
            code="idempotency_key_in_use",
        ) from exc
    return answer
