"""OpenID Connect relying party: authorization code flow with PKCE, against any provider.

Authlib's `AsyncOAuth2Client` builds the authorization URL and performs the token exchange
(client_secret_basic or private_key_jwt); joserfc verifies the ID token. Everything the
provider says is checked: the RFC 9207 `iss` response parameter (when advertised), and the ID
token's signature (JWKS cached, refetched once on an unknown key id), issuer, audience,
authorised party, expiry, issue time and nonce.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from backend.auth.assurance import Level, level_from_acr
from backend.settings import AuthSettings, OIDCSettings
from integrations._authlib import AsyncOAuth2Client

METADATA_TTL_S = 3600
JWKS_TTL_S = 3600
CLOCK_LEEWAY_S = 60
ID_TOKEN_ALGORITHMS = ["RS256", "PS256", "ES256"]


class LoginFailed(Exception):
    """The login cannot be completed; `reason` is a short code safe to log and show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    end_session_endpoint: str | None
    iss_parameter_supported: bool


@dataclass(frozen=True)
class PendingLogin:
    """What we must remember between sending the person away and their return."""

    state: str
    nonce: str
    code_verifier: str
    next_path: str
    created_at: float


@dataclass(frozen=True)
class Identity:
    """Who the provider says logged in, after every check passed."""

    issuer: str
    sub: str
    personal_code: str | None
    eidas_id: str | None
    given_name: str
    family_name: str
    level: Level
    locale: str | None
    id_token: str
    birth_date: date | None = None


