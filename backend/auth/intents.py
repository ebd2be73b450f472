"""What a person asked for when a step-up login interrupted them, kept server-side.

Switching to act for a company behind a login too weak for it used to end on the account page
after the stronger login, acting as oneself: the request was lost (issue 15). Now the switch
handler keeps the request here, under a random token, and sends the person through the
step-up login to `/account/acting-as/resume/<token>`, which finishes it.

The token only finds the request; it says nothing itself. What is switched to is read from
here (never from the URL), belongs to the person who asked (another person's token finds
nothing), is authorised again by the one guard when it is finished, and is used once.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass

from litestar.stores.base import Store

STORE_NAME = "auth-pending-switch"
TTL_S = 900
"""Long enough for a login with eParaksts mobile or a card reader, short enough to forget."""
RESUME_PREFIX = "/account/acting-as/resume/"


@dataclass(frozen=True)
class PendingSwitch:
    person_id: str
    subject_id: str
    next_path: str


def _key(token: str) -> str:
    # The store never holds the token itself: reading the store gives no usable link.
    return hashlib.sha256(token.encode()).hexdigest()


async def remember(store: Store, pending: PendingSwitch) -> str:
    """Keep `pending`; the token for its resume link."""
    token = secrets.token_urlsafe(24)
    await store.set(_key(token), json.dumps(asdict(pending)), expires_in=TTL_S)
    return token


async def peek(store: Store, token: str, person_id: str) -> PendingSwitch | None:
    """The pending switch behind `token` if it is this person's, without using it up."""
    if not token or len(token) > 64:
        return None
    raw = await store.get(_key(token))
    if raw is None:
        return None
    try:
        pending = PendingSwitch(**json.loads(raw))
    except (TypeError, ValueError):
        return None
    return pending if pending.person_id == person_id else None


async def forget(store: Store, token: str) -> None:
    await store.delete(_key(token))


def token_of(path: str) -> str | None:
    """The token in a resume path (the step-up page shows what will be finished)."""
    if path.startswith(RESUME_PREFIX):
        return path.removeprefix(RESUME_PREFIX).split("?", 1)[0] or None
    return None
