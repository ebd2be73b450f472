"""The development identity provider's pure parts: settings, assurance levels, keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.settings import load_settings
from integrations.devstack.dev_idp import (
    DevIdPRefused,
    DevIdPSettings,
    RegisteredClient,
    dev_idp_settings,
)
from integrations.devstack.dev_idp.keys import KeyRing, SigningKeyError
from integrations.devstack.dev_idp.methods import (
    LOA_HIGH,
    LOA_LOW,
    LOA_SUBSTANTIAL,
    offered_methods,
    requested_level,
    satisfies,
)
from integrations.devstack.devserver import dev_processes
from integrations.devstack.personas import persona


def test_default_client_matches_the_app_defaults(tmp_path: Path) -> None:
    settings = load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    idp = dev_idp_settings(settings)
    assert idp.issuer == "http://127.0.0.1:8001"
    assert (idp.host, idp.port) == ("127.0.0.1", 8001)
    (client,) = idp.clients
    assert client.client_id == "vienuviet-dev"
    assert client.client_secret == "vienuviet-dev-secret"
    assert client.redirect_uris == ("http://127.0.0.1:8000/auth/callback",)
    assert client.post_logout_redirect_uris == ("http://127.0.0.1:8000/",)
    assert client.token_endpoint_auth_method == "client_secret_basic"
    assert idp.person_code_claim == "personal_code"
    assert idp.signing_key_path is not None
    assert idp.signing_key_path.parent == tmp_path
    assert DevIdPSettings().clients == idp.clients


def test_client_follows_the_app_settings(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "DEBUG": "1",
            "VAR_DIR": str(tmp_path),
            "PUBLIC_URL": "http://localhost:9000/",
            "OIDC_ISSUER": "http://127.0.0.1:9001/idp",
            "OIDC_CLIENT_ID": "mine",
            "OIDC_CLIENT_SECRET": "my-secret",
            "OIDC_PERSON_CODE_CLAIM": "serialNumber",
        }
    )
    idp = dev_idp_settings(settings)
    assert (idp.issuer, idp.port, idp.base_path) == ("http://127.0.0.1:9001/idp", 9001, "/idp")
    (client,) = idp.clients
    assert (client.client_id, client.client_secret) == ("mine", "my-secret")
    assert client.redirect_uris == ("http://localhost:9000/auth/callback",)
    assert idp.person_code_claim == "serialNumber"


def test_refused_outside_development(tmp_path: Path) -> None:
    settings = load_settings({"SECRET_KEY": "k" * 40, "VAR_DIR": str(tmp_path)})
    with pytest.raises(DevIdPRefused, match="DEBUG=1"):
        dev_idp_settings(settings)


def test_make_run_starts_the_idp_only_for_the_default_issuer(tmp_path: Path) -> None:
    default = load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    names = [process.name for process in dev_processes(default)]
    assert names.index("idp") < names.index("web")
    assert "web" in names
    real = load_settings(
        {"DEBUG": "1", "VAR_DIR": str(tmp_path), "OIDC_ISSUER": "https://id.example"}
    )
    assert "idp" not in [process.name for process in dev_processes(real)]


def test_registration_needs_a_way_to_authenticate_and_a_redirect_uri() -> None:
    with pytest.raises(ValueError, match="client_secret or a jwks"):
        RegisteredClient("c", ("http://127.0.0.1/cb",))
    with pytest.raises(ValueError, match="redirect URI"):
        RegisteredClient("c", (), client_secret="s")
    with pytest.raises(ValueError, match="trailing slash"):
        DevIdPSettings(issuer="http://127.0.0.1:8001/")


def test_acr_values_set_a_floor() -> None:
    assert requested_level(None) == 0
    assert requested_level("urn:other") == 0
    assert requested_level(f"{LOA_HIGH} {LOA_SUBSTANTIAL}") == 2
    assert [m.code for m in offered_methods(LOA_LOW)] == ["bank", "eparaksts", "eid_card", "eidas"]
    assert [m.code for m in offered_methods(LOA_HIGH)] == ["eparaksts", "eid_card"]
    assert satisfies(LOA_HIGH, LOA_SUBSTANTIAL)
    assert not satisfies(LOA_LOW, LOA_SUBSTANTIAL)
    assert satisfies(LOA_LOW, None)


def test_methods_suit_people_by_their_identifier() -> None:
    (bank, _, _, eidas) = offered_methods(None)
    assert bank.usable_by(persona("anna"))
    assert not bank.usable_by(persona("pierre"))
    assert eidas.usable_by(persona("pierre"))
    assert not eidas.usable_by(persona("anna"))


def test_key_ring_persists_rotations_and_reports_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    ring = KeyRing.open(path)
    first = ring.kid
    assert KeyRing.open(path).kid == first
    ring.rotate()
    reopened = KeyRing.open(path)
    assert reopened.kid == ring.kid != first
    assert [key["kid"] for key in reopened.public_jwks()["keys"]] == [ring.kid, first]
    path.write_text("{not json")
    with pytest.raises(SigningKeyError, match="delete the file"):
        KeyRing.open(path)
