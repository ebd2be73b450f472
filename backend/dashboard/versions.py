"""A version per dashboard subject: a token that changes whenever something a dashboard answer
is built from changes — a source answered afresh, consent was given or withdrawn, the person's
name came anew from a login.

Whoever keeps a finished answer (`backend/graphql/answers.py`) notes the version it was built
under and serves the answer only while the version is still the same. The token is random, not
a counter: a version that expired from the store and was made again can never repeat an old
one, so a kept answer can never match a version it was not built under.

Writers bump *after* their writes are done, so a reader who builds an answer in between is
tagged with the older version and is never served.
"""

from __future__ import annotations

import secrets

from litestar.stores.base import Store

STORE_NAME = "dashboard-version"
# Longer than any kept answer lives (answers end with the freshest source's TTL, at most a
# day): a version that expires takes no live answer with it unnoticed.
KEEP_S = 2 * 24 * 3600


class SubjectVersions:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def bump(self, subject_key: str) -> None:
        """Something the subject's dashboard shows has changed: kept answers are void."""
        await self.store.set(subject_key, secrets.token_hex(8), expires_in=KEEP_S)
