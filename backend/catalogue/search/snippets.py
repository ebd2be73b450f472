"""What a result shows: its title and a short passage, with the words that matched marked.

Only the few documents on a result page get here, so passages are chosen at query time: the
sentence of the reader's language that holds the most matched terms (the summary's first
sentences when none does, e.g. for a Russian query shown in Latvian). Highlights are offsets
into the text as written; the page escapes the text and wraps those spans in `<mark>`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Final

from backend.catalogue.search.analysis import Language, term
from backend.catalogue.search.documents import Document, Field
from backend.catalogue.search.text import unfolding_pattern, word_spans

LENGTH: Final = 220  # characters: two lines on a phone
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
# Fields a passage may come from, in the order they are preferred on a tie.
_PASSAGE_FIELDS: Final = (Field.SUMMARY, Field.KEYWORDS, Field.HEADINGS, Field.BODY)


@dataclass(frozen=True, slots=True)
class Marked:
    """A text and the (start, end) spans of its matched words."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()


def mark(text: str, terms: Collection[str], language: Language) -> Marked:
    """`text` with every word whose index term is in `terms` highlighted."""
    spans = tuple(
        (start, end) for start, end, folded in word_spans(text) if _matches(folded, terms, language)
    )
    return Marked(text, spans)


def _matches(folded: str, terms: Collection[str], language: Language) -> bool:
    if term(folded, language) in terms:
        return True
    parts = folded.replace("‐", "-").replace("‑", "-").split("-")
    return len(parts) > 1 and any(term(part, language) in terms for part in parts)


def passage(
    document: Document, terms: Collection[str], language: Language, screen: re.Pattern[str]
) -> Marked:
    """The best passage of `document` in `language` for the matched `terms`. `screen` (from
    `screen_for(terms)`) passes over texts and sentences that hold none of them cheaply."""
    best, most = "", 0
    for text in _texts(document, language):
        if not screen.search(text):
            continue
        for sentence in _SENTENCE_END.split(text):
            # The screen's count ranks sentences; only the chosen one is analysed.
            found = len(set(screen.findall(sentence.lower())))
            if found > most:
                best, most = sentence, found
    if not best:
        summary = document.summary.get(language) or document.summary.get("lv", "")
        return _shorten(Marked(summary))
    return _shorten(mark(best, terms, language))


def screen_for(terms: Collection[str]) -> re.Pattern[str]:
    """A pattern finding any of `terms` at the start of a word in text as written, with or
    without diacritics. Stems are the beginnings of the words they come from (bar a rare
    English "y" → "i"), so a text it does not match has no word to highlight; one it does
    match is then analysed word by word."""
    if not terms:
        return re.compile(r"(?!)")
    ordered = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(unfolding_pattern(t) for t in ordered)
    return re.compile(rf"\b(?:{alternatives})", re.IGNORECASE)


def _texts(document: Document, language: Language) -> Iterable[str]:
    for field in _PASSAGE_FIELDS:
        if field is Field.SUMMARY:
            yield document.summary.get(language, "")
        else:
            yield from (
                t.text for t in document.texts if t.field is field and t.language == language
            )


def _shorten(marked: Marked) -> Marked:
    """At most `LENGTH` characters, cut at a word boundary around the first highlight."""
    text = marked.text
    if len(text) <= LENGTH:
        return marked
    first = marked.highlights[0][0] if marked.highlights else 0
    start = 0 if first < LENGTH // 2 else text.rfind(" ", 0, first - LENGTH // 3) + 1
    end = text.rfind(" ", start, start + LENGTH)
    end = start + LENGTH if end <= start else end
    prefix = "…" if start > 0 else ""
    shortened = prefix + text[start:end] + "…"
    shift = len(prefix) - start
    spans = tuple((s + shift, e + shift) for s, e in marked.highlights if s >= start and e <= end)
    return Marked(shortened, spans)
