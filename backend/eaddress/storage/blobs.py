"""The content-addressed attachment store: bytes in, SHA-256 out; the same bytes stored once.

`BlobStore` is the interface; `LocalBlobStore` keeps files in a directory (settings
`EADDRESS_ATTACHMENTS_DIR`), each written to a temporary file, flushed to disk and renamed
into place, so a reader never sees half a file and a crash leaves only a temporary file.

The store knows nothing about who may read what: callers check authorization first (see
`backend.eaddress.storage.downloads`). A blob is referenced by `eaddress_attachment` rows;
blobs that no row references (a transaction that failed after the upload) are swept by a job.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
import time
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

CHUNK = 256 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int


class BlobWriter(Protocol):
    """An upload in progress: `write` chunks, then `commit` (or `abort`)."""

    size: int

    async def write(self, chunk: bytes) -> None: ...

    async def commit(self) -> StoredBlob: ...

    async def abort(self) -> None: ...


class BlobStore(Protocol):
    def writer(self) -> BlobWriter: ...

    async def put(self, data: bytes | AsyncIterable[bytes]) -> StoredBlob: ...

    async def exists(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> AsyncIterator[bytes]:
        """The content in chunks; raises FileNotFoundError (on first iteration) if absent."""
        ...


class _LocalWriter:
    def __init__(self, store: LocalBlobStore) -> None:
        self._store = store
        self._hash = hashlib.sha256()
        self._file: IO[bytes] | None = None
        self._pending: list[bytes] = []
        self._pending_size = 0
        self.size = 0

    async def write(self, chunk: bytes) -> None:
        self._hash.update(chunk)
        self.size += len(chunk)
        self._pending.append(bytes(chunk))
        self._pending_size += len(chunk)
        if self._pending_size >= CHUNK:
            await self._flush()

    async def _flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending, self._pending_size = [], 0
        if self._file is None:
            self._file = await asyncio.to_thread(self._store._temp_file)
        await asyncio.to_thread(self._file.write, data)

    async def commit(self) -> StoredBlob:
        await self._flush()
        if self._file is None:
            self._file = await asyncio.to_thread(self._store._temp_file)
        digest = self._hash.hexdigest()
        await asyncio.to_thread(self._store._install, self._file, digest)
        self._file = None
        return StoredBlob(sha256=digest, size=self.size)

    async def abort(self) -> None:
        if self._file is not None:
            await asyncio.to_thread(self._store._discard, self._file)
            self._file = None
        self._pending = []


@dataclass
class LocalBlobStore:
    root: Path

    def path_for(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / "sha256" / sha256[:2] / sha256[2:4] / sha256

    def _temp_file(self) -> IO[bytes]:
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        return tempfile.NamedTemporaryFile(dir=tmp_dir, prefix="upload-", delete=False)

    def _install(self, handle: IO[bytes], sha256: str) -> None:
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        target = self.path_for(sha256)
        if target.exists():
            os.unlink(handle.name)
            # Refresh the age, so that the orphan sweep never removes a blob just re-used.
            os.utime(target)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(handle.name, 0o640)
        os.replace(handle.name, target)

    @staticmethod
    def _discard(handle: IO[bytes]) -> None:
        handle.close()
        os.unlink(handle.name)

    def writer(self) -> BlobWriter:
        return _LocalWriter(self)

    async def put(self, data: bytes | AsyncIterable[bytes]) -> StoredBlob:
        writer = self.writer()
        try:
            if isinstance(data, bytes | bytearray):
                await writer.write(bytes(data))
            else:
                async for chunk in data:
                    await writer.write(chunk)
            return await writer.commit()
        except BaseException:
            await writer.abort()
            raise

    async def exists(self, sha256: str) -> bool:
        return await asyncio.to_thread(self.path_for(sha256).is_file)

    async def open(self, sha256: str) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(self.path_for(sha256).open, "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK):
                yield chunk
        finally:
            handle.close()

    def stored_digests_older_than(self, age_s: float) -> list[str]:
        """Digests of blobs not written or re-used for `age_s` seconds (for the orphan sweep)."""
        cutoff = time.time() - age_s
        found = []
        for path in (self.root / "sha256").glob("*/*/*"):
            if _SHA256.match(path.name) and path.stat().st_mtime < cutoff:
                found.append(path.name)
        return found

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)
