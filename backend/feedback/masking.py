"""Masking personal data in free text before it is stored.

People are asked for no personal data, yet some write it anyway ("my code is 010190-12345,
call me on 29 123 456"). What this finds is replaced by a marker naming what was there, so an
institution reading the comment still understands it. Pure: no I/O, tested in
tests/unit/feedback/test_masking.py.
"""

from __future__ import annotations

import re

PERSONAL_CODE = "[personal code]"
EMAIL = "[e-mail]"
PHONE = "[phone]"

# A Latvian personal code: 6 digits, an optional hyphen, 5 digits (old codes start with the
# birth date, codes issued since 1 July 2017 with 32; the shape is the same).
_PERSONAL_CODE = re.compile(r"(?<![\d])\d{6}\s?[-‐‑–]?\s?\d{5}(?![\d])")
_EMAIL = re.compile(r"[\w.+-]+(?:@|\s?\[at\]\s?)[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# +371 / 00371 and 8 digits, or 8 digits alone as Latvian numbers are written (mobile 2…,
# landline 6…, 8… and 9… service numbers), with optional spaces or hyphens between groups.
_PHONE_INTERNATIONAL = re.compile(r"(?:\+|\b00)\s?371[\s-]?(?:\d[\s-]?){7}\d(?![\d])")
_PHONE_LOCAL = re.compile(r"(?<![\d+])[2689](?:[\s-]?\d){7}(?![\d])")


def mask_personal_data(text: str) -> str:
    """`text` with personal codes, e-mail addresses and phone numbers replaced by markers."""
    # The international form first: +371 and 8 digits is 11 digits, a personal code's length.
    text = _PHONE_INTERNATIONAL.sub(PHONE, text)
    text = _PERSONAL_CODE.sub(PERSONAL_CODE, text)
    text = _EMAIL.sub(EMAIL, text)
    return _PHONE_LOCAL.sub(PHONE, text)
