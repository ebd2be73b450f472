"""Web Push message encryption (RFC 8291) in the aes128gcm content coding (RFC 8188).

Written on `cryptography` directly instead of through pywebpush → http_ece, which spent
~320 µs per message (measured): a `WebPusher` per message (a deepcopy of the subscription),
PEM-free but object-heavy key handling, an HKDF object per derivation and a per-record loop
for what is always one record. The cryptography itself is unchanged and is what remains:
one P-256 key pair generation and one ECDH per message (RFC 8291 §2 and §3.1: the
application server generates a new ECDH key pair for every push message, and a random
16-byte salt; neither is ever reused here), three HKDF-SHA-256 derivations (each a single
HMAC block, done with `hmac.digest`) and one AES-128-GCM seal.

A push message is a single record (RFC 8291 §4): header (salt, rs, keyid = the sender's
public key) followed by the record, whose plaintext ends with the 0x02 "last record"
delimiter and no padding. tests/unit/test_push_ece.py decrypts what this produces with
http_ece, the reference implementation the push receiver uses too.
"""

from __future__ import annotations

import hmac
import os
import struct

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

RECORD_SIZE = 4096
"""The `rs` header field: the largest record a push service must accept (RFC 8291 §4)."""
HEADER_BYTES = 16 + 4 + 1 + 65
TAG_BYTES = 16
MAX_PLAINTEXT = RECORD_SIZE - HEADER_BYTES - TAG_BYTES - 1
"""3,993 bytes: header, tag and delimiter must fit the 4,096 bytes a push service accepts."""

_CURVE = ec.SECP256R1()
_ECDH = ec.ECDH()
_KEY_INFO = b"WebPush: info\x00"
_CEK_INFO = b"Content-Encoding: aes128gcm\x00\x01"
_NONCE_INFO = b"Content-Encoding: nonce\x00\x01"


def _hkdf_one_block(salt: bytes, ikm: bytes, info_and_counter: bytes) -> bytes:
    """HKDF-SHA-256 (RFC 5869) for outputs of at most 32 bytes: extract, then the first
    expand block T(1) = HMAC(PRK, info || 0x01); callers truncate."""
    prk = hmac.digest(salt, ikm, "sha256")
    return hmac.digest(prk, info_and_counter, "sha256")


def encrypt(plaintext: bytes, ua_public: bytes, auth_secret: bytes) -> bytes:
    """The aes128gcm body of one push message to the subscription (`p256dh`, `auth`),
    decoded to bytes. Raises ValueError for a key that is not a P-256 point, a secret that
    is not 16 bytes, or a plaintext that does not fit one record."""
    if len(plaintext) > MAX_PLAINTEXT:
        raise ValueError(f"a push message holds at most {MAX_PLAINTEXT} bytes")
    if len(auth_secret) != 16:
        raise ValueError("the subscription's auth secret must be 16 bytes")
    if len(ua_public) != 65:
        raise ValueError("the subscription's p256dh must be an uncompressed P-256 point")
    sender = ec.generate_private_key(_CURVE)  # fresh for every message: RFC 8291 §3.1
    return _seal(plaintext, ua_public, auth_secret, sender, os.urandom(16))


def _seal(
    plaintext: bytes,
    ua_public: bytes,
    auth_secret: bytes,
    sender: ec.EllipticCurvePrivateKey,
    salt: bytes,
) -> bytes:
    """The encryption proper, given the sender's key pair and the salt. Only `encrypt`
    (fresh ones, every call) and the RFC 8291 Appendix A test vector call it."""
    receiver = ec.EllipticCurvePublicKey.from_encoded_point(_CURVE, ua_public)
    as_public = sender.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    ecdh_secret = sender.exchange(_ECDH, receiver)
    # RFC 8291 §3.3/§3.4: IKM = HKDF(salt=auth_secret, IKM=ecdh_secret,
    #                                info="WebPush: info" 0x00 ua_public as_public, L=32)
    ikm = _hkdf_one_block(auth_secret, ecdh_secret, _KEY_INFO + ua_public + as_public + b"\x01")
    # RFC 8188 §2.2/§2.3: CEK (16 bytes) and NONCE (12) from the salt; one PRK for both.
    prk = hmac.digest(salt, ikm, "sha256")
    cek = hmac.digest(prk, _CEK_INFO, "sha256")[:16]
    nonce = hmac.digest(prk, _NONCE_INFO, "sha256")[:12]  # record 0: nonce XOR 0
    record = AESGCM(cek).encrypt(nonce, plaintext + b"\x02", None)
    return salt + struct.pack("!IB", RECORD_SIZE, len(as_public)) + as_public + record
