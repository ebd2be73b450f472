"""What the e-address feature needs at run time, built once per process from settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from backend.eaddress.institution_api.tokens import VerifiedTokens
from backend.eaddress.mailbox.access import MailboxAccess, OwnMailboxOnly
from backend.eaddress.storage.blobs import BlobStore, LocalBlobStore
from backend.eaddress.storage.keys import KeyRing
from backend.lib.time import utcnow
from backend.settings import EAddressSettings, Settings


@dataclass
class EAddress:
    settings: EAddressSettings
    public_url: str
    blobs: BlobStore
    keys: KeyRing
    access: MailboxAccess = field(default_factory=OwnMailboxOnly)
    """`Services.build` gives the identity layer's implementation (representatives and
    delegates); the default lets a person into their own mailbox only."""
    tokens: VerifiedTokens = field(default_factory=VerifiedTokens)
    clock: Callable[[], datetime] = utcnow
    """The time of sending (and "today" for jobs); tests pin it to check legal dates."""

    @classmethod
    def from_settings(cls, settings: Settings, *, access: MailboxAccess | None = None) -> EAddress:
        """No I/O: directories and keys are created on first use. `access`: who may read
        which mailbox (default: a person their own only)."""
        return cls(
            settings=settings.eaddress,
            public_url=settings.web.public_url,
            blobs=LocalBlobStore(settings.eaddress.attachments_dir),
            keys=KeyRing(settings.eaddress.keys_dir),
            access=access or OwnMailboxOnly(),
        )
