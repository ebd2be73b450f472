"""Fill empty Latvian and Russian catalog entries from a JSON file of translations.

    .venv/bin/python scripts/fill_translations.py translations.json [more.json …]

Each JSON file maps an msgid to its translations: {"Inbox": {"lv": "Iesūtne", "ru": "Входящие"}}.
For plural entries give a list per language: {"%(n)s message": {"lv": ["…", "…", "…"], …}}.
Run `make messages` first so the catalogs hold the new msgids; only empty entries are filled
(a translation already in the catalog wins), and msgids the catalogs lack are reported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALES = Path(__file__).resolve().parents[1] / "pwa" / "locales"


def fill(language: str, translations: dict[str, dict[str, str | list[str]]]) -> list[str]:
    path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    unknown = []
    for msgid, by_language in translations.items():
        text = by_language.get(language)
        if text is None:
            continue
        message = catalog.get(msgid)
        if message is None:
            unknown.append(msgid)
            continue
        if isinstance(message.string, tuple):
            if not any(message.string) and isinstance(text, list):
                message.string = tuple(text)
        elif not message.string and isinstance(text, str):
            message.string = text
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, include_previous=False)
    return unknown


def main(paths: list[str]) -> int:
    merged: dict[str, dict[str, str | list[str]]] = {}
    for name in paths:
        merged.update(json.loads(Path(name).read_text(encoding="utf-8")))
    status = 0
    for language in ("lv", "ru"):
        for msgid in fill(language, merged):
            print(f"{language}: not in the catalog (run `make messages`?): {msgid!r}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
