"""The content-addressed store on a real directory."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from backend.eaddress.storage.blobs import LocalBlobStore


async def _read(store: LocalBlobStore, digest: str) -> bytes:
    return b"".join([chunk async for chunk in store.open(digest)])


async def test_put_returns_the_sha256_and_open_streams_it_back(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    data = "Paziņojums".encode().ljust(600_000, b".")
    stored = await store.put(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert await store.exists(stored.sha256)
    assert await _read(store, stored.sha256) == data
    path = store.path_for(stored.sha256)
    assert path.parent.parent.name == stored.sha256[:2]

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 70_000):
            yield data[start : start + 70_000]

    again = await store.put(chunks())
    assert again == stored  # the same bytes are stored once


async def test_a_half_written_upload_is_never_visible(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    writer = store.writer()
    await writer.write(b"a" * 400_000)
    digest = hashlib.sha256(b"a" * 400_000).hexdigest()
    assert not await store.exists(digest)
    await writer.abort()
    assert not await store.exists(digest)
    assert list((tmp_path / "tmp").iterdir()) == []


async def test_concurrent_puts_of_the_same_bytes_leave_one_file(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    results = await asyncio.gather(*(store.put(b"same") for _ in range(10)))
    assert len({r.sha256 for r in results}) == 1
    assert len(list((tmp_path / "sha256").glob("*/*/*"))) == 1
    assert list((tmp_path / "tmp").iterdir()) == []


async def test_missing_blobs_and_bad_digests(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    assert not await store.exists("0" * 64)
    with pytest.raises(FileNotFoundError):
        await _read(store, "0" * 64)
    with pytest.raises(ValueError, match="SHA-256"):
        store.path_for("../../etc/passwd")
