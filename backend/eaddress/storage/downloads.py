"""Attachment downloads: what an authorised caller gets to stream to the client.

The caller (an API route or the mailbox layer) has checked authorization before it gets a
`Download`; routes turn it into a streamed response with `Content-Disposition: attachment`.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import quote

from backend.eaddress.storage.blobs import BlobStore
from backend.eaddress.storage.records import AttachmentInfo


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    size: int
    sha256: str
    body: AsyncIterator[bytes]

    @property
    def content_disposition(self) -> str:
        """RFC 6266 with an ASCII fallback and the UTF-8 name (Latvian letters survive)."""
        fallback = self.filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
        return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(self.filename)}"

    @property
    def headers(self) -> dict[str, str]:
        return {
            "Content-Disposition": self.content_disposition,
            "Content-Length": str(self.size),
            # RFC 9530: lets the client check what it received against the proof's hash.
            "Repr-Digest": f"sha-256=:{base64.b64encode(bytes.fromhex(self.sha256)).decode()}:",
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        }


def stream_attachment(info: AttachmentInfo, blobs: BlobStore) -> Download:
    return Download(
        filename=info.filename,
        content_type=info.content_type,
        size=info.size,
        sha256=info.sha256,
        body=blobs.open(info.sha256),
    )
