"""The operator's commands: register a client with `catalogue:write`, link it to an
institution, and the client can publish that institution's services at once."""

from __future__ import annotations

import subprocess
import sys

import httpx

from backend.services import Services
from backend.settings import Settings
from tests.integration.catalogue.conftest import API, new_service
from tests.integration.catalogue.test_load import _cli_env
from tests.integration.eaddress.conftest import unique_number


def vienuviet(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command, arguments from the test
        [sys.executable, "-m", "backend.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=_cli_env(settings),
    )


async def test_a_registered_and_linked_client_publishes_for_its_institution(
    loaded: Services, settings: Settings, http: httpx.AsyncClient
) -> None:
    number = unique_number("9")
    added = vienuviet(
        settings, "institution", "add", "Ceļu satiksmes drošības direkcija",
        "--registration-number", number, "--scopes", "catalogue:write",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    fields = dict(
        line.split(":", 1) for line in added.stdout.splitlines() if line.startswith("client_")
    )
    client_id, secret = fields["client_id"].strip(), fields["client_secret"].strip()
    assert "catalogue:write" in added.stdout

    unknown_institution = vienuviet(settings, "catalogue", "link", client_id, "no-such-office")
    assert unknown_institution.returncode == 1
    assert "no institution 'no-such-office'" in unknown_institution.stderr
    unknown_client = vienuviet(settings, "catalogue", "link", "inst_000000", "csdd")
    assert unknown_client.returncode == 1
    assert "client id" in unknown_client.stderr
    linked = vienuviet(settings, "catalogue", "link", client_id, "csdd")
    assert linked.returncode == 0, linked.stderr

    token = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "catalogue:write"},
        auth=(client_id, secret),
    )
    assert token.status_code == 200, token.text
    assert token.json()["scope"] == "catalogue:write"
    body = new_service("csdd")
    draft = await http.post(
        f"{API}/services/{body['id']}/drafts",
        json=body,
        headers={"Authorization": f"Bearer {token.json()['access_token']}", "Idempotency-Key": "1"},
    )
    assert draft.status_code == 201, draft.text
    assert draft.json()["author"] == f"client:{client_id}"
