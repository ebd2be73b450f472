"""The notification API's part of the OpenAPI at /schema says what the server does:
schemathesis drives every /api/notify/v1 operation of a live app (examples with real ids,
boundaries, invalid data, fuzzing, fixed seed) with an institution's token and finds no server
error, no undocumented answer and no invalid input accepted."""

from __future__ import annotations

import asyncio
import copy
import uuid
from pathlib import Path
from typing import Any

import httpx

from backend.notifications.tables import BulkItem, BulkJob, Topic
from backend.services import Services
from backend.settings import Settings
from tests.conftest import variant_app
from tests.contract import check_contract
from tests.integration.eaddress.conftest import make_person
from tests.integration.notifications.test_notify_api import (
    API,
    VALUES,
    make_client,
    template_body,
)

MAX_EXAMPLES = 20


def notify_part(spec: dict[str, Any], live: dict[str, Any]) -> dict[str, Any]:
    """Only the notification API's operations, with `live` values as examples."""
    spec = copy.deepcopy(spec)
    spec["paths"] = {p: ops for p, ops in spec["paths"].items() if p.startswith(API)}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in live:
                    parameter["example"] = live[parameter["name"]]
            body = live.get(f"{method} {path.removeprefix(API)}")
            if body is not None:
                operation["requestBody"]["content"]["application/json"]["example"] = body
    return spec


async def test_every_notify_operation_answers_as_documented(
    settings: Settings, services: Services, var_dir: Path
) -> None:
    # An app of its own (same database) with a budget for the fuzzing's hundreds of calls.
    async with (
        variant_app(settings, services, var_dir, NOTIFY_API_PER_MINUTE="100000") as (url, _),
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        spec = (await http.get("/schema/openapi.json")).raise_for_status().json()
        client = await make_client(http)
        template = template_body()
        assert (await client.template(template)).status_code == 201
        holder = await make_person(activate=False)
        recipient = {"type": "personal_code", "id": holder.personal_code}
        sent = await client.send({"id": template["id"], "version": 1}, recipient)
        assert sent.status_code == 202
        bulk_body = {
            "template_id": template["id"],
            "template_version": 1,
            "items": [{"recipient": recipient, "values": VALUES}],
        }
        headers = {**client.auth, "Idempotency-Key": str(uuid.uuid4())}
        job = await http.post(f"{API}/bulk", json=bulk_body, headers=headers)
        assert job.status_code == 202
        topic = {
            "id": f"roads-{uuid.uuid4().hex[:8]}",
            "category": "registry_changes",
            "names": {"lv": "Ceļu slēgšana", "en": "Road closures", "ru": "Перекрытия дорог"},
        }
        assert (await http.post(f"{API}/topics", json=topic, headers=client.auth)).is_success
        live = {
            "topic_id": topic["id"],
            "post /topics": topic,
            "post /topics/{topic_id}/notices": {
                "template_id": template["id"],
                "template_version": 1,
                "values": VALUES,
            },
            "template_id": template["id"],
            "notification_id": sent.json()["id"],
            "bulk_id": job.json()["id"],
            "post /bulk": bulk_body,
            "Idempotency-Key": str(uuid.uuid4()),
            "post /templates": template,
            "post /templates/{template_id}/preview": {"values": VALUES},
            "post /notifications": {
                "template_id": template["id"],
                "template_version": 1,
                "recipient": recipient,
                "values": VALUES,
            },
        }
        run = await asyncio.to_thread(
            check_contract, notify_part(spec, live), url, client.auth, max_examples=MAX_EXAMPLES
        )
    # The jobs the fuzzing made are not for the worker of other tests to send.
    mine = BulkJob.institution == client.institution.id
    job_ids = await BulkJob.select(BulkJob.id).where(mine).output(as_list=True).run()
    await BulkItem.delete().where(BulkItem.job.is_in(job_ids or [uuid.uuid4()])).run()
    await BulkJob.delete().where(mine).run()
    # …nor its fuzzed topics for everyone's settings page to list.
    await Topic.delete().where(Topic.institution == client.institution.id).run()
    assert not run.problems, "\n\n".join(run.problems)
    operations = {
        f"{m.upper()} {path}"
        for path, ops in spec["paths"].items()
        if path.startswith(API)
        for m in ops
    }
    assert len(operations) == 11
    succeeded = {label for label, answers in run.statuses.items() if any(s < 300 for s in answers)}
    assert succeeded == operations, {label: run.statuses.get(label) for label in operations}
