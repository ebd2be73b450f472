"""What the mailbox tests share: personas logged in over real HTTP, an institution sending
through the real API, and the GraphQL documents of the mailbox."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from backend.auth.tables import Delegation
from integrations.devstack.personas import OZOLS_TECH, persona
from tests.auth_driver import graphql, login_as
from tests.integration.eaddress.conftest import PDF, Api, message_json

OZOLS = f"company:{OZOLS_TECH.registration_number}"

SUMMARY = "id subject unread hasAttachments archived direction institution { name }"
MAILBOX = f"""query($s: ID, $f: MailFolder!, $first: Int!, $after: String) {{
  mailbox(subjectId: $s) {{ subjectId address active isCompany canActivate canDeactivate canReply
    unread {{ inbox sent archive }}
    folder(name: $f, first: $first, after: $after) {{ items {{ {SUMMARY} }} nextCursor }} }} }}"""
SEARCH = f"""query($s: ID, $text: String!) {{ mailbox(subjectId: $s) {{
  search(text: $text, first: 10) {{ items {{ {SUMMARY} }} nextCursor }} }} }}"""
MESSAGE_FIELDS = """id subject bodyText archived proofUrl authorName
  attachments { id filename contentType size sha256 downloadUrl }
  receipts { kind channel byName asDelegate }"""
OPEN = f"""mutation($id: ID!, $s: ID) {{ openMessage(id: $id, subjectId: $s) {{ __typename
  ... on MessageOpened {{ firstOpening message {{ {MESSAGE_FIELDS} }} }}
  ... on NotFoundError {{ code }} ... on ForbiddenError {{ code }} }} }}"""
LOOK = f"""query($id: ID!, $s: ID) {{ mailbox(subjectId: $s) {{
  message(id: $id) {{ {MESSAGE_FIELDS} }} }} }}"""
REPLY = """mutation($id: ID!, $body: String!, $s: ID) {
  replyToMessage(id: $id, body: $body, subjectId: $s) { __typename
    ... on ReplySent { reply { id subject bodyText authorName } }
    ... on InvalidInput { code } ... on NotFoundError { code } ... on ForbiddenError { code } } }"""
ARCHIVE = """mutation($id: ID!, $a: Boolean!) { archiveMessage(id: $id, archived: $a) {
  __typename ... on MessageArchived { archived } ... on NotFoundError { code } } }"""
ACTIVATE = """mutation { activateEaddress { __typename
  ... on EaddressChanged { mailbox { active canActivate canDeactivate address } }
  ... on StepUpRequired { requiredLevel loginUrl } ... on InvalidInput { code } } }"""
DEACTIVATE = ACTIVATE.replace("activateEaddress", "deactivateEaddress")


async def logged_in(base_url: str, slug: str, method: str = "eparaksts") -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base_url, timeout=10)
    await login_as(client, slug, method)
    return client


async def ok(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    body = await graphql(client, query, variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]  # type: ignore[assignment]
    return data


async def mailbox(
    client: httpx.AsyncClient, folder: str = "INBOX", first: int = 20, **extra: Any
) -> dict[str, Any]:
    data = await ok(client, MAILBOX, f=folder, first=first, **extra)
    box: dict[str, Any] = data["mailbox"]
    return box


def recipient(slug: str) -> dict[str, str]:
    return {"type": "personal_code", "id": persona(slug).personal_code or ""}


async def send(api: Api, to: dict[str, str], subject: str, *, pdf_name: str | None = None) -> str:
    files = [("attachment", (pdf_name, PDF, "application/pdf"))] if pdf_name else None
    response = await api.send(message_json(to, subject=subject), files=files)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def tag() -> str:
    """A word no other message holds, to find this test's messages among earlier ones."""
    return "t" + uuid.uuid4().hex[:10]


@asynccontextmanager
async def delegation(grantor_id: object, slug: str, scopes: str) -> AsyncIterator[None]:
    """`slug` may act for Ozols Tech with `scopes` while inside."""
    code = persona(slug).personal_code
    await Delegation.insert(
        Delegation(
            company_number=OZOLS_TECH.registration_number,
            company_name="Ozols Tech SIA",
            grantor=grantor_id,
            grantee_personal_code=code,
            scopes=scopes,
            valid_from=datetime.now(UTC) - timedelta(minutes=1),
            valid_until=datetime.now(UTC) + timedelta(days=1),
        )
    ).run()
    try:
        yield
    finally:
        await Delegation.delete().where(Delegation.grantee_personal_code == code).run()
