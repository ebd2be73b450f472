"""`/statistics`: public figures of use and quality, open to everyone.

So far: how useful people found the pages, per section of the site, from the answers to
"Was this page useful?". Sections with fewer than ten answers show no figures.
"""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency
from litestar.response import Template

from backend.auth.viewer import Viewer
from backend.feedback import service, survey
from backend.feedback.statistics import MIN_COUNT, usefulness
from backend.lib.i18n import gettext as _


def section_names() -> dict[str, str]:
    """The sections the statistics name, in the order shown (in the reader's language)."""
    return {
        "home": _("Home page"),
        "services": _("Service descriptions"),
        "life-situations": _("Life situations"),
        "institutions": _("Institutions"),
        "service-centres": _("Client service centres"),
        "search": _("Search"),
        "help-me-find-it": _("Help me find it"),
        "mail": _("Mail"),
        "obligations": _("Obligations"),
        "applications": _("Applications"),
        "notifications": _("Notifications"),
        "settings": _("Settings"),
        "company": _("Company"),
        "privacy": _("Privacy"),
        "account": _("Account"),
        "statistics": _("Statistics"),
        "other": _("Other pages"),
    }


@get("/statistics", include_in_schema=False)
async def statistics_page(viewer: NamedDependency[Viewer | None]) -> Template:
    names = section_names()
    rows, everything = usefulness(await service.section_counts(), names)
    return Template(
        "pages/feedback/statistics.html",
        context={
            "viewer": viewer,
            "rows": rows,
            "everything": everything,
            "names": names,
            "min_count": MIN_COUNT,
            "quarters": await survey.by_quarter(),
        },
        headers={"Cache-Control": "no-cache"},
    )


ROUTES = [statistics_page]
