"""Seasonal highlights for the home page: driven by the date alone, the same for everyone.

Spring: the income declaration window. Summer: study applications. Before each real-estate
tax instalment: a reminder that it is coming.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from backend.lib.texts import N_, Text
from backend.obligations.calendar import deadline
from backend.obligations.rates import DEFAULT_RATES, Rates


@dataclass(frozen=True)
class Highlight:
    id: str
    """Stable per season and year, so a dismissed highlight stays dismissed."""
    title: Text
    text: Text
    starts: date
    ends: date
    action_url: str


def seasonal_highlights(today: date, rates: Rates | None = None) -> list[Highlight]:
    rates = rates or DEFAULT_RATES
    year = today.year
    found: list[Highlight] = []
    opens = rates.income_declaration_opens.value.in_year(year)
    closes = deadline(rates.income_declaration_closes.value.in_year(year))
    if opens <= today <= closes:
        found.append(
            Highlight(
                id=f"income-declaration-{year}",
                title=Text(N_("Income declaration season")),
                text=Text(
                    N_(
                        "Declarations for {year} are accepted until {date}: file yours, and "
                        "claim back tax on medical and education costs."
                    ),
                    year=year - 1,
                    date=closes,
                ),
                starts=opens,
                ends=closes,
                action_url="https://eds.vid.gov.lv/",
            )
        )
    first, last = (day.in_year(year) for day in rates.study_applications.value)
    if first <= today <= last:
        found.append(
            Highlight(
                id=f"study-applications-{year}",
                title=Text(N_("Study applications")),
                text=Text(
                    N_(
                        "Universities and colleges take applications for the autumn: apply "
                        "online with your centralised exam results."
                    )
                ),
                starts=first,
                ends=last,
                action_url="https://www.latvija.gov.lv/",
            )
        )
    lead = timedelta(days=rates.seasonal_real_estate_lead_days.value)
    for number, day in enumerate(rates.real_estate_instalments.value, start=1):
        due = deadline(day.in_year(year))
        if due - lead <= today <= due:
            found.append(
                Highlight(
                    id=f"real-estate-tax-{year}-{number}",
                    title=Text(N_("Real-estate tax instalment")),
                    text=Text(
                        N_("The next real-estate tax instalment is due on {date}."), date=due
                    ),
                    starts=due - lead,
                    ends=due,
                    action_url="https://www.epakalpojumi.lv/",
                )
            )
    return found
