"""What the search index reads: one `Document` per service or life situation.

The index does not know where entries come from. `from_catalogue` makes documents from the
reviewed files' structs (`backend.catalogue.model`); a database-backed loader makes the same
documents from its rows. A document carries its texts by *field*, each field with its own
weight in the ranking (a word in the title says more than one in a step), and by language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Literal

import msgspec

from backend.catalogue.model import Institution, LifeSituation, Service, ShortTitle, Text
from backend.catalogue.search.analysis import as_language

Kind = Literal["service", "life_situation"]


class Field(StrEnum):
    TITLE = "title"
    KEYWORDS = "keywords"  # the entry's everyday words, as its writers listed them
    HEADINGS = "headings"  # a life situation's event and step titles
    SUMMARY = "summary"
    BODY = "body"  # eligibility, requirements, steps
    DETAILS = "details"  # cost, duration, channels, legal acts, the institution's name


class FieldText(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    field: Field
    language: Literal["lv", "en", "ru"]
    text: str


class Document(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A searchable entry. `title` and `summary` (language → text) are indexed as fields
    of their own and shown in results; `texts` holds everything else."""

    id: str
    kind: Kind
    title: dict[str, str]
    summary: dict[str, str]
    texts: list[FieldText] = msgspec.field(default_factory=list)
    filler: bool = False

    def all_texts(self) -> Iterator[FieldText]:
        """Every indexed text, the title and summary first."""
        for language, text in self.title.items():
            yield FieldText(Field.TITLE, as_language(language), text)
        for language, text in self.summary.items():
            yield FieldText(Field.SUMMARY, as_language(language), text)
        yield from self.texts


def _texts(field: Field, texts: Iterable[Text | ShortTitle | None]) -> Iterator[FieldText]:
    for text in texts:
        if text is not None:
            yield FieldText(field, "lv", text.lv)
            yield FieldText(field, "en", text.en)
            yield FieldText(field, "ru", text.ru)


def _by_language(text: Text | ShortTitle) -> dict[str, str]:
    return {"lv": text.lv, "en": text.en, "ru": text.ru}


def _keywords(entry: Service | LifeSituation) -> Iterator[FieldText]:
    for language in ("lv", "en", "ru"):
        listed: list[str] = getattr(entry.keywords, language)
        if listed:
            yield FieldText(Field.KEYWORDS, as_language(language), "; ".join(listed))


def service_document(service: Service, institution: Institution | None = None) -> Document:
    details: list[Text | ShortTitle | None] = [
        service.duration,
        *(item.text for item in service.cost.items),
        *(channel.note for channel in service.channels),
        *(reference.act for reference in service.legal_basis),
    ]
    if institution is not None:
        details += [institution.name, institution.abbreviation]
    return Document(
        id=service.id,
        kind="service",
        title=_by_language(service.title),
        summary=_by_language(service.summary),
        texts=[
            *_keywords(service),
            *_texts(Field.BODY, [service.eligibility, *service.requirements, *service.steps]),
            *_texts(Field.DETAILS, details),
        ],
        filler=service.filler,
    )


def life_situation_document(situation: LifeSituation) -> Document:
    headings = [situation.event, *(step.title for step in situation.steps)]
    body = [text for step in situation.steps for text in (step.text, step.condition)]
    details = [step.deadline.text for step in situation.steps if step.deadline is not None]
    return Document(
        id=situation.id,
        kind="life_situation",
        title=_by_language(situation.title),
        summary=_by_language(situation.summary),
        texts=[
            *_keywords(situation),
            *_texts(Field.HEADINGS, headings),
            *_texts(Field.BODY, body),
            *_texts(Field.DETAILS, details),
        ],
        filler=situation.filler,
    )


def from_catalogue(
    services: Iterable[Service],
    life_situations: Iterable[LifeSituation],
    institutions: Mapping[str, Institution] | None = None,
) -> list[Document]:
    """Documents for the given entries, services first; a service's institution is looked
    up in `institutions` so that "VID" or "CSDD" finds its services."""
    known = institutions or {}
    return [
        *(service_document(s, known.get(s.institution)) for s in services),
        *(life_situation_document(s) for s in life_situations),
    ]
