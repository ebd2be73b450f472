"""The vocabulary of the notification centre: categories, channels and the default matrix.

Pure data, no I/O: the decision function, the preference service and the tests share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Category(StrEnum):
    EADDRESS = "eaddress"
    """New official e-address messages and their escalations: legal notices."""
    OBLIGATIONS = "obligations"
    """Deadlines and obligations (taxes, documents, reports)."""
    BENEFITS = "benefits"
    """Benefits and opportunities one may be entitled to."""
    REGISTRY_CHANGES = "registry_changes"
    """Changes in my registry data (e.g. a person declared at my property)."""
    SERVICE_NEWS = "service_news"
    """News about Vienuviet itself."""
    APPLICATIONS = "applications"
    """My applications: a status change, a prepared application, a decision."""
    ACCOUNT = "account"
    """About the notification set-up itself (a channel stopped working, a test message).
    Not a user preference: always in-app, plus one healthy channel."""


class Channel(StrEnum):
    PUSH = "push"
    EMAIL = "email"
    SMS = "sms"
    INAPP = "inapp"


USER_CATEGORIES: tuple[Category, ...] = (
    Category.EADDRESS,
    Category.OBLIGATIONS,
    Category.BENEFITS,
    Category.REGISTRY_CHANGES,
    Category.SERVICE_NEWS,
    Category.APPLICATIONS,
)
"""The categories a person chooses channels for."""

CHANNELS: tuple[Channel, ...] = (Channel.PUSH, Channel.EMAIL, Channel.SMS, Channel.INAPP)

OUTREACH: frozenset[Channel] = frozenset({Channel.PUSH, Channel.EMAIL, Channel.SMS})
"""Channels that reach a person who is not looking at Vienuviet. In-app alone is not a
notice: someone who never logs in never sees it (the 2024 lesson)."""

INTERRUPTING: frozenset[Channel] = frozenset({Channel.PUSH, Channel.SMS})
"""Channels that buzz a phone: held back during quiet hours. E-mail and in-app wait
quietly for the person and are never deferred."""

LEGAL_CATEGORIES: frozenset[Category] = frozenset({Category.EADDRESS})
"""Legal notices: never unsubscribable by one click, reported when undeliverable."""

MANDATORY: frozenset[tuple[Category, Channel]] = frozenset({(Category.EADDRESS, Channel.INAPP)})
"""Cannot be switched off: the in-app notice of a new official message is the mailbox."""

_ON = True
_OFF = False

DEFAULTS: Mapping[tuple[Category, Channel], bool] = MappingProxyType(
    {
        # Legal notices reach a person wherever they can be reached, except by SMS (costly,
        # and a phone number is often given for other reasons); SMS is one switch away.
        (Category.EADDRESS, Channel.INAPP): _ON,
        (Category.EADDRESS, Channel.PUSH): _ON,
        (Category.EADDRESS, Channel.EMAIL): _ON,
        (Category.EADDRESS, Channel.SMS): _OFF,
        # Deadlines matter almost as much: the same, SMS off.
        (Category.OBLIGATIONS, Channel.INAPP): _ON,
        (Category.OBLIGATIONS, Channel.PUSH): _ON,
        (Category.OBLIGATIONS, Channel.EMAIL): _ON,
        (Category.OBLIGATIONS, Channel.SMS): _OFF,
        # Benefits are worth reading but never urgent: in-app and e-mail, no buzzing.
        (Category.BENEFITS, Channel.INAPP): _ON,
        (Category.BENEFITS, Channel.PUSH): _OFF,
        (Category.BENEFITS, Channel.EMAIL): _ON,
        (Category.BENEFITS, Channel.SMS): _OFF,
        # A change in my registry data (someone declared at my flat) deserves a push.
        (Category.REGISTRY_CHANGES, Channel.INAPP): _ON,
        (Category.REGISTRY_CHANGES, Channel.PUSH): _ON,
        (Category.REGISTRY_CHANGES, Channel.EMAIL): _OFF,
        (Category.REGISTRY_CHANGES, Channel.SMS): _OFF,
        # Service news: nothing unless asked for.
        (Category.SERVICE_NEWS, Channel.INAPP): _OFF,
        (Category.SERVICE_NEWS, Channel.PUSH): _OFF,
        (Category.SERVICE_NEWS, Channel.EMAIL): _OFF,
        (Category.SERVICE_NEWS, Channel.SMS): _OFF,
        # My applications: the person is waiting for the answer; a push and an e-mail.
        (Category.APPLICATIONS, Channel.INAPP): _ON,
        (Category.APPLICATIONS, Channel.PUSH): _ON,
        (Category.APPLICATIONS, Channel.EMAIL): _ON,
        (Category.APPLICATIONS, Channel.SMS): _OFF,
    }
)

DEFAULT_QUIET_START_MIN = 22 * 60
"""Quiet hours start at 22:00 Riga time unless the person chooses otherwise."""
DEFAULT_QUIET_END_MIN = 7 * 60
"""…and end at 07:00."""

LANGUAGES: tuple[str, ...] = ("lv", "en", "ru")


def is_legal(category: Category) -> bool:
    return category in LEGAL_CATEGORIES


def default_enabled(category: Category, channel: Channel) -> bool:
    if category is Category.ACCOUNT:
        return channel is Channel.INAPP
    return DEFAULTS[(category, channel)]
