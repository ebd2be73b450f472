"""The dashboard's registry facts, offered to the obligation rules (their `FactsSource`).

The rules read through the same cache, time budgets, consent and data-access log as the
dashboard, so a person's obligations never cost a second round of registry calls and every
read is visible in "who looked at my data" (as the `obligations` purpose).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backend.auth.people import PersonRecord
from backend.dashboard.facts import CompanyFacts, PersonFacts
from backend.dashboard.service import company_facts, person_facts

if TYPE_CHECKING:
    from backend.dashboard.facade import Dashboard

PURPOSE = "obligations"


class DashboardFacts:
    def __init__(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard

    async def person_facts(self, person: PersonRecord) -> PersonFacts:
        return await person_facts(self.dashboard, person, purpose=PURPOSE)

    async def company_facts(self, registration_number: str) -> CompanyFacts:
        return await company_facts(self.dashboard, registration_number, purpose=PURPOSE)
