"""Catalogue search: an in-memory, I/O-free index over services and life situations.

`SearchIndex(documents).search(query, lang, limit, include_filler=False)` answers from memory;
documents come from `documents.from_catalogue` (the reviewed files) or any loader that makes
`Document`s. Why our own index: PostgreSQL and SQLite full-text search (and Snowball) have no
Latvian stemmer, and people write with inflections, without diacritics, with typos, in everyday
words and in three languages. The catalogue is small and changes only on publishing, so every
(term, entry) score is computed at build time (BM25F over weighted fields, `postings.py`) and a
query adds up a few postings in plain Python, the same in both database modes.

The pipeline: `text` (folding, words) → `latvian` / `analysis` (stems and word families) →
`query` (synonyms from `synonyms.yaml`, word families, typos via `typos`, word pairs) →
`scoring` → `snippets` (passages with highlights). `evaluation` measures MRR and recall@k.
See "Catalogue search" in docs/architecture.md.
"""

from backend.catalogue.search.documents import Document, Field, FieldText, from_catalogue
from backend.catalogue.search.index import Hit, SearchIndex
from backend.catalogue.search.snippets import Marked

__all__ = ["Document", "Field", "FieldText", "Hit", "Marked", "SearchIndex", "from_catalogue"]
