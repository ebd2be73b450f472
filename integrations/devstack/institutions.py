"""The sandbox plays the institutions: a small loop that receives and decides applications
through the real applications API, so that `make run`'s demo moves cases along.

`vienuviet seed` makes (or re-keys) one API client per institution that owns a service with a
form — linked to its catalogue institution, scopes `applications:read` and `:write` — and keeps
their credentials in `VAR_DIR/devstack/institution-players.json` (development only). The
sandbox process then, every few seconds, for each institution: takes a token at the token
endpoint, receives what was submitted, and once a case has waited `SANDBOX_DECIDE_AFTER_S`
decides it — some it first asks for more information, some it refuses (chosen from the
application's id, so a case's fate is stable across restarts).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from backend.catalogue.publishers import link_publisher
from backend.eaddress.institution_api.credentials import hash_secret, new_client_secret
from backend.eaddress.institution_api.institutions import (
    institution_by_registration,
    register_institution,
)
from backend.eaddress.tables import Institution
from backend.lib.time import as_utc, utcnow
from backend.settings import Settings

log = logging.getLogger(__name__)

API = "/api/applications/v1"
SCOPES = ("eaddress.send", "eaddress.read", "applications:read", "applications:write")
PLAYERS = {
    # catalogue id: (name, registration number in the Register of Enterprises)
    "vsaa": ("Valsts sociālās apdrošināšanas aģentūra", "90001634668"),
    "pmlp": ("Pilsonības un migrācijas lietu pārvalde", "90000013934"),
    "nvd": ("Nacionālais veselības dienests", "90009649337"),
    "csdd": ("Ceļu satiksmes drošības direkcija", "40003345595"),
}
POLL_S = 5.0


def players_file(settings: Settings) -> Path:
    return settings.web.var_dir / "devstack" / "institution-players.json"


@dataclass(frozen=True)
class Player:
    institution: str
    client_id: str
    client_secret: str


async def ensure_players(settings: Settings) -> list[Player]:
    """One client per played institution with a known secret (made, or given a new secret and
    the applications scopes if the seed made it before without them). Idempotent."""
    path = players_file(settings)
    known: dict[str, dict[str, str]] = json.loads(path.read_text()) if path.exists() else {}
    players = []
    for slug, (name, number) in PLAYERS.items():
        row = await institution_by_registration(number)
        saved = known.get(slug)
        if row is None:
            made = await register_institution(name, number, SCOPES)
            client_id, secret = made.client_id, made.client_secret
        elif saved and saved["client_id"] == row["client_id"]:
            client_id, secret = saved["client_id"], saved["client_secret"]
        else:  # seeded by the e-address demo, its secret discarded: re-key it (dev only)
            client_id, secret = str(row["client_id"]), new_client_secret()
            await (
                Institution.update(
                    {
                        Institution.secret_hash: hash_secret(secret),
                        Institution.scopes: " ".join(SCOPES),
                    }
                )
                .where(Institution.id == row["id"])
                .run()
            )
        await link_publisher(client_id, slug)
        players.append(Player(slug, client_id, secret))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({p.institution: {"client_id": p.client_id, "client_secret": p.client_secret}
                    for p in players}, indent=2)
    )  # fmt: skip
    path.chmod(0o600)
    return players


def load_players(settings: Settings) -> list[Player]:
    path = players_file(settings)
    if not path.exists():
        return []
    saved = json.loads(path.read_text())
    return [Player(slug, v["client_id"], v["client_secret"]) for slug, v in saved.items()]


def _fate(application_id: str) -> int:
    return hashlib.sha256(application_id.encode()).digest()[0] % 10


DECISIONS: dict[int, dict[str, Any]] = {
    2: {
        "to": "decided",
        "outcome": "refused",
        "note": "Iesniegumā norādītās ziņas neatbilst reģistra datiem.",
    },
    3: {"to": "decided", "outcome": "partly", "note": "Iesniegums apmierināts daļēji."},
    -1: {"to": "decided", "outcome": "granted", "note": ""},
}


def next_step(case: dict[str, Any], *, now: datetime, wait: timedelta) -> dict[str, Any] | None:
    """What the institution does with this case now, or None (wait). Pure.

    submitted → received at once; after `wait` in received or in progress: one case in five is
    first asked for information (once), then decided — one in ten refused, one in ten partly,
    the rest granted."""
    status = case["status"]
    if status == "submitted":
        return {"to": "received", "note": ""}
    if status not in ("received", "in_progress"):
        return None
    since = as_utc(datetime.fromisoformat(case["timeline"][-1]["at"]))
    if now - since < wait:
        return None
    fate = _fate(case["id"])
    asked = any(step["to"] == "needs_information" for step in case["timeline"])
    if fate < 2 and not asked:
        return {
            "to": "needs_information",
            "note": "Lūdzu, precizējiet iesniegumā norādītās ziņas un pievienojiet "
            "tās apliecinošu dokumentu.",
        }
    decision: dict[str, Any] = DECISIONS.get(fate, DECISIONS[-1])
    return decision


async def _token(http: httpx.AsyncClient, player: Player) -> str:
    answer = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "applications:read applications:write"},
        auth=(player.client_id, player.client_secret),
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


async def play_once(
    http: httpx.AsyncClient, player: Player, *, wait: timedelta, now: datetime | None = None
) -> int:
    """One round for one institution; returns how many steps it took."""
    headers = {"Authorization": f"Bearer {await _token(http, player)}"}
    taken = 0
    for status in ("submitted", "received", "in_progress"):
        cursor = None
        while True:
            params = {"status": status, "limit": "100", **({"cursor": cursor} if cursor else {})}
            page = (await http.get(f"{API}/applications", params=params, headers=headers)).json()
            for case in page["items"]:
                step = next_step(case, now=now or utcnow(), wait=wait)
                if step is None:
                    continue
                # The key is the step itself: a round repeated after a crash takes it once.
                key = f"sandbox:{case['id']}:{len(case['timeline'])}"
                answer = await http.post(
                    f"{API}/applications/{case['id']}/transitions",
                    json=step,
                    headers={**headers, "Idempotency-Key": key},
                )
                taken += answer.status_code == 200
            if not (cursor := page["next_cursor"]):
                break
    return taken


async def play_forever(settings: Settings, *, wait: timedelta, poll_s: float = POLL_S) -> None:
    """The sandbox's loop (until cancelled); errors are logged and the next round tries again."""
    async with httpx.AsyncClient(base_url=settings.web.public_url, timeout=10) as http:
        while True:
            for player in load_players(settings):
                try:
                    await play_once(http, player, wait=wait)
                except (httpx.HTTPError, KeyError, ValueError) as exc:
                    log.info("institution player %s: %s", player.institution, type(exc).__name__)
            await asyncio.sleep(poll_s)
