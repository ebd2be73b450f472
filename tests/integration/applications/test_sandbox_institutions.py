"""The sandbox plays the institutions over the real applications API: with credentials the
seed gives them, a round receives a submitted application and decides it (asking for
information first for some), and the decision reaches the applicant's e-address."""

from __future__ import annotations

from datetime import timedelta

import httpx

from backend.applications import service as applications
from backend.eaddress.mailbox.access import OwnMailboxOnly
from backend.eaddress.mailbox.folders import Folder, list_folder
from backend.services import Services
from backend.settings import Settings
from integrations.devstack.institutions import ensure_players, load_players, play_once
from tests.integration.applications.conftest import declare
from tests.integration.eaddress.conftest import make_person


async def test_the_sandbox_institutions_receive_and_decide_a_case(
    published: Services, settings: Settings, http: httpx.AsyncClient
) -> None:
    players = await ensure_players(settings)
    # Idempotent: the same clients, and the saved secrets still open the token endpoint.
    await ensure_players(settings)
    assert [(p.institution, p.client_id) for p in load_players(settings)] == [
        (p.institution, p.client_id) for p in players
    ]
    pmlp = next(p for p in load_players(settings) if p.institution == "pmlp")
    holder = await make_person()
    record = await declare(f"person:{holder.person_id}", holder.person_id)

    assert await play_once(http, pmlp, wait=timedelta(0)) >= 1
    moved = await applications.load(record.id)
    assert moved is not None
    if moved.status.value == "needs_information":
        await applications.provide_information(moved, holder.person_id, "Precizēju.")
        await play_once(http, pmlp, wait=timedelta(0))
    case = await applications.load(record.id, with_steps=True)
    assert case is not None
    assert case.status.value == "decided"
    assert case.outcome is not None
    assert [s.to_status.value for s in case.steps][:3] == ["draft", "submitted", "received"]
    decision = case.steps[-1].message_id
    inbox = await list_folder(holder.reader, OwnMailboxOnly(), Folder.INBOX, limit=100)
    assert decision in {m.id for m in inbox.items}

    # A long wait: a fresh case is received, not decided.
    waiting = await declare(f"person:{holder.person_id}", holder.person_id)
    await play_once(http, pmlp, wait=timedelta(hours=1))
    fresh = await applications.load(waiting.id)
    assert fresh is not None
    assert fresh.status.value == "received"
