"""Contact point validation: e-mail and phone numbers, normalised or refused with a reason."""

from __future__ import annotations

import pytest

from backend.notifications.preferences.addresses import (
    InvalidEmail,
    InvalidPhone,
    mask_email,
    mask_phone,
    normalise_email,
    normalise_phone,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("anna@example.lv", "anna@example.lv"),
        ("  Anna.Berzina@Example.LV ", "Anna.Berzina@example.lv"),
        ("a+tag@sub.example.com", "a+tag@sub.example.com"),
        ("jānis@piemērs.lv", None),  # non-ASCII local part: refused
        ("info@piemērs.lv", "info@xn--piemrs-s3a.lv"),  # IDN domain: punycode
    ],
)
def test_email_addresses_are_normalised(typed: str, stored: str | None) -> None:
    if stored is None:
        with pytest.raises(InvalidEmail):
            normalise_email(typed)
    else:
        assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter an e-mail"),
        ("anna", "looks like"),
        ("anna@", "looks like"),
        ("@example.lv", "looks like"),
        ("anna@example", "domain"),
        ("anna@-example.lv", "domain"),
        ("an na@example.lv", "no spaces"),
        ("anna..b@example.lv", "mailbox"),
        ("anna@10.0.0.1", "IP address"),
        ("a" * 65 + "@example.lv", "mailbox"),
        ("anna@" + "x" * 250 + ".lv", "254"),
    ],
)
def test_malformed_email_addresses_get_a_clear_error(typed: str, says: str) -> None:
    with pytest.raises(InvalidEmail) as caught:
        normalise_email(typed)
    assert says in caught.value.message
    assert caught.value.code == "invalid_email"
    assert caught.value.status_code == 400


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+37120000000", "+37120000000"),
        ("+371 2000 0000", "+37120000000"),
        ("20000000", "+37120000000"),
        ("2000-0000", "+37120000000"),
        ("0037126123456", "+37126123456"),
        ("(+44) 7700 900123", "+447700900123"),
        ("+49 151 23456789", "+4915123456789"),
    ],
)
def test_phone_numbers_become_e164(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter a phone"),
        ("2000000", "country code"),  # 7 digits, no prefix: not Latvian, not E.164
        ("+371 2000 000", "8 digits"),
        ("+371 2000 00000", "8 digits"),
        ("67000000", "mobile"),  # a Latvian landline cannot receive SMS
        ("+0123456789", "7 to 15 digits"),
        ("+1234567890123456", "7 to 15 digits"),
        ("+371 2000 000a", "7 to 15 digits"),
    ],
)
def test_malformed_phone_numbers_get_a_clear_error(typed: str, says: str) -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalise_phone(typed)
    assert says in caught.value.message
    assert caught.value.code == "invalid_phone"


def test_masks_hide_most_of_the_address() -> None:
    assert mask_email("anna.berzina@example.lv") == "a***@example.lv"
    assert mask_phone("+37120001234") == "+371 ••• ••234"
