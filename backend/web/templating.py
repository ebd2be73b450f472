"""The Jinja2 environment for pages and e-mails: autoescaped, translated, CSP-nonce aware."""

from __future__ import annotations

import json

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from backend.lib import i18n
from backend.lib.assets import TEMPLATES_DIR, StaticAssets
from backend.web.pwa import theme_colours
from backend.web.request_context import nonce


def import_map(assets: StaticAssets) -> str:
    """Maps each ES module's plain URL to its hashed one, so modules import each other by
    relative path and still get year-long caching without ever seeing a stale file."""
    imports = {
        f"/static/{relative}": assets.url(relative)
        for relative in sorted(assets.hashes)
        if relative.startswith("js/") and relative.endswith(".js")
    }
    # `<` is escaped so the JSON cannot close the <script> element it lives in.
    return json.dumps({"imports": imports}, separators=(",", ":")).replace("<", "\\u003c")


def build_environment(assets: StaticAssets) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml", "txt"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        static_url=assets.url,
        csp_nonce=nonce,
        current_language=i18n.current_language.get,
        languages=i18n.LANGUAGES,
        language_names=i18n.LANGUAGE_NAMES,
        js_import_map=import_map(assets),
        theme_color=theme_colours().theme,
    )
    env.filters.update(
        date=i18n.format_date,
        # A date inside a sentence, in the form the sentence needs (Latvian cases):
        # `_("valid until %(when)s", when=d | date_until)`.
        date_until=i18n.date_until,
        date_since=i18n.date_since,
        date_on=i18n.date_on,
        date_as_of=i18n.date_as_of,
        month_day=i18n.format_month_day,
        datetime=i18n.format_datetime,
        money=i18n.format_money,
        number=i18n.format_number,
    )
    return env
