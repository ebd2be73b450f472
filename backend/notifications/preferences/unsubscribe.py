"""One-click unsubscribe links for e-mail (RFC 8058): a signed token naming the person, the
subject and the category; following it turns that category's e-mail off. Never issued for
legal notices. The token carries ids only and is signed with SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass

from backend.lib.errors import BadInput
from backend.notifications.model import LEGAL_CATEGORIES, USER_CATEGORIES, Category
from backend.settings import Settings

PATH = "/notifications/unsubscribe/"


@dataclass(frozen=True)
class UnsubscribeRequest:
    person_id: uuid.UUID
    subject_key: str
    category: Category


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, body: str) -> str:
    mac = hmac.new(secret.encode(), b"unsubscribe|" + body.encode(), hashlib.sha256)
    return _b64(mac.digest()[:18])


def make_token(secret: str, person_id: uuid.UUID, subject_key: str, category: Category) -> str:
    if category in LEGAL_CATEGORIES or category not in USER_CATEGORIES:
        raise ValueError("legal notices have no unsubscribe link")
    body = _b64(json.dumps([str(person_id), subject_key, category.value]).encode())
    return f"{body}.{_sign(secret, body)}"


def read_token(secret: str, token: str) -> UnsubscribeRequest:
    """The request a token stands for; BadInput if it was not made by us or is malformed."""
    body, _, signature = token.partition(".")
    # Our tokens are base64url: ASCII. hmac.compare_digest refuses other text (TypeError).
    if not body or not signature or len(token) > 400 or not token.isascii():
        raise BadInput("This unsubscribe link is not valid.", code="invalid_unsubscribe")
    if not hmac.compare_digest(signature, _sign(secret, body)):
        raise BadInput("This unsubscribe link is not valid.", code="invalid_unsubscribe")
    try:
        person, subject_key, category = json.loads(_unb64(body))
        request = UnsubscribeRequest(uuid.UUID(person), str(subject_key), Category(category))
    except (ValueError, TypeError):
        raise BadInput("This unsubscribe link is not valid.", code="invalid_unsubscribe") from None
    if request.category in LEGAL_CATEGORIES:
        raise BadInput("Notices of official messages cannot be unsubscribed by link.")
    return request


def unsubscribe_url(
    settings: Settings, person_id: uuid.UUID, subject_key: str, category: Category
) -> str | None:
    if category in LEGAL_CATEGORIES or category not in USER_CATEGORIES:
        return None
    token = make_token(settings.web.secret_key, person_id, subject_key, category)
    return f"{settings.web.public_url}{PATH}{token}"
