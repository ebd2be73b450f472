"""A Web Push service on loopback, strict like the real ones, for tests and the benchmark.

For every POST to a subscription's endpoint it
- verifies the VAPID `Authorization: vapid t=<JWT>,k=<key>`: `k` must be the application
  server's public key, the ES256 signature must verify with it, `aud` must be this receiver's
  origin, `exp` in the future and at most 24 h ahead, `sub` a mailto: or https: contact —
  otherwise 403, as FCM and Mozilla answer;
- requires `TTL` and `Content-Encoding: aes128gcm`;
- decrypts the body with http_ece and the subscriber keys the test generated;
- answers 201, or what the test scripted for that subscription (410, 429 + Retry-After…).

Run as a process for the benchmark: `python -m tests.push_receiver PORT VAPID_PUBLIC_KEY`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

MAX_EXP_AHEAD_S = 24 * 3600


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Subscriber:
    """A browser's side of one subscription: the keys only it knows."""

    id: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    @property
    def auth_b64(self) -> str:
        return b64url(self.auth)


def derive_subscriber(origin: str, seed: bytes, index: int) -> Subscriber:
    """Deterministic keys for subscriber `index`: the same in every process given `seed`."""
    material = hashlib.sha256(seed + index.to_bytes(4, "big")).digest()
    scalar = int.from_bytes(material, "big") % (2**255) + 1
    key = ec.derive_private_key(scalar, ec.SECP256R1())
    auth = hashlib.sha256(b"auth" + material).digest()[:16]
    sub_id = f"s{index:06d}"
    return Subscriber(sub_id, f"{origin}/push/{sub_id}", key, auth)


@dataclass(frozen=True)
class Reply:
    status: int = 201
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Received:
    subscription: str
    payload: bytes | None
    """Decrypted plaintext (None when decryption is sampled out)."""
    headers: dict[str, str]
    claims: dict[str, Any]
    at: float
    """time.time() on arrival."""


