"""The applications part of the OpenAPI at /schema says what the server does: schemathesis
drives every operation of the institutions' applications API on the live app (examples,
boundaries, fuzzing, invalid data) with a linked institution's token and finds no server error
and no undocumented answer."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import httpx

from backend.services import Services
from tests.contract import check_contract
from tests.integration.applications.conftest import API, Client, declare
from tests.integration.eaddress.conftest import make_person

MAX_EXAMPLES = 25


def applications_part(spec: dict[str, Any], live: dict[str, Any]) -> dict[str, Any]:
    """Only the applications API's operations, with `live` values as examples."""
    spec = copy.deepcopy(spec)
    spec["paths"] = {p: ops for p, ops in spec["paths"].items() if p.startswith(API)}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in live:
                    parameter["example"] = live[parameter["name"]]
            if method == "post" and path.endswith("/transitions"):
                operation["requestBody"]["content"]["application/json"]["example"] = live["body"]
    return spec


async def test_every_applications_operation_answers_as_documented(
    pmlp: Client, published: Services, http: httpx.AsyncClient, base_url: str
) -> None:
    spec = (await http.get("/schema/openapi.json")).raise_for_status().json()
    holder = await make_person()
    record = await declare(f"person:{holder.person_id}", holder.person_id)
    live = {"application_id": str(record.id), "status": "submitted", "body": {"to": "received"}}
    run = await asyncio.to_thread(
        check_contract,
        applications_part(spec, live),
        base_url,
        pmlp.auth,
        max_examples=MAX_EXAMPLES,
    )
    assert not run.problems, "\n\n".join(run.problems)
    operations = {
        f"{m.upper()} {path}" for path, ops in spec["paths"].items() if path.startswith(API)
        for m in ops
    }  # fmt: skip
    assert len(operations) == 3
    succeeded = {label for label, answers in run.statuses.items() if any(s < 300 for s in answers)}
    assert succeeded == operations, {label: run.statuses.get(label) for label in operations}
