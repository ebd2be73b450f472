"""What each kind of notification says, in the person's language, on each channel.

A producer names a kind and gives parameters; the text lives here, as gettext msgids (English
source strings; catalogs for lv and ru come from pwa/locales). Parameters a kind does not
declare are dropped before anything is stored, so e-address notices can carry no message
content even when a producer hands some over: they say only that a message is waiting.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from backend.lib import i18n
from backend.lib.errors import BadInput
from backend.lib.texts import Text
from backend.notifications.model import LANGUAGES, Category

MAX_PARAM_CHARS = 120
MAX_TEXT_PARAM_CHARS = 1000
"""A translatable text (msgid and parameters as JSON) is kept whole or not at all."""
MAX_LONG_PARAM_CHARS = 2000
MAX_PUSH_PAYLOAD_BYTES = 3072
"""Push services accept ~4 KB of ciphertext; 3 KB of plaintext leaves room for the
encryption overhead and keeps the payload a notice, not a document."""


def _(message: str) -> str:
    """Marks a msgid for extraction; translated when rendered."""
    return message


@dataclass(frozen=True)
class Kind:
    category: Category
    title: str
    body: str
    """Push, in-app and e-mail body; may use `{name}` for declared params."""
    sms: str
    """Short text for SMS, prefixed with the product name; `{link}` is the deep link."""
    params: tuple[str, ...] = ()
    urgency: str = "normal"
    keys: tuple[str, ...] = ()
    """Identifiers kept when given but never shown (e.g. the e-address message id, so a sent
    notice can add its "notified" receipt); a short opaque id, not content."""
    """Web Push `Urgency`: very-low | low | normal | high."""
    texts: tuple[str, ...] = ()
    """Params that may carry a translatable `Text` (JSON), rendered in the recipient's
    language; a plain string there is shown as it is."""
    long: tuple[str, ...] = ()
    """Params that may be up to MAX_LONG_PARAM_CHARS long (an institution's body text)."""
    localized: bool = False
    """Texts come whole from params per language (`subject_<lang>`, `body_<lang>`): an
    institution's template, rendered when queued (backend/notifications/institutions)."""
    collapse: bool = False
    """A later notice of this kind for the same subject supersedes an undelivered earlier one
    (Web Push `Topic`): "a message is waiting" twice says nothing new; two deadlines do."""


KINDS: Mapping[str, Kind] = {
    "eaddress.message_received": Kind(
        Category.EADDRESS,
        _("New official message"),
        # Never "log in to read it": the in-app list is read by someone signed in, and names
        # the sender and subject there (eaddress/notice_headers.py); elsewhere no content.
        _("A new official message is waiting in your e-address."),
        _("Vienuviet: a new official message is waiting in your e-address: {link}"),
        urgency="high",
        collapse=True,
        keys=("message_id",),
    ),
    "eaddress.unread_escalation": Kind(
        Category.EADDRESS,
        _("Unread official message"),
        _(
            "An official message is still unread. It counts as delivered on {deemed_delivered_on}, "
            "whether you read it or not."
        ),
        _(
            "Vienuviet: an official message is still unread; it counts as delivered on "
            "{deemed_delivered_on}."
        ),
        params=("deemed_delivered_on",),
        urgency="high",
        keys=("message_id",),
    ),
    "registry.person_declared": Kind(
        Category.REGISTRY_CHANGES,
        _("Someone was declared at your property"),
        _("A person's residence was declared at a property you own. See the details."),
        _("Vienuviet: a residence was declared at your property. Details: {link}"),
    ),
    "obligations.reminder": Kind(
        Category.OBLIGATIONS,
        _("Deadline approaching"),
        _("{title}: due on {due_on}."),
        _("Vienuviet: {title} is due on {due_on}. {link}"),
        params=("title", "due_on"),
        texts=("title",),
    ),
    "benefits.suggestion": Kind(
        Category.BENEFITS,
        _("You may be entitled to a benefit"),
        _("{title} — see whether it applies to you."),
        _("Vienuviet: you may be entitled to {title}. {link}"),
        params=("title",),
        urgency="low",
    ),
    "applications.status_changed": Kind(
        Category.APPLICATIONS,
        _("Your application"),
        _("Your application: {status}. See the case for details."),
        _("Vienuviet: your application: {status}. {link}"),
        params=("status",),
        texts=("status",),
    ),
    "service.news": Kind(
        Category.SERVICE_NEWS,
        _("News from Vienuviet"),
        _("{title}"),
        _("Vienuviet: {title} {link}"),
        params=("title",),
        urgency="very-low",
    ),
    "institution.notice": Kind(
        # The category is the template's (Notice.category); this one is never used.
        Category.SERVICE_NEWS,
        "",
        "",
        _("{sender}: {subject} {link}"),
        params=(*(f"{f}_{lang}" for lang in LANGUAGES for f in ("subject", "body")), "sender"),
        long=tuple(f"body_{lang}" for lang in LANGUAGES),
        localized=True,
    ),
    "account.channel_unhealthy": Kind(
        Category.ACCOUNT,
        _("A notification channel stopped working"),
        _(
            "We could not reach you by {channel} ({target}). Check it in your notification "
            "settings so that you do not miss official notices."
        ),
        _("Vienuviet: we could not reach you by {channel}. Check your settings: {link}"),
        params=("channel", "target"),
        urgency="high",
    ),
    "account.test": Kind(
        Category.ACCOUNT,
        _("Test notification"),
        _("This is the test you asked for. If you can read it, this channel works."),
        _("Vienuviet: this is the test you asked for. This channel works."),
    ),
}


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    sms: str
    link: str
    """Absolute URL."""


def kind_of(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise BadInput(f"Unknown notification kind {name!r}.", code="unknown_kind") from None


def clean_params(kind_name: str, params: Mapping[str, Any]) -> dict[str, str]:
    """Only the parameters `kind_name` declares, as short strings (dates in ISO form)."""
    kind = kind_of(kind_name)
    cleaned: dict[str, str] = {}
    for name in kind.params:
        if name not in params:
            raise BadInput(f"Notification {kind_name} needs the parameter {name!r}.")
        value = params[name]
        if isinstance(value, Text):
            value = value.to_json()
        text = value.isoformat() if isinstance(value, date) else str(value)
        if name in kind.texts and len(text) <= MAX_TEXT_PARAM_CHARS and _text(text) is not None:
            cleaned[name] = text
            continue
        cleaned[name] = text[: MAX_LONG_PARAM_CHARS if name in kind.long else MAX_PARAM_CHARS]
    for name in kind.keys:
        key = params.get(name)
        if isinstance(key, str) and 0 < len(key) <= 64 and key.replace("-", "").isalnum():
            cleaned[name] = key
    return cleaned


@contextmanager
def in_language(language: str) -> Iterator[None]:
    token = i18n.current_language.set(language if language in i18n.LANGUAGES else "lv")
    try:
        yield
    finally:
        i18n.current_language.reset(token)


def _text(value: str) -> Text | None:
    if not value.startswith("{"):
        return None
    try:
        return Text.from_json(value)
    except ValueError:
        return None


def _display(name: str, value: str, texts: tuple[str, ...] = ()) -> str:
    if name in texts:
        text = _text(value)
        if text is not None:
            return text.render()
    if name.endswith("_on"):
        try:
            return i18n.format_date(date.fromisoformat(value))
        except ValueError:
            return value
    if name == "channel":
        return i18n.gettext(CHANNEL_NAMES.get(value, value))
    return value


CHANNEL_NAMES = {
    "push": _("notifications on this device"),
    "email": _("e-mail"),
    "sms": _("text message"),
    "inapp": _("Vienuviet"),
}


def render(kind_name: str, params: Mapping[str, str], link: str, public_url: str) -> Rendered:
    """The texts of one notification in the *current* language (see `in_language`)."""
    kind = kind_of(kind_name)
    url = public_url.rstrip("/") + (link if link.startswith("/") else "/" + link)
    if kind.localized:
        # An institution's own words, already in each language: shown as written (never
        # passed through str.format, so their braces stay braces).
        lang = i18n.current_language.get()
        lang = lang if lang in LANGUAGES else "lv"
        subject, body = params.get(f"subject_{lang}", ""), params.get(f"body_{lang}", "")
        sender = params.get("sender", "")
        return Rendered(
            title=subject,
            body=body,
            sms=i18n.gettext(kind.sms).format(sender=sender, subject=subject, link=url),
            link=url,
        )
    values = {name: _display(name, params.get(name, ""), kind.texts) for name in kind.params}
    return Rendered(
        title=i18n.gettext(kind.title).format(**values),
        body=i18n.gettext(kind.body).format(**values),
        sms=i18n.gettext(kind.sms).format(link=url, **values),
        link=url,
    )


class PayloadTooLarge(BadInput):
    code = "payload_too_large"


def push_payload(rendered: Rendered, *, notification_id: str, category: str, tag: str) -> bytes:
    """The JSON the service worker shows; refused above 3 KB rather than truncated."""
    # A broadcast sends one notice to thousands of people: everything but the id is the
    # same, so it is encoded once (json.dumps per message was ~10 µs in py-spy).
    payload = _payload_head(rendered, category, tag) + json.dumps(notification_id).encode() + b"}"
    if len(payload) > MAX_PUSH_PAYLOAD_BYTES:
        raise PayloadTooLarge(
            f"A push payload may be at most {MAX_PUSH_PAYLOAD_BYTES} bytes; this one is "
            f"{len(payload)}."
        )
    return payload


@lru_cache(maxsize=1024)
def _payload_head(rendered: Rendered, category: str, tag: str) -> bytes:
    """`{"title":…,"category":…,"id":` — the payload up to the id's value."""
    fields = {
        "title": rendered.title,
        "body": rendered.body,
        "url": rendered.link,
        "tag": tag,
        "category": category,
        "id": "",
    }
    encoded = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return encoded.removesuffix('""}').encode()