class PushReceiver:
    """The ASGI app. `origin` must be set to the URL it is served at before pushes arrive."""

    def __init__(self, vapid_public_key: str, *, decrypt_every: int = 1) -> None:
        self.vapid_public_key = vapid_public_key
        self.decrypt_every = decrypt_every
        self.origin = ""
        self.subscribers: dict[str, Subscriber] = {}
        self.scripts: dict[str, list[Reply]] = {}
        self.received: list[Received] = []
        self.rejected: list[tuple[str, str]] = []
        self.verified_tokens: dict[str, dict[str, Any]] = {}
        self.verifications = 0
        self._count = 0

    # --- the test's side -------------------------------------------------------------------
    def subscribe(self, seed: bytes | None = None, index: int = 0) -> Subscriber:
        """A new subscriber with fresh keys, or keys derived from (seed, index) so that
        another process (the benchmark) can derive the same ones."""
        subscriber = derive_subscriber(self.origin, seed, index) if seed else None
        if subscriber is None:
            sub_id = secrets.token_hex(8)
            subscriber = Subscriber(
                sub_id,
                f"{self.origin}/push/{sub_id}",
                ec.generate_private_key(ec.SECP256R1()),
                os.urandom(16),
            )
        self.subscribers[subscriber.id] = subscriber
        return subscriber

    def script(self, subscriber: Subscriber, *replies: Reply) -> None:
        """Answer the next pushes to `subscriber` with `replies`, in order, then 201."""
        self.scripts.setdefault(subscriber.id, []).extend(replies)

    def payloads(self, subscriber: Subscriber) -> list[bytes | None]:
        return [r.payload for r in self.received if r.subscription == subscriber.id]

    # --- verification ----------------------------------------------------------------------
    def _verify(self, authorization: str) -> dict[str, Any]:
        """The JWT's claims if the VAPID header is valid; raises ValueError saying why not."""
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError("scheme is not vapid")
        parts = dict(p.strip().split("=", 1) for p in params.split(",") if "=" in p)
        token, key = parts.get("t", ""), parts.get("k", "")
        if key != self.vapid_public_key:
            raise ValueError("k is not the application server's key")
        if token in self.verified_tokens:
            claims = self.verified_tokens[token]
        else:
            claims = self._check_signature(token, key)
            self.verified_tokens[token] = claims
        now = time.time()
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud {claims.get('aud')!r} is not {self.origin!r}")
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp <= now or exp > now + MAX_EXP_AHEAD_S:
            raise ValueError("exp missing, past, or more than 24 h ahead")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            raise ValueError("sub is not a mailto: or https: contact")
        return claims

    def _check_signature(self, token: str, key: str) -> dict[str, Any]:
        self.verifications += 1
        header_b64, payload_b64, signature_b64 = token.split(".")
        header = json.loads(unb64url(header_b64))
        if header.get("alg") != "ES256":
            raise ValueError("alg is not ES256")
        signature = unb64url(signature_b64)
        if len(signature) != 64:
            raise ValueError("signature is not 64 bytes (r||s)")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        try:
            public.verify(der, f"{header_b64}.{payload_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise ValueError("signature does not verify") from None
        claims: dict[str, Any] = json.loads(unb64url(payload_b64))
        return claims

    # --- ASGI ------------------------------------------------------------------------------
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        reply = self._handle(scope, body)
        headers = [(k.lower().encode(), v.encode()) for k, v in reply.headers.items()]
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    def _handle(self, scope: dict[str, Any], body: bytes) -> Reply:
        path: str = scope["path"]
        sub_id = path.removeprefix("/push/")
        subscriber = self.subscribers.get(sub_id)
        if scope["method"] != "POST" or subscriber is None:
            return Reply(404)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        try:
            claims = self._verify(headers.get("authorization", ""))
            if "ttl" not in headers or not headers["ttl"].isdigit():
                raise ValueError("TTL header missing")
            if headers.get("content-encoding") != "aes128gcm":
                raise ValueError("Content-Encoding is not aes128gcm")
        except ValueError as exc:
            self.rejected.append((sub_id, str(exc)))
            return Reply(403 if "aud" in str(exc) or "k " in str(exc) else 400)
        script = self.scripts.get(sub_id)
        if script:
            reply = script.pop(0)
            if reply.status >= 300:
                return reply
        self._count += 1
        payload = None
        if self._count % self.decrypt_every == 0:
            try:
                payload = http_ece.decrypt(
                    body,
                    private_key=subscriber.private_key,
                    auth_secret=subscriber.auth,
                    version="aes128gcm",
                )
            except http_ece.ECEException as exc:
                self.rejected.append((sub_id, f"payload does not decrypt: {exc}"))
                return Reply(400)
        self.received.append(Received(sub_id, payload, headers, claims, time.time()))
        return Reply(201, {"Location": f"{self.origin}/message/{secrets.token_hex(6)}"})


class BenchReceiver(PushReceiver):
    """The benchmark's receiver process: subscribers derived from a seed, decryption of a
    sample (every `decrypt_every`-th push, each checked to be the JSON the engine sends),
    arrival times per subscription, and `GET /stats` to read them."""

    def __init__(
        self, public_key: str, origin: str, seed: bytes, count: int, every: int, lose_every: int = 0
    ) -> None:
        super().__init__(public_key, decrypt_every=every)
        self.origin = origin
        for index in range(count):
            self.subscribe(seed, index)
        self.arrivals: dict[str, float] = {}
        self.decrypted = 0
        self.lose_every = lose_every
        """Acknowledge every n-th valid push and then forget it, as a push service that loses
        messages would: proves the benchmark notices (0: lose nothing)."""
        self._valid = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == "/count":
            body = json.dumps({"pushes": self._count}).encode()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": body})
            return
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == "/stats":
            body = json.dumps(
                {
                    "received": len(self.arrivals),
                    "pushes": self._count,
                    "decrypted": self.decrypted,
                    "rejected": [reason for _, reason in self.rejected[:10]],
                    "rejections": len(self.rejected),
                    "verifications": self.verifications,
                    "arrivals": self.arrivals,
                }
            ).encode()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": body})
            return
        await super().__call__(scope, receive, send)

    def _handle(self, scope: dict[str, Any], body: bytes) -> Reply:
        reply = super()._handle(scope, body)
        if reply.status == 201:
            last = self.received.pop()  # keep memory flat over 10,000s of pushes
            self._valid += 1
            if self.lose_every and self._valid % self.lose_every == 0:
                self._count -= 1  # accepted, and never seen again
                return reply
            self.arrivals.setdefault(last.subscription, last.at)
            if last.payload is not None:
                if "title" not in json.loads(last.payload):
                    raise ValueError("payload is not the engine's notification JSON")
                self.decrypted += 1
        return reply


def main() -> None:  # pragma: no cover - the benchmark's receiver process
    """`python -m tests.push_receiver PORT VAPID_PUBLIC_KEY SEED COUNT DECRYPT_EVERY [CERT KEY]`
    (with CERT and KEY it serves https://, as every real push service does).
    `PUSH_RECEIVER_LOSE_EVERY=N` in the environment makes it lose every N-th push (tests of the
    benchmark's own accounting)."""
    import sys

    import uvicorn

    port, public_key, seed, count, every = sys.argv[1:6]
    tls = sys.argv[6:8]
    scheme = "https" if tls else "http"
    lose_every = int(os.environ.get("PUSH_RECEIVER_LOSE_EVERY") or 0)
    app = BenchReceiver(
        public_key,
        f"{scheme}://127.0.0.1:{port}",
        seed.encode(),
        int(count),
        int(every),
        lose_every,
    )
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(port),
        log_config=None,
        access_log=False,
        lifespan="on",
        http="httptools",
        backlog=4096,
        ssl_certfile=tls[0] if tls else None,
        ssl_keyfile=tls[1] if tls else None,
    )


if __name__ == "__main__":  # pragma: no cover
    main()
