"""Every string a person can see has a Latvian and a Russian translation.

The strings are extracted from the source exactly as `make messages` does (babel.cfg), so a new
`_("…")` in a template or in Python fails here until `make messages` has been run and the lv
and ru catalogs translate it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from backend.lib.i18n import LANGUAGES, LOCALES_DIR

ROOT = Path(__file__).resolve().parents[3]
TRANSLATED = ("lv", "ru")  # English is the source language


def source_msgids() -> set[str | tuple[str, ...]]:
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: set[str | tuple[str, ...]] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        ROOT,
        method_map,
        options_map,
        keywords={**DEFAULT_KEYWORDS, "lazy_gettext": None, "N_": None},
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalog(language: str) -> Catalog:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=language)


def test_extraction_finds_the_templates_strings() -> None:
    msgids = source_msgids()
    # A broken babel.cfg would find nothing and pass everything below; it must not.
    assert "Skip to main content" in msgids
    assert "Keep my deadlines on this device" in msgids
    # Texts the obligation rules say are marked with N_ (backend/lib/texts.py).
    assert "Annual report for the year ending {date}" in msgids


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_msgid_is_translated(language: str) -> None:
    translations = catalog(language)
    missing = []
    for msgid in sorted(source_msgids(), key=str):
        message = translations.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        strings = message.string if message is not None else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(texts):
            missing.append(msgid)
    assert not missing, (
        f"{len(missing)} string(s) lack a {language} translation; run `make messages` and "
        f"translate them in pwa/locales/{language}/LC_MESSAGES/messages.po: {missing}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogs_are_well_formed(language: str) -> None:
    """Placeholders agree with the msgid (a `%(name)s` lost in translation breaks the page)."""
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in catalog(language).check()
    ]
    assert not problems
