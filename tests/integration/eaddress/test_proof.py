"""Proof of delivery: a JWS anyone can verify with nothing but the published key set."""

from __future__ import annotations

import base64
import json
import uuid

import httpx
import pytest
from joserfc import jws
from joserfc.errors import BadSignatureError
from joserfc.jwk import ECKey, KeySet

from backend.eaddress.mailbox.access import OwnMailboxOnly
from backend.eaddress.mailbox.holder import export_proof, open_message
from backend.eaddress.storage.receipts import record_notified
from backend.services import Services
from tests.integration.eaddress.conftest import PDF, Api, Holder, message_json


async def _published_keys(http: httpx.AsyncClient) -> KeySet:
    response = await http.get("/.well-known/eaddress-receipts-jwks.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/jwk-set+json")
    jwks = response.json()
    for key in jwks["keys"]:
        assert "d" not in key  # never the private part
        assert key["kid"]
    return KeySet.import_key_set(jwks)


def _tamper(token: str, change: dict[str, object]) -> str:
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["message"].update(change)
    raw = json.dumps(data, separators=(",", ":")).encode()
    forged = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


async def test_the_institution_proof_verifies_with_the_published_keys_only(
    api: Api, holder: Holder, http: httpx.AsyncClient
) -> None:
    sent = (
        await api.send(
            message_json(holder.recipient),
            files=[("attachment", ("lēmums.pdf", PDF, "application/pdf"))],
        )
    ).json()
    await record_notified(uuid.UUID(sent["id"]), "email")
    await open_message(holder.reader, OwnMailboxOnly(), uuid.UUID(sent["id"]))
    response = await api.get(f"/messages/{sent['id']}/proof")
    assert response.status_code == 200
    token = response.json()["proof"]
    assert response.json()["jwks_uri"].endswith("/.well-known/eaddress-receipts-jwks.json")

    keys = await _published_keys(http)
    verified = jws.deserialize_compact(token, keys, algorithms=["ES256"])
    assert verified.headers()["typ"] == "eaddress-proof+jws"
    document = json.loads(verified.payload)
    assert document["message"]["id"] == sent["id"]
    assert document["message"]["content_sha256"] == sent["content_sha256"]
    assert document["message"]["deemed_delivered_on"] == sent["deemed_delivered_on"]
    assert document["message"]["attachments"][0]["sha256"] == sent["attachments"][0]["sha256"]
    assert [r["kind"] for r in document["receipts"]] == ["sent", "available", "notified", "opened"]
    assert document["receipts"][3]["by_person_id"] == str(holder.person_id)

    for change in ({"deemed_delivered_on": "2099-01-01"}, {"subject": "Cits"}):
        with pytest.raises(BadSignatureError):
            jws.deserialize_compact(_tamper(token, change), keys, algorithms=["ES256"])
    stranger = KeySet([ECKey.generate_key("P-256", parameters={"kid": keys.keys[0].kid})])
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(token, stranger, algorithms=["ES256"])


async def test_the_holder_exports_the_same_kind_of_proof(
    api: Api, holder: Holder, services: Services, http: httpx.AsyncClient
) -> None:
    sent = (await api.send(message_json(holder.recipient))).json()
    ctx = services.eaddress
    token = await export_proof(
        holder.reader,
        OwnMailboxOnly(),
        uuid.UUID(sent["id"]),
        key=ctx.keys.receipts_key,
        issuer=ctx.public_url,
    )
    document = json.loads(jws.deserialize_compact(token, await _published_keys(http)).payload)
    assert document["message"]["holder_address"] == f"pc:{holder.personal_code}"
    assert document["issuer"] == ctx.public_url
