"""Validation of contact points: e-mail addresses and phone numbers, with clear errors.

Phones are kept in E.164 (`+37120000000`). Latvian numbers may be typed without the country
code (8 digits) and with spaces or dashes; SMS goes to mobile numbers only, which in Latvia
start with 2.
"""

from __future__ import annotations

import re

from backend.lib.errors import BadInput

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_PHONE_JUNK = re.compile(r"[\s().-]")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


class InvalidEmail(BadInput):
    code = "invalid_email"


class InvalidPhone(BadInput):
    code = "invalid_phone"


def normalise_email(value: str) -> str:
    """`Anna@Example.LV ` → `Anna@example.lv`; raises InvalidEmail with a reason a person can
    act on. The local part keeps its case (it may matter to the receiving server)."""
    raw = value.strip()
    if not raw:
        raise InvalidEmail("Enter an e-mail address.")
    if len(raw) > 254 or any(ord(ch) < 33 or ord(ch) == 127 for ch in raw):
        raise InvalidEmail("An e-mail address has no spaces and at most 254 characters.")
    local, at, domain = raw.rpartition("@")
    if not at or not local or not domain:
        raise InvalidEmail("An e-mail address looks like name@example.lv.")
    if len(local) > 64 or not _LOCAL.match(local):
        raise InvalidEmail("The part before @ is not a valid mailbox name.")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidEmail("The part after @ is not a valid domain name.") from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise InvalidEmail("The part after @ is not a valid domain name.")
    if labels[-1].isdigit():
        raise InvalidEmail("The part after @ must be a domain name, not an IP address.")
    return f"{local}@{ascii_domain}"


def normalise_phone(value: str) -> str:
    """A phone number in E.164. Accepts `+371 2000 0000`, `0037120000000` and `20000000`;
    raises InvalidPhone saying what is wrong."""
    raw = _PHONE_JUNK.sub("", value.strip())
    if not raw:
        raise InvalidPhone("Enter a phone number.")
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if re.fullmatch(r"\d{8}", raw):
        raw = "+371" + raw  # a Latvian number typed without the country code
    if not raw.startswith("+"):
        raise InvalidPhone(
            "Enter the number with its country code, e.g. +371 2000 0000, "
            "or a Latvian number of 8 digits."
        )
    if not _E164.match(raw):
        raise InvalidPhone("A phone number has a country code and 7 to 15 digits.")
    if raw.startswith("+371"):
        national = raw[4:]
        if len(national) != 8:
            raise InvalidPhone("A Latvian number has 8 digits after +371.")
        if not national.startswith("2"):
            raise InvalidPhone("Text messages need a Latvian mobile number (it starts with 2).")
    return raw


def mask_email(address: str) -> str:
    """`anna.berzina@example.lv` → `a***@example.lv`: for screens, never for logs."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_phone(number: str) -> str:
    """`+37120001234` → `+371 ••• ••234`."""
    return f"{number[:4]} ••• ••{number[-3:]}"
