"""The unread-mail count agrees with its number in Latvian and Russian (issue 15): Latvian
takes the singular after numbers ending in 1 except 11, Russian has three forms."""

from __future__ import annotations

import pytest

from backend.lib import i18n

SINGULAR, PLURAL = "%(num)d unread message", "%(num)d unread messages"


def said(language: str, n: int) -> str:
    token = i18n.current_language.set(language)
    try:
        return i18n.ngettext(SINGULAR, PLURAL, n) % {"num": n}
    finally:
        i18n.current_language.reset(token)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1 nelasīta vēstule"),
        (2, "2 nelasītas vēstules"),
        (10, "10 nelasītas vēstules"),
        (11, "11 nelasītas vēstules"),
        (21, "21 nelasīta vēstule"),
        (111, "111 nelasītas vēstules"),
    ],
)
def test_latvian(n: int, text: str) -> None:
    assert said("lv", n) == text


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1 непрочитанное письмо"),
        (2, "2 непрочитанных письма"),
        (5, "5 непрочитанных писем"),
        (11, "11 непрочитанных писем"),
        (21, "21 непрочитанное письмо"),
        (24, "24 непрочитанных письма"),
    ],
)
def test_russian(n: int, text: str) -> None:
    assert said("ru", n) == text


def test_english() -> None:
    assert (said("en", 1), said("en", 2)) == ("1 unread message", "2 unread messages")
