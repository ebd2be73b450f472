"""The catalogue part of the OpenAPI at /schema says what the server does: schemathesis drives
every catalogue operation of the live app (examples, boundaries, fuzzing, invalid data) with a
publisher's token and finds no server error and no undocumented answer."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import httpx

from backend.services import Services
from tests.contract import check_contract
from tests.integration.catalogue.conftest import API, Publisher, new_service

MAX_EXAMPLES = 25


def catalogue_part(spec: dict[str, Any], live: dict[str, Any]) -> dict[str, Any]:
    """Only the catalogue's operations, with `live` values as examples."""
    spec = copy.deepcopy(spec)
    spec["paths"] = {p: ops for p, ops in spec["paths"].items() if p.startswith(API)}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in live:
                    parameter["example"] = live[parameter["name"]]
            if (method, path) == ("post", f"{API}/services/{{service_id}}/drafts"):
                operation["requestBody"]["content"]["application/json"]["example"] = live["body"]
    return spec


async def test_every_catalogue_operation_answers_as_documented(
    pmlp: Publisher, loaded: Services, http: httpx.AsyncClient, base_url: str
) -> None:
    spec = (await http.get("/schema/openapi.json")).raise_for_status().json()
    body = new_service("pmlp")
    # A published version 1 (for the public reads and history) and a draft version 2 (for the
    # publish operation's example).
    assert (await pmlp.draft(body)).status_code == 201
    assert (await pmlp.publish(body["id"], 1)).status_code == 200
    assert (await pmlp.draft(body)).status_code == 201
    live = {"service_id": body["id"], "version": 2, "q": "pase", "body": body}
    run = await asyncio.to_thread(
        check_contract,
        catalogue_part(spec, live),
        base_url,
        pmlp.auth,
        max_examples=MAX_EXAMPLES,
    )
    assert not run.problems, "\n\n".join(run.problems)
    operations = {
        f"{m.upper()} {path}" for path, ops in spec["paths"].items() if path.startswith(API)
        for m in ops
    }  # fmt: skip
    succeeded = {label for label, answers in run.statuses.items() if any(s < 300 for s in answers)}
    assert succeeded == operations, {label: run.statuses.get(label) for label in operations}
