"""Client secrets, access tokens, cursors and event payloads: the pure parts."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import pytest
from joserfc.jwk import OctKey

from backend.eaddress.institution_api.credentials import (
    hash_secret,
    new_client_secret,
    verify_secret,
)
from backend.eaddress.institution_api.tokens import (
    InvalidToken,
    VerifiedTokens,
    issue_token,
    verify_token,
)
from backend.eaddress.mailbox.access import Reader
from backend.eaddress.paging import Cursor
from backend.events.service import _check_payload
from backend.lib.errors import BadInput

ISSUER = "https://vienuviet.example"


def test_secrets_are_salted_slow_hashes_checked_exactly() -> None:
    secret = new_client_secret()
    stored = hash_secret(secret, n=2**10)  # cheaper parameters for the test, same code path
    assert secret not in stored
    assert stored.startswith("scrypt$1024$8$1$")
    assert stored != hash_secret(secret, n=2**10)  # a fresh salt each time
    assert verify_secret(secret, stored)
    assert not verify_secret(secret + "x", stored)
    assert not verify_secret(secret, "scrypt$bad")
    assert not verify_secret(secret, "bcrypt$1$2$3$4$5")


def _issue(key: OctKey, **changes: object) -> str:
    args: dict[str, object] = {
        "issuer": ISSUER,
        "institution_id": uuid.uuid4(),
        "client_id": "inst_x",
        "scopes": ["eaddress.send"],
        "ttl_s": 600,
        **changes,
    }
    return issue_token(key, **args)  # type: ignore[arg-type]


def test_tokens_round_trip_and_refuse_anything_else() -> None:
    key = OctKey.generate_key(256, auto_kid=True)
    institution = uuid.uuid4()
    principal = verify_token(key, _issue(key, institution_id=institution), issuer=ISSUER)
    assert principal.institution_id == institution
    assert principal.scopes == frozenset({"eaddress.send"})
    assert principal.owner_key == f"institution:{institution}"
    other = OctKey.generate_key(256, auto_kid=True)
    for token, issuer in [
        (_issue(key, now=int(time.time()) - 700), ISSUER),
        (_issue(other), ISSUER),
        (_issue(key), "https://elsewhere.example"),
        ("a.b.c", ISSUER),
    ]:
        with pytest.raises(InvalidToken):
            verify_token(key, token, issuer=issuer)
    with pytest.raises(Exception, match="scope"):
        principal.require("eaddress.read")


def test_cursors_are_opaque_and_checked() -> None:
    cursor = Cursor(datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC), uuid.uuid4())
    assert Cursor.decode(cursor.encode()) == cursor
    for bad in ("", "!!", "bm9wZQ", "MjAyNi0wMS0wMnx4"):
        with pytest.raises(BadInput):
            Cursor.decode(bad)


def test_event_payloads_hold_identifiers_only() -> None:
    message_id = str(uuid.uuid4())
    payload = {"message_id": message_id, "count": 2, "flag": True, "none": None}
    assert _check_payload(payload) == payload
    for bad in ({"subject": "x" * 65}, {"list": [1]}, {"Upper": 1}, {"x": 1.5}):
        with pytest.raises(ValueError, match="payload"):
            _check_payload(bad)


def test_readers_name_a_person_or_a_company() -> None:
    person = uuid.uuid4()
    assert Reader.own(person).acts_for_self
    assert not Reader(person, "company:40003123459").acts_for_self
    for bad in ("company:123", "person:not-a-uuid", "anyone"):
        with pytest.raises(ValueError, match="subject_key"):
            Reader(person, bad)


def test_verified_tokens_are_remembered_until_they_expire(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = OctKey.generate_key(256, auto_kid=True)
    cache = VerifiedTokens(limit=2)
    issued = int(time.time())
    token = _issue(key, now=issued, ttl_s=60)
    first = cache.verify(key, token, issuer=ISSUER)
    assert cache.verify(key, token, issuer=ISSUER) is first
    with pytest.raises(InvalidToken):
        cache.verify(key, _issue(OctKey.generate_key(256, auto_kid=True)), issuer=ISSUER)
    monkeypatch.setattr(time, "time", lambda: issued + 120)  # past exp and the leeway
    with pytest.raises(InvalidToken):
        cache.verify(key, token, issuer=ISSUER)
    for _ in range(3):  # the bound holds: the cache empties itself rather than grow
        cache.verify(key, _issue(key, now=issued + 100), issuer=ISSUER)
    assert len(cache._seen) <= 2
