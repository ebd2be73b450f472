"""Proof of delivery: a message's receipt chain as a signed JSON document (compact JWS, ES256).

Anyone can check a proof with the public key set published at
`/.well-known/eaddress-receipts-jwks.json` (the header's `kid` picks the key). The document
names the message by id and by `content_sha256`, a hash over subject, bodies and attachment
hashes, so whoever holds the message can show that this is what was delivered.
"""

from __future__ import annotations

import json
from typing import Any

from joserfc import jws
from joserfc.jwk import Key

from backend.eaddress.storage.receipts import ReceiptChain
from backend.eaddress.storage.records import MessageRecord
from backend.lib.time import utcnow

PROOF_TYPE = "eaddress.receipt_chain"
JOSE_TYPE = "eaddress-proof+jws"
JWKS_PATH = "/.well-known/eaddress-receipts-jwks.json"
JWKS_MEDIA_TYPE = "application/jwk-set+json"
"""RFC 7517 §8.5: the media type of a JSON Web Key Set."""


def proof_payload(record: MessageRecord, chain: ReceiptChain, *, issuer: str) -> dict[str, Any]:
    return {
        "type": PROOF_TYPE,
        "version": 1,
        "issuer": issuer,
        "jwks_uri": issuer + JWKS_PATH,
        "issued_at": utcnow().isoformat(),
        "message": {
            "id": str(record.id),
            "thread_id": str(record.thread_id),
            "direction": "institution_to_holder" if record.direction == "in" else "holder_reply",
            "institution": {
                "id": str(record.institution_id),
                "name": record.institution_name,
                "registration_number": record.institution_registration_number,
            },
            "holder_address": record.account_address,
            "subject": record.subject,
            "content_sha256": record.content_sha256,
            "attachments": [
                {
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "size": a.size,
                    "sha256": a.sha256,
                }
                for a in record.attachments
            ],
            "sent_at": record.sent_at.isoformat(),
            "deemed_delivered_on": (
                record.deemed_delivered_on.isoformat() if record.deemed_delivered_on else None
            ),
        },
        "receipts": chain.as_json(),
    }


def sign_proof(payload: dict[str, Any], key: Key) -> str:
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    header = {"alg": "ES256", "kid": key.kid, "typ": JOSE_TYPE, "cty": "application/json"}
    return jws.serialize_compact(header, body.encode("utf-8"), key, algorithms=["ES256"])
