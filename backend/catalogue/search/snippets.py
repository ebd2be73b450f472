"""What a result shows: its title and a short passage, with the words that matched marked.

Only the few documents on a result page get here, so passages are chosen at query time: the
sentence of the reader's language that holds the most matched terms (the summary's first
sentences when none does, e.g. for a Russian query shown in Latvian). Highlights are offsets
into the text as written; the page escapes the text and wraps those spans in `<mark>`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

from backend.catalogue.search.analysis import Language, term
from backend.catalogue.search.documents import Document, Field
from backend.catalogue.search.text import fold_in_place, word_at, word_spans

LENGTH: Final = 220  # characters: two lines on a phone
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
# Fields a passage may come from, in the order they are preferred on a tie.
_PASSAGE_FIELDS: Final = (Field.SUMMARY, Field.KEYWORDS, Field.HEADINGS, Field.BODY)


@dataclass(frozen=True, slots=True)
class Marked:
    """A text and the (start, end) spans of its matched words."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()


def mark(
    text: str, terms: Collection[str], language: Language, screen: re.Pattern[str] | None = None
) -> Marked:
    """`text` with every word whose index term is in `terms` highlighted; with `screen`
    (`screen_for(terms)`) only the words it finds are analysed."""
    if screen is None:
        spans = tuple(
            (start, end)
            for start, end, folded in word_spans(text)
            if _matches(folded, terms, language)
        )
        return Marked(text, spans)
    folded = fold_in_place(text)
    found: list[tuple[int, int]] = []
    for match in screen.finditer(folded):
        word = word_at(folded, match.start())
        if word is not None and _matches(word[1], terms, language):
            found.append((match.start(), word[0]))
    return Marked(text, tuple(found))


def _matches(folded: str, terms: Collection[str], language: Language) -> bool:
    if term(folded, language) in terms:
        return True
    parts = folded.replace("‐", "-").replace("‑", "-").split("-")
    return len(parts) > 1 and any(term(part, language) in terms for part in parts)


@dataclass(frozen=True, slots=True)
class PassageSource:
    """A document's candidate sentences in one language, joined into one text so that a
    query's screen runs over all of them in one pass (`passage_source` makes it)."""

    text: str  # the sentences, one per line, folded (`fold_in_place`)
    starts: tuple[int, ...]  # where each sentence starts in `text`
    sentences: tuple[str, ...]
    fallback: str  # shown when no sentence matches: the summary


def passage(
    source: PassageSource, terms: Collection[str], language: Language, screen: re.Pattern[str]
) -> Marked:
    """The best passage of a document for the matched `terms`: the sentence with the most
    distinct matches of `screen` (from `screen_for(terms)`), the earliest on a tie; only that
    sentence is analysed word by word for its highlights."""
    found: dict[int, set[str]] = {}
    for match in screen.finditer(source.text):
        sentence = bisect.bisect_right(source.starts, match.start()) - 1
        found.setdefault(sentence, set()).add(match.group())
    if not found:
        return _shorten(Marked(source.fallback))
    best = max(found, key=lambda sentence: (len(found[sentence]), -sentence))
    return _shorten(mark(source.sentences[best], terms, language, screen))


def screen_for(terms: Collection[str]) -> re.Pattern[str]:
    """A pattern finding any of `terms` at the start of a word in folded text. Stems are the
    beginnings of the folded words they come from (bar a rare English "y" → "i"), so a text it
    does not match has no word to highlight; one it does match is then analysed word by word.
    Plain literals on folded text keep the scan fast (no case or diacritic classes)."""
    if not terms:
        return re.compile(r"(?!)")
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in ordered) + ")")


def passage_source(document: Document, language: Language) -> PassageSource:
    """The sentences a passage may come from, in the order they are preferred on a tie:
    summary, keywords, headings, body."""
    texts = [document.summary.get(language, "")]
    for field in _PASSAGE_FIELDS[1:]:
        texts += [t.text for t in document.texts if t.field is field and t.language == language]
    sentences = tuple(
        sentence.replace("\n", " ")
        for text in texts
        for sentence in _SENTENCE_END.split(text)
        if sentence.strip()
    )
    starts, offset = [], 0
    for sentence in sentences:
        starts.append(offset)
        offset += len(sentence) + 1
    fallback = document.summary.get(language) or document.summary.get("lv", "")
    return PassageSource(fold_in_place("\n".join(sentences)), tuple(starts), sentences, fallback)


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