class OIDCClient:
    def __init__(
        self, oidc: OIDCSettings, auth: AuthSettings, redirect_uri: str, http: httpx.AsyncClient
    ) -> None:
        self.oidc = oidc
        self.auth = auth
        self.redirect_uri = redirect_uri
        self.http = http
        self._metadata: tuple[float, ProviderMetadata] | None = None
        self._jwks: tuple[float, KeySet] | None = None

    async def metadata(self) -> ProviderMetadata:
        if self._metadata and time.monotonic() - self._metadata[0] < METADATA_TTL_S:
            return self._metadata[1]
        url = f"{self.oidc.issuer}/.well-known/openid-configuration"
        try:
            response = await self.http.get(url)
            response.raise_for_status()
            doc = response.json()
        except (httpx.HTTPError, ValueError):
            raise LoginFailed("provider_unreachable") from None
        if not isinstance(doc, dict) or doc.get("issuer") != self.oidc.issuer:
            # OIDC Discovery §4.3: the issuer in the document must be the one we asked.
            raise LoginFailed("provider_metadata_invalid")
        try:
            metadata = ProviderMetadata(
                issuer=doc["issuer"],
                authorization_endpoint=doc["authorization_endpoint"],
                token_endpoint=doc["token_endpoint"],
                jwks_uri=doc["jwks_uri"],
                userinfo_endpoint=doc.get("userinfo_endpoint"),
                end_session_endpoint=doc.get("end_session_endpoint"),
                iss_parameter_supported=bool(
                    doc.get("authorization_response_iss_parameter_supported", False)
                ),
            )
        except KeyError:
            raise LoginFailed("provider_metadata_invalid") from None
        self._metadata = (time.monotonic(), metadata)
        return metadata

    async def _keys(self, *, refresh: bool = False) -> KeySet:
        if not refresh and self._jwks and time.monotonic() - self._jwks[0] < JWKS_TTL_S:
            return self._jwks[1]
        metadata = await self.metadata()
        try:
            response = await self.http.get(metadata.jwks_uri)
            response.raise_for_status()
            keys = KeySet.import_key_set(response.json())
        except (httpx.HTTPError, ValueError, JoseError):
            raise LoginFailed("provider_keys_unavailable") from None
        self._jwks = (time.monotonic(), keys)
        return keys

    def _oauth_client(self) -> AsyncOAuth2Client:
        private_key_jwt = self.auth.token_auth_method == "private_key_jwt"  # noqa: S105
        client = AsyncOAuth2Client(
            client_id=self.oidc.client_id,
            # For private_key_jwt Authlib signs the client assertion with this "secret".
            client_secret=self.auth.client_private_key
            if private_key_jwt
            else self.oidc.client_secret,
            token_endpoint_auth_method=self.auth.token_auth_method,
            redirect_uri=self.redirect_uri,
            scope="openid profile",
            code_challenge_method="S256",
            timeout=10,
        )
        if private_key_jwt:
            client.register_client_auth_method(PrivateKeyJWT())
        return client

    async def start(
        self, next_path: str, *, acr_values: str | None = None, prompt: str | None = None
    ) -> tuple[PendingLogin, str]:
        """A new pending login and the provider URL to send the person to."""
        metadata = await self.metadata()
        pending = PendingLogin(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64),
            next_path=next_path,
            created_at=time.time(),
        )
        extra: dict[str, str] = {"nonce": pending.nonce}
        if acr_values:
            extra["acr_values"] = acr_values
        if prompt:
            extra["prompt"] = prompt
        async with self._oauth_client() as client:
            url, _ = client.create_authorization_url(
                metadata.authorization_endpoint,
                state=pending.state,
                code_verifier=pending.code_verifier,
                **extra,
            )
        return pending, str(url)

    async def finish(self, pending: PendingLogin, params: dict[str, str]) -> Identity:
        """Check the callback, exchange the code and verify the ID token."""
        if "error" in params:
            raise LoginFailed(_safe_code(params["error"]))
        # As bytes: compare_digest raises TypeError for text with letters beyond ASCII.
        sent_state = params.get("state", "").encode()
        if not secrets.compare_digest(sent_state, pending.state.encode()):
            raise LoginFailed("state_mismatch")
        metadata = await self.metadata()
        returned_iss = params.get("iss")
        if metadata.iss_parameter_supported and returned_iss is None:
            raise LoginFailed("iss_missing")
        if returned_iss is not None and returned_iss != metadata.issuer:
            raise LoginFailed("iss_mismatch")  # RFC 9207: a mix-up attack or a misconfiguration
        code = params.get("code")
        if not code:
            raise LoginFailed("code_missing")
        token = await self._exchange(metadata, code, pending)
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise LoginFailed("id_token_missing")
        claims = await self._verify_id_token(metadata, id_token, pending.nonce)
        if metadata.userinfo_endpoint and isinstance(token.get("access_token"), str):
            claims = {**await self._userinfo(metadata, token["access_token"], claims), **claims}
        return self._identity(metadata, claims, id_token)

    async def _exchange(
        self, metadata: ProviderMetadata, code: str, pending: PendingLogin
    ) -> dict[str, Any]:
        async with self._oauth_client() as client:
            try:
                token = await client.fetch_token(
                    metadata.token_endpoint,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=pending.code_verifier,
                    redirect_uri=self.redirect_uri,
                )
            except Exception:  # Authlib raises OAuthError, httpx errors, or ValueError
                raise LoginFailed("token_exchange_failed") from None
        return dict(token)

    async def _verify_id_token(
        self, metadata: ProviderMetadata, id_token: str, nonce: str
    ) -> dict[str, Any]:
        keys = await self._keys()
        try:
            try:
                decoded = jwt.decode(id_token, keys, algorithms=ID_TOKEN_ALGORITHMS)
            except InvalidKeyIdError:
                # The provider may have rotated its keys since we cached them: refetch once.
                keys = await self._keys(refresh=True)
                decoded = jwt.decode(id_token, keys, algorithms=ID_TOKEN_ALGORITHMS)
        except InvalidKeyIdError:
            raise LoginFailed("id_token_unknown_key") from None
        except (JoseError, ValueError):
            raise LoginFailed("id_token_bad_signature") from None
        claims = decoded.claims
        registry = jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY_S,
            iss={"essential": True, "value": metadata.issuer},
            sub={"essential": True},
            aud={"essential": True, "value": self.oidc.client_id},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(claims)
        except JoseError as exc:
            claim = getattr(exc, "claim", None) or "claims"
            raise LoginFailed(f"id_token_invalid_{_safe_code(str(claim))}") from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.oidc.client_id:
            raise LoginFailed("id_token_invalid_azp")
        if float(claims["iat"]) > time.time() + CLOCK_LEEWAY_S:
            raise LoginFailed("id_token_invalid_iat")
        return dict(claims)

    async def _userinfo(
        self, metadata: ProviderMetadata, access_token: str, id_claims: dict[str, Any]
    ) -> dict[str, Any]:
        assert metadata.userinfo_endpoint is not None
        try:
            response = await self.http.get(
                metadata.userinfo_endpoint, headers={"Authorization": f"Bearer {access_token}"}
            )
            response.raise_for_status()
            info = response.json()
        except (httpx.HTTPError, ValueError):
            return {}  # the ID token already holds what we must have; userinfo only adds
        if not isinstance(info, dict) or info.get("sub") != id_claims["sub"]:
            raise LoginFailed("userinfo_subject_mismatch")  # OIDC Core §5.3.2
        return info

    def _identity(
        self, metadata: ProviderMetadata, claims: dict[str, Any], id_token: str
    ) -> Identity:
        personal_code = claims.get(self.oidc.person_code_claim)
        eidas_id = claims.get("eidas_person_identifier")
        return Identity(
            issuer=metadata.issuer,
            sub=str(claims["sub"]),
            personal_code=personal_code if isinstance(personal_code, str) else None,
            eidas_id=eidas_id if isinstance(eidas_id, str) else None,
            given_name=str(claims.get("given_name") or ""),
            family_name=str(claims.get("family_name") or ""),
            level=level_from_acr(claims.get("acr")),
            locale=claims.get("locale") if isinstance(claims.get("locale"), str) else None,
            id_token=id_token,
            birth_date=_birthdate(claims.get("birthdate")),
        )

    async def end_session_url(self, id_token: str | None, post_logout_uri: str) -> str | None:
        """RP-initiated logout at the provider, when it advertises an end-session endpoint."""
        try:
            metadata = await self.metadata()
        except LoginFailed:
            return None
        if not metadata.end_session_endpoint:
            return None
        params = {"client_id": self.oidc.client_id, "post_logout_redirect_uri": post_logout_uri}
        if id_token:
            params["id_token_hint"] = id_token
        separator = "&" if "?" in metadata.end_session_endpoint else "?"
        return f"{metadata.end_session_endpoint}{separator}{urlencode(params)}"


def _birthdate(value: object) -> date | None:
    """OIDC `birthdate` is YYYY-MM-DD (or 0000-MM-DD / YYYY when parts are withheld)."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _safe_code(value: str) -> str:
    """Provider-supplied text reduced to a short code safe to log and to show."""
    cleaned = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in value.lower())
    return cleaned[:40] or "unknown"
