"""The OpenAPI at /schema says what the server does: schemathesis drives every operation of the
live app with an institution's token and finds no server error and no answer the document does
not describe (status, media type, headers, body), and no invalid request accepted."""

from __future__ import annotations

import asyncio
import copy
import uuid
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.eaddress.institution_api.institutions import NewInstitution
from backend.eaddress.institution_api.intake import StagedFile
from backend.eaddress.mailbox.access import OwnMailboxOnly
from backend.eaddress.mailbox.holder import reply
from backend.services import Services
from backend.settings import Settings
from tests.conftest import variant_app
from tests.contract import check_contract
from tests.integration.eaddress.conftest import (
    PDF,
    Api,
    fetch_token,
    make_institution,
    make_person,
    message_json,
)

# Enough for the coverage phase's boundaries and some fuzzing, within seconds; the token
# endpoint (rate limited per address, a scrypt check per call) gets fewer.
MAX_EXAMPLES = 30
EXAMPLES_FOR = {"POST /oauth/token": 15}


def _vapid_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode()


async def _live_examples(api: Api, services: Services, inst: NewInstitution) -> dict[str, Any]:
    """Real data for the examples phase, so the success answers are checked too: a message
    with a file to a person with an e-address, the person's reply, the institution's secret."""
    holder = await make_person()
    files = [("attachment", ("lēmums.pdf", PDF + uuid.uuid4().bytes, "application/pdf"))]
    sent = (await api.send(message_json(holder.recipient), files=files)).json()
    blob = await services.eaddress.blobs.put(PDF)
    await reply(
        holder.reader,
        OwnMailboxOnly(),
        uuid.UUID(sent["id"]),
        "Paldies, saņēmu.",
        services.eaddress.settings,
        files=[StagedFile("atbilde.pdf", "application/pdf", blob.sha256, blob.size)],
    )
    return {
        "message_id": sent["id"],
        "attachment_id": sent["attachments"][0]["id"],
        "message": message_json(holder.recipient),
        "token_form": {
            "grant_type": "client_credentials",
            "client_id": inst.client_id,
            "client_secret": inst.client_secret,
        },
    }


OTHER_APIS = ("/api/catalogue/", "/api/notify/")
"""Operations other tests drive with their own credentials and data
(tests/integration/catalogue/test_openapi_contract.py,
tests/integration/notifications/test_notify_api_contract.py)."""


def with_examples(spec: dict[str, Any], live: dict[str, Any]) -> dict[str, Any]:
    """`spec` with `live` values as examples of the parameters and bodies they fit."""
    spec = copy.deepcopy(spec)
    spec["paths"] = {p: o for p, o in spec["paths"].items() if not p.startswith(OTHER_APIS)}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in live:
                    parameter["example"] = live[parameter["name"]]
            content = operation.get("requestBody", {}).get("content", {})
            if (method, path) == ("post", "/api/eaddress/v1/messages"):
                content["application/json"]["example"] = live["message"]
            if (method, path) == ("post", "/oauth/token"):
                content["application/x-www-form-urlencoded"]["example"] = live["token_form"]
    return spec


async def test_every_operation_answers_as_documented(
    settings: Settings, services: Services, var_dir: Path
) -> None:
    # An app of its own (same database): the token endpoint's per-address rate limit counts
    # this run's requests in its own store, not in the one the other tests' tokens come from.
    async with (
        variant_app(settings, services, var_dir, VAPID_PRIVATE_KEY=_vapid_key()) as (base_url, _),
        httpx.AsyncClient(base_url=base_url, timeout=10) as http,
    ):
        spec = (await http.get("/schema/openapi.json")).raise_for_status().json()
        institution = await make_institution()
        token = await fetch_token(http, institution)
        live = await _live_examples(Api(http, token), services, institution)
        run = await asyncio.to_thread(
            check_contract,
            with_examples(spec, live),
            base_url,
            {"Authorization": f"Bearer {token}"},
            max_examples=MAX_EXAMPLES,
            examples_for=EXAMPLES_FOR,
        )
    assert not run.problems, "\n\n".join(run.problems)
    operations = {
        f"{m.upper()} {path}"
        for path, ops in spec["paths"].items()
        if not path.startswith(OTHER_APIS)
        for m in ops
    }
    succeeded = {label for label, answers in run.statuses.items() if any(s < 300 for s in answers)}
    # The success answers were checked as well as the refusals, for every operation.
    assert succeeded == operations, {label: run.statuses.get(label) for label in operations}
    print({label: dict(answers) for label, answers in run.statuses.items()})
