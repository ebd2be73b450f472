"""The registry read policy (fresh, deadline, last known) with stand-in fetches, and the shipped
budgets that bound how long a page waits for the registries."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from backend.auth.representations import CachedRepresentations
from backend.lib.registry_read import Known, read_through, request_scope, request_started
from backend.lib.time import utcnow
from backend.services import Services
from backend.settings import load_settings
from integrations.registries import deadline
from integrations.registries.errors import RegistryError

PAGE_BUDGET_S = 3.0
"""What a signed-in page may spend waiting for the registries, at most."""


async def answer() -> str:
    return "fresh"


async def refuse() -> str:
    raise RegistryError("nhs", "timeout")


def kept(age_s: float) -> Known[str]:
    return Known("kept", utcnow() - timedelta(seconds=age_s))


async def test_a_fresh_answer_is_served_without_asking() -> None:
    young = kept(5)
    read = await read_through(refuse, young, ttl_s=60, budget_s=1)
    assert (read.status, read.known, read.fetched, read.asked) == ("ok", young, False, False)


async def test_an_old_answer_is_asked_again_and_the_new_one_is_to_be_kept() -> None:
    read = await read_through(answer, kept(61), ttl_s=60, budget_s=1)
    assert read.status == "ok"
    assert read.fetched
    assert read.asked
    assert read.known is not None
    assert read.known.value == "fresh"


async def test_forcing_asks_even_when_fresh() -> None:
    read = await read_through(answer, kept(0), ttl_s=60, budget_s=1, force=True)
    assert read.known is not None
    assert read.known.value == "fresh"


async def test_a_failure_serves_the_last_known_answer_as_stale_or_nothing() -> None:
    old = kept(3600)
    stale = await read_through(refuse, old, ttl_s=60, budget_s=1)
    assert (stale.status, stale.known, stale.reason, stale.asked) == ("stale", old, "timeout", True)
    unknown = await read_through(refuse, None, ttl_s=60, budget_s=1)
    assert (unknown.status, unknown.known, unknown.reason) == ("unavailable", None, "timeout")


async def test_an_open_circuit_is_no_read() -> None:
    async def open_circuit() -> str:
        raise RegistryError("nhs", "circuit_open")

    read = await read_through(open_circuit, None, ttl_s=60, budget_s=1)
    assert (read.status, read.asked) == ("unavailable", False)


async def test_bugs_are_not_taken_for_registry_failures() -> None:
    async def bug() -> str:
        raise KeyError("x")

    with pytest.raises(KeyError):
        await read_through(bug, kept(3600), ttl_s=60, budget_s=1)


async def test_every_read_of_a_request_counts_its_budget_from_the_start_of_the_request() -> None:
    seen: list[float | None] = []

    async def note_deadline() -> str:
        seen.append(deadline.current())
        return "fresh"

    with request_scope():
        started = request_started()
        await read_through(note_deadline, None, ttl_s=0, budget_s=2.0)
        await read_through(note_deadline, None, ttl_s=0, budget_s=0.5)
    assert seen == [started + 2.0, started + 0.5]
    assert deadline.current() is None  # nothing left behind


async def test_outside_a_request_the_budget_counts_from_the_read() -> None:
    loop = asyncio.get_running_loop()
    before = loop.time()
    seen: list[float | None] = []

    async def note_deadline() -> str:
        seen.append(deadline.current())
        return "fresh"

    await read_through(note_deadline, None, ttl_s=0, budget_s=2.0)
    assert seen[0] is not None
    assert before + 2.0 <= seen[0] <= loop.time() + 2.0


async def test_the_shipped_budgets_keep_a_page_within_three_seconds(tmp_path: Path) -> None:
    settings = load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    # Every registry read of a request ends by the request's start + its registry's budget,
    # however many reads the page makes: the longest budget bounds the page's wait.
    budgets = {name: policy.budget_s for name, policy in settings.dashboard.sources.items()}
    assert max(budgets.values()) < PAGE_BUDGET_S, budgets
    services = Services.build(settings)  # company roles are read on every signed-in page
    try:
        roles = services.auth.representations
        assert isinstance(roles, CachedRepresentations)
        assert roles.budget_s == budgets["enterprise_register"]
    finally:
        await services.close_clients()
