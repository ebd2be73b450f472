"""Catalogue search: an in-memory, I/O-free index over services and life situations that
understands Latvian inflection, missing diacritics, typos, everyday synonyms and queries in
English and Russian. `SearchIndex(documents).search(query, lang, limit)`; documents come from
`documents.from_catalogue` (the reviewed files) or any loader that makes `Document`s."""

from backend.catalogue.search.documents import Document, Field, FieldText, from_catalogue
from backend.catalogue.search.index import Hit, SearchIndex
from backend.catalogue.search.snippets import Marked

__all__ = ["Document", "Field", "FieldText", "Hit", "Marked", "SearchIndex", "from_catalogue"]
