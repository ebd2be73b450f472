"""The aes128gcm encoder (backend/notifications/channels/ece.py) against http_ece, the
reference implementation (pywebpush's and the push receiver's), and RFC 8291's example."""

from __future__ import annotations

import base64
import os
import struct

import http_ece
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from backend.notifications.channels import ece


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _subscriber() -> tuple[ec.EllipticCurvePrivateKey, bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return key, public, os.urandom(16)


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 200, 3072, ece.MAX_PLAINTEXT])
def test_http_ece_decrypts_what_we_encrypt(size: int) -> None:
    key, public, auth = _subscriber()
    plaintext = os.urandom(size)
    body = ece.encrypt(plaintext, public, auth)
    assert http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm") == (
        plaintext
    )
    assert len(body) <= ece.RECORD_SIZE  # what a push service accepts


def test_header_is_one_record_keyed_by_a_fresh_p256_key() -> None:
    _, public, auth = _subscriber()
    first, second = (ece.encrypt(b"same notice", public, auth) for _ in range(2))
    for body in (first, second):
        rs, idlen = struct.unpack("!IB", body[16:21])
        assert (rs, idlen) == (4096, 65)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), body[21:86])
    # RFC 8291 §3.1: a new key pair (and salt) for every message, never the subscriber's.
    assert first[:16] != second[:16]
    assert first[21:86] != second[21:86]
    assert public not in (first[21:86], second[21:86])
    assert first[86:] != second[86:]


def test_the_auth_secret_is_bound_into_the_key() -> None:
    key, public, auth = _subscriber()
    body = ece.encrypt(b"for this subscription only", public, auth)
    with pytest.raises(http_ece.ECEException):
        http_ece.decrypt(body, private_key=key, auth_secret=os.urandom(16), version="aes128gcm")


def test_refuses_what_does_not_fit_or_is_not_a_subscription() -> None:
    _, public, auth = _subscriber()
    with pytest.raises(ValueError, match="at most"):
        ece.encrypt(b"x" * (ece.MAX_PLAINTEXT + 1), public, auth)
    with pytest.raises(ValueError, match="16 bytes"):
        ece.encrypt(b"x", public, auth[:15])
    with pytest.raises(ValueError, match="uncompressed P-256"):
        ece.encrypt(b"x", public[:33], auth)
    with pytest.raises(ValueError, match="Invalid EC key"):
        ece.encrypt(b"x", b"\x04" + b"\x01" * 64, auth)  # not a point on P-256


def test_rfc8291_appendix_a_example() -> None:
    """The RFC's worked example, byte for byte (given its sender key and salt)."""
    ua_private = ec.derive_private_key(
        int.from_bytes(_b64("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"), "big"),
        ec.SECP256R1(),
    )
    ua_public = _b64(
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
    )
    assert ua_private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint) == (
        ua_public
    )
    sender = ec.derive_private_key(
        int.from_bytes(_b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"), "big"),
        ec.SECP256R1(),
    )
    body = ece._seal(
        b"When I grow up, I want to be a watermelon",
        ua_public,
        _b64("BTBZMqHH6r4Tts7J_aSIgg"),
        sender,
        _b64("DGv6ra1nlYgDCS1FRnbzlw"),
    )
    assert base64.urlsafe_b64encode(body).rstrip(b"=").decode() == (
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYW"
        "AmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgS"
        "xsj_Qulcy4a-fN"
    )
