"""Mail for a person signed in by `sign_in`: their e-address turned on, and a message sent by
an institution through the real API (real token, real HTTP)."""

from __future__ import annotations

import httpx

from backend.auth.people import PersonRecord
from backend.eaddress.mailbox.accounts import activate_person
from tests.integration.eaddress.conftest import PDF, Api, fetch_token, make_institution


async def deliver(base_url: str, person: PersonRecord, subject: str) -> str:
    """Activate `person`'s e-address and send them `subject` with a PDF; the message id."""
    await activate_person(person.id)
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        api = Api(client, await fetch_token(client, await make_institution()))
        body = {
            "recipient": {"type": "eidas_id", "id": person.eidas_id},
            "subject": subject,
            "body": "Labdien!\n\nPielikumā lēmums par pabalstu.",
        }
        answer = await api.send(
            body, files=[("attachment", ("Lēmums.pdf", PDF, "application/pdf"))]
        )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])
