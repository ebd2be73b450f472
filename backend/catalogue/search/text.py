"""Turning text into words the index can compare: lower case, folded diacritics, split words.

People often type Latvian without its diacritics ("gimenes arsts" for "ģimenes ārsts"), on
phones and on foreign keyboards. The index therefore compares *folded* words on both sides:
Latvian (and other Latin) letters lose their diacritics, Russian "ё" becomes "е". Cyrillic
"й" keeps its breve — it is a letter of its own, not a decorated "и". Folding conflates a few
Latvian words ("kaza"/"kaža"), which costs search less than missing every diacritic-less query.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator


def _latin_folding_table() -> dict[int, str]:
    """Every precomposed Latin letter (U+00C0–U+024F) mapped to its base letter, lower-cased."""
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        if base and base != char and base.isascii():
            table[code] = base.lower()
    table[ord("ß")] = "ss"
    table[ord("ё")] = "е"
    table[ord("Ё")] = "е"
    return table


_FOLD = _latin_folding_table()


# A word: letters and digits, hyphenated compounds kept together so that "e-adrese" can be
# indexed both whole ("eadrese") and by its parts; a dotted name ("latvija.gov.lv") is one word,
# or every text naming the portal would also say "Latvija".
_WORD = re.compile(r"[^\W_]+(?:[-‐‑.][^\W_]+)*")
# Where a phrase ends: the punctuation between titles' parts, keywords and clauses.
_CLAUSE_END = re.compile(r"[;:,()!?«»„”“\"]|\.(?:\s|$)|\s[–—-]\s")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_HYPHENS = re.compile(r"[-‐‑]")


def fold(text: str) -> str:
    """Lower case without diacritics: "Ģimenes ĀRSTS" → "gimenes arsts"."""
    return text.lower().translate(_FOLD)


def fold_in_place(text: str) -> str:
    """`fold(text)` with every character where it was, so that offsets found in the result
    hold in `text` (for highlights); the rare character whose folding changes the length
    ("İ") is only lower-cased, or kept."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join(f if len(f := fold(char)) == 1 else char for char in text)


def is_cyrillic(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


def words(text: str, *, joined: bool = False) -> Iterator[str]:
    """The folded words of `text`. A hyphenated word yields its parts ("e-adrese" → "e",
    "adrese"), and with `joined` first itself without the hyphen ("eadrese"): the index stores
    both, so a query finds it written either way; a query only needs the parts."""
    for word in _WORD.findall(fold(text)):
        if "." in word:
            yield word
        elif "-" in word or "‐" in word or "‑" in word:
            parts = _HYPHENS.split(word)
            if joined:
                yield "".join(parts)
            yield from parts
        else:
            yield word


def word_at(text: str, start: int) -> tuple[int, str] | None:
    """The end and folded form of the word starting at `start` in `text`, if one does."""
    match = _WORD.match(text, start)
    return (match.end(), fold(match.group())) if match else None


def clauses(text: str) -> list[str]:
    """`text` cut where punctuation ends a phrase: "Pase; jauna pase" → "Pase", " jauna pase"."""
    return [clause for clause in _CLAUSE_END.split(text) if clause.strip()]


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) for each word of `text`, hyphenated words whole; the offsets
    are the original text's (for highlighting)."""
    folded = fold(text)
    if len(folded) == len(text):  # almost always: then offsets in both are the same
        for match in _WORD.finditer(folded):
            yield match.start(), match.end(), match.group()
        return
    for match in _WORD.finditer(text):
        yield match.start(), match.end(), fold(match.group())
