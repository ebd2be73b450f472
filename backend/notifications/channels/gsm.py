"""SMS length rules: GSM-7 or UCS-2, and how many segments a text is billed as.

A text fits GSM-7 only if every character is in the GSM 03.38 basic set or its extension
table (the extension characters cost two septets). Anything else — Latvian ā č ē ģ ī ķ ļ ņ š ū
ž, Cyrillic, emoji — makes the whole message UCS-2. One segment holds 160 septets (GSM-7) or
70 UTF-16 code units (UCS-2); a longer message is split into segments of 153 or 67, because
each carries a concatenation header. An escape pair or a surrogate pair is never split.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE = {"gsm7": 160, "ucs2": 70}
MULTI = {"gsm7": 153, "ucs2": 67}


class Encoding(StrEnum):
    GSM7 = "gsm7"
    UCS2 = "ucs2"


@dataclass(frozen=True)
class SmsLength:
    encoding: Encoding
    units: int
    """Septets (GSM-7) or UTF-16 code units (UCS-2)."""
    segments: int


class SmsTooLong(ValueError):
    def __init__(self, length: SmsLength, limit: int) -> None:
        super().__init__(
            f"text needs {length.segments} {length.encoding} segments; at most {limit} allowed"
        )
        self.length = length
        self.limit = limit


def encoding_for(text: str) -> Encoding:
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        return Encoding.GSM7
    return Encoding.UCS2


def _unit_sizes(text: str, encoding: Encoding) -> list[int]:
    """The size of each indivisible piece: a character, an escape pair, a surrogate pair."""
    if encoding is Encoding.GSM7:
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def measure(text: str) -> SmsLength:
    encoding = encoding_for(text)
    sizes = _unit_sizes(text, encoding)
    units = sum(sizes)
    if units <= SINGLE[encoding]:
        return SmsLength(encoding, units, 1 if units else 0)
    capacity = MULTI[encoding]
    segments, used = 1, 0
    for size in sizes:
        if used + size > capacity:  # the piece would be split: start the next segment
            segments += 1
            used = 0
        used += size
    return SmsLength(encoding, units, segments)


def check(text: str, max_segments: int) -> SmsLength:
    """The length of `text`; raises SmsTooLong beyond `max_segments`, or for an empty text."""
    length = measure(text)
    if length.segments == 0:
        raise ValueError("an SMS needs some text")
    if length.segments > max_segments:
        raise SmsTooLong(length, max_segments)
    return length
