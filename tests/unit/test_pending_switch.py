"""The pending company switch kept across a step-up login (backend/auth/intents.py): found
only by its token and only for the person who asked, the token never stored itself."""

from __future__ import annotations

from litestar.stores.memory import MemoryStore

from backend.auth import intents

PENDING = intents.PendingSwitch("p-1", "company:40003000001", "/obligations")


async def test_only_the_person_who_asked_finds_it_and_only_until_it_is_forgotten() -> None:
    store = MemoryStore()
    token = await intents.remember(store, PENDING)
    assert await intents.peek(store, token, "p-1") == PENDING
    assert await intents.peek(store, token, "p-2") is None
    assert await store.get(token) is None  # kept under a digest, not the token
    await intents.forget(store, token)
    assert await intents.peek(store, token, "p-1") is None


async def test_junk_tokens_and_damaged_entries_find_nothing() -> None:
    store = MemoryStore()
    assert await intents.peek(store, "", "p-1") is None
    assert await intents.peek(store, "x" * 500, "p-1") is None
    await store.set(intents._key("broken"), b"{not json")
    assert await intents.peek(store, "broken", "p-1") is None


def test_the_token_is_read_from_a_resume_path_only() -> None:
    assert intents.token_of("/account/acting-as/resume/abc") == "abc"
    assert intents.token_of("/account/acting-as/resume/") is None
    assert intents.token_of("/mail") is None
