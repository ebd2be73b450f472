"""Bulk sends: one template to up to MAX_RECIPIENTS recipients, as a worker job with progress.

The web process only checks the request and writes the job and its items; the worker
(`notifications-bulk`) works through them in batches. Each item is sent with its own
idempotency key (`bulk:<job>:<position>`) through the same path as a single notice, so a
worker that dies mid-batch and is replaced sends nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import timedelta
from typing import Any

from backend.eaddress.institution_api.idempotency import check_key
from backend.lib.db import is_unique_violation, transaction
from backend.lib.errors import AppError, NotFound, Unprocessable
from backend.lib.store import Counters
from backend.lib.time import as_utc, utcnow
from backend.notifications.institutions import sending, templates, topics
from backend.notifications.tables import BulkItem, BulkJob
from backend.settings import NotificationSettings

MAX_RECIPIENTS = 10_000
MAX_BODY = 8 * 1024 * 1024
"""10,000 recipients with a few values each fit in a few MB."""
BATCH = 200
LEASE_S = 120
INSERT_CHUNK = 500
REPORT_PAGE = 1000


class BulkNotFound(NotFound):
    code = "bulk_not_found"

    def __init__(self) -> None:
        super().__init__("No such bulk job of this institution.")


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _parse(body: Any) -> tuple[str, int, list[Any]]:
    if not isinstance(body, dict) or set(body) != {"template_id", "template_version", "items"}:
        raise Unprocessable(
            'The body is {"template_id", "template_version", "items": [{"recipient", '
            '"values"}, …]}.',
            code="invalid_bulk",
        )
    template_id, version, items = body["template_id"], body["template_version"], body["items"]
    if not isinstance(template_id, str) or not templates.TEMPLATE_ID.fullmatch(template_id):
        raise Unprocessable("`template_id` must be one of your templates.", code="invalid_bulk")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 10**6:
        raise Unprocessable("`template_version` must be a version number.", code="invalid_bulk")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_RECIPIENTS:
        raise Unprocessable(
            f"`items` must list 1-{MAX_RECIPIENTS} recipients.", code="invalid_bulk"
        )
    for item in items:
        if not isinstance(item, dict) or set(item) != {"recipient", "values"}:
            raise Unprocessable(
                'Each item is {"recipient": {"type", "id"}, "values": {…}}.', code="invalid_bulk"
            )
    return template_id, version, items


async def _job_row(institution_id: uuid.UUID, job_id: uuid.UUID) -> dict[str, Any]:
    row = await (
        BulkJob.select()
        .where((BulkJob.id == job_id) & (BulkJob.institution == institution_id))
        .first()
        .run()
    )
    if row is None:
        raise BulkNotFound()
    return dict(row)


async def create(institution_id: uuid.UUID, key: str | None, body: Any) -> sending.Answer:
    """Accept a bulk job (202) or replay the answer to this key; nothing is sent here."""
    key = check_key(key)
    fingerprint = _fingerprint(body)
    earlier = await _earlier(institution_id, key, fingerprint)
    if earlier is not None:
        return earlier
    template_id, version, items = _parse(body)
    await templates.load(institution_id, template_id, version)  # 404 before any write
    return await _write(
        institution_id, key, fingerprint, template_id=template_id, version=version, items=items
    )


def _fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


async def create_for_topic(
    institution_id: uuid.UUID, topic_id: str, key: str | None, body: Any
) -> sending.Answer:
    """A notice to a topic: a bulk job over its subscribers of this moment (202)."""
    key = check_key(key)
    fingerprint = _fingerprint({"topic": topic_id, "body": body})
    earlier = await _earlier(institution_id, key, fingerprint)
    if earlier is not None:
        return earlier
    if not isinstance(body, dict) or set(body) != {"template_id", "template_version", "values"}:
        raise Unprocessable('The body is {"template_id", "template_version", "values"}.',
                            code="invalid_bulk")  # fmt: skip
    template_id, version, _ = _parse(
        {
            "template_id": body["template_id"],
            "template_version": body["template_version"],
            "items": [{"recipient": None, "values": None}],  # checked per subscriber below
        }
    )
    template = await templates.load(institution_id, template_id, version)
    templates.checked_values(template, body["values"])  # every item shares them: check once
    topic, people = await topics.subscribers(institution_id, topic_id)
    items = [
        {"recipient": {"type": "subscriber", "id": person}, "values": body["values"],
         "topic": str(topic)}
        for person in people
    ]  # fmt: skip
    return await _write(
        institution_id, key, fingerprint, template_id=template_id, version=version, items=items
    )


async def _write(
    institution_id: uuid.UUID,
    key: str,
    fingerprint: str,
    *,
    template_id: str,
    version: int,
    items: list[Any],
) -> sending.Answer:
    job_id = uuid.uuid4()
    now = utcnow()
    try:
        async with transaction(BulkJob._meta.db):
            await BulkJob.insert(
                BulkJob(
                    id=job_id, institution=institution_id, idempotency_key=key,
                    request_sha256=fingerprint, template_id=template_id,
                    template_version=version, total=len(items), processed=0,
                    status="queued" if items else "done", created_at=now,
                    finished_at=None if items else now,
                )
            ).run()  # fmt: skip
            rows = [
                BulkItem(id=uuid.uuid4(), job=job_id, position=n,
                         request=json.dumps(item, ensure_ascii=False), status="pending")
                for n, item in enumerate(items)
            ]  # fmt: skip
            for start in range(0, len(rows), INSERT_CHUNK):
                await BulkItem.insert(*rows[start : start + INSERT_CHUNK]).run()
    except Exception as exc:
        if is_unique_violation(exc) and (
            earlier := await _earlier(institution_id, key, fingerprint)
        ):
            return earlier
        raise
    return sending.Answer(202, await progress(institution_id, job_id))


async def _earlier(institution_id: uuid.UUID, key: str, fingerprint: str) -> sending.Answer | None:
    row = await (
        BulkJob.select(BulkJob.id, BulkJob.request_sha256)
        .where((BulkJob.institution == institution_id) & (BulkJob.idempotency_key == key))
        .first()
        .run()
    )
    if row is None:
        return None
    if row["request_sha256"] != fingerprint:
        raise Unprocessable(
            "This Idempotency-Key was used for a different request.",
            code="idempotency_key_reused",
        )
    return sending.Answer(202, await progress(institution_id, _uuid(row["id"])), replayed=True)


async def progress(institution_id: uuid.UUID, job_id: uuid.UUID) -> dict[str, Any]:
    """How far a job is: counts per outcome so far."""
    job = await _job_row(institution_id, job_id)
    counts = {"queued": 0, "capped": 0, "no_recipient": 0, "unsubscribed": 0, "invalid": 0}
    for row in await BulkItem.raw(
        "SELECT status, COUNT(*) AS n FROM notify_bulk_item "
        "WHERE job = {} AND status <> 'pending' GROUP BY status",
        job_id,
    ).run():
        counts[row["status"]] = int(row["n"])
    return {
        "id": str(job["id"]),
        "template_id": job["template_id"],
        "template_version": int(job["template_version"]),
        "status": job["status"],
        "total": int(job["total"]),
        "processed": int(job["processed"]),
        "outcomes": counts,
        "created_at": as_utc(job["created_at"]).isoformat(),
        "finished_at": as_utc(job["finished_at"]).isoformat() if job["finished_at"] else None,
    }


async def report(
    institution_id: uuid.UUID, job_id: uuid.UUID, *, after: int = -1, limit: int = REPORT_PAGE
) -> dict[str, Any]:
    """The per-recipient outcomes in the order sent, a page at a time (`after` a position)."""
    await _job_row(institution_id, job_id)
    rows = await (
        BulkItem.select(BulkItem.position, BulkItem.status, BulkItem.notice_id, BulkItem.problem)
        .where((BulkItem.job == job_id) & (BulkItem.position > after))
        .order_by(BulkItem.position)
        .limit(limit + 1)
        .run()
    )
    items = [
        {
            "position": int(r["position"]),
            "status": r["status"],
            "notification_id": str(r["notice_id"]) if r["notice_id"] else None,
            "problem": r["problem"],
        }
        for r in rows[:limit]
    ]
    more = len(rows) > limit
    return {"items": items, "next_after": items[-1]["position"] if more else None}


async def _claim() -> dict[str, Any] | None:
    """One unfinished job whose lease is free, leased to this worker (a conditional update:
    of two workers only one gets it)."""
    now = utcnow()
    candidates = await (
        BulkJob.select(BulkJob.id)
        .where(
            (BulkJob.status != "done")
            & ((BulkJob.lease_until.is_null()) | (BulkJob.lease_until < now))
        )
        .order_by(BulkJob.created_at)
        .limit(5)
        .run()
    )
    for candidate in candidates:
        claimed = await (
            BulkJob.update(
                {BulkJob.lease_until: now + timedelta(seconds=LEASE_S), BulkJob.status: "running"}
            )
            .where(
                (BulkJob.id == candidate["id"])
                & ((BulkJob.lease_until.is_null()) | (BulkJob.lease_until < now))
            )
            .returning(
                BulkJob.id, BulkJob.institution, BulkJob.template_id, BulkJob.template_version
            )
            .run()
        )
        if claimed:
            return dict(claimed[0])
    return None


async def work(counters: Counters, settings: NotificationSettings) -> int:
    """One batch of one job; returns the items handled (0: nothing to do)."""
    job = await _claim()
    if job is None:
        return 0
    job_id, institution = _uuid(job["id"]), _uuid(job["institution"])
    items = await (
        BulkItem.select(BulkItem.id, BulkItem.position, BulkItem.request)
        .where((BulkItem.job == job_id) & (BulkItem.status == "pending"))
        .order_by(BulkItem.position)
        .limit(BATCH)
        .run()
    )
    for item in items:
        request = item["request"]
        if isinstance(request, str):
            request = json.loads(request)
        topic = request.pop("topic", None)
        body = {
            "template_id": job["template_id"],
            "template_version": int(job["template_version"]),
            **request,
        }
        update: dict[Any, Any]
        try:
            answer = await sending.send(
                institution, f"bulk:{job_id}:{item['position']}", body,
                counters=counters, settings=settings,
                topic=uuid.UUID(topic) if topic else None,
            )  # fmt: skip
            update = {BulkItem.status: answer.body["status"],
                      BulkItem.notice_id: uuid.UUID(answer.body["id"])}  # fmt: skip
        except AppError as exc:
            update = {
                BulkItem.status: "invalid",
                BulkItem.problem: f"{exc.code}: {exc.message}"[:300],
            }
        await BulkItem.update(update).where(BulkItem.id == item["id"]).run()
    pending = (
        await BulkItem.count()
        .where((BulkItem.job == job_id) & (BulkItem.status == "pending"))
        .run()
    )
    total = await BulkJob.select(BulkJob.total).where(BulkJob.id == job_id).first().run()
    done = pending == 0
    await (
        BulkJob.update(
            {
                BulkJob.processed: int(total["total"]) - pending if total else 0,
                BulkJob.status: "done" if done else "running",
                BulkJob.finished_at: utcnow() if done else None,
                BulkJob.lease_until: None,
            }
        )
        .where(BulkJob.id == job_id)
        .run()
    )
    return len(items)
