"""`person_facts` / `company_facts`: the interface the obligation rules and jobs read."""

from __future__ import annotations

import time
from datetime import date

import pytest

from backend.auth.people import PersonRecord
from backend.auth.sessions import Session
from backend.auth.viewer import Viewer
from backend.dashboard.facts import SourceStatus
from backend.dashboard.service import company_facts, person_facts
from backend.lib.errors import BadInput, Forbidden
from backend.settings import Settings
from integrations.devstack.personas import OZOLS_TECH
from tests.integration.dashboard.conftest import DashboardApp, person_of
from tests.sandbox_driver import TODAY, Sandbox


def viewer(person: PersonRecord) -> Viewer:
    now = time.time()
    session = Session(str(person.id), 0, 3, person.subject_key, now, now)
    return Viewer(person=person, session_id="test", session=session)


async def test_person_facts_carry_values_statuses_and_birth_date(
    fresh_app: DashboardApp, sandbox: Sandbox, settings: Settings
) -> None:
    anna = await person_of(settings, "anna")
    facts = await person_facts(
        fresh_app.services.dashboard, viewer(anna), purpose="dashboard", today=TODAY
    )
    assert facts.personal_code == anna.personal_code
    assert facts.birth_date == date(1985, 3, 15)  # from the personal code
    assert facts.declared_at_my_properties.usable
    assert len(facts.declared_at_my_properties.value or []) == 2
    assert facts.pension.status is SourceStatus.OK
    assert facts.pension.as_of is not None
    [schedule] = facts.real_estate_tax.value or []
    assert (schedule.year, schedule.municipality) == (TODAY.year, "Rīgas valstspilsētas pašvaldība")
    declaration = facts.income_declaration.value
    assert declaration is not None
    assert (declaration.year, declaration.status) == (TODAY.year - 1, "accepted")
    assert facts.companies.status is SourceStatus.OK
    assert facts.companies.value == []


async def test_a_birth_date_free_code_takes_the_birth_date_from_the_login(
    fresh_app: DashboardApp, sandbox: Sandbox, settings: Settings
) -> None:
    kristaps = await person_of(settings, "kristaps")
    assert (kristaps.personal_code or "").startswith("32")
    facts = await person_facts(fresh_app.services.dashboard, kristaps, purpose="obligations")
    assert facts.birth_date is not None
    assert facts.birth_date == kristaps.birth_date


async def test_without_a_personal_code_every_fact_is_not_applicable(
    fresh_app: DashboardApp, sandbox: Sandbox, settings: Settings
) -> None:
    pierre = await person_of(settings, "pierre")
    facts = await person_facts(fresh_app.services.dashboard, pierre, purpose="obligations")
    assert (facts.personal_code, facts.birth_date) == (None, date(1990, 7, 7))
    for name in ("declared_address", "pension", "vehicles", "tax_account", "companies"):
        fact = getattr(facts, name)
        assert (fact.status, fact.reason, fact.value) == (
            SourceStatus.NOT_APPLICABLE,
            "no_personal_code",
            None,
        ), name
        assert not fact.usable


async def test_company_facts_for_a_job_and_for_its_representative_only(
    fresh_app: DashboardApp, sandbox: Sandbox, settings: Settings
) -> None:
    number = OZOLS_TECH.registration_number
    facts = await company_facts(fresh_app.services.dashboard, number, purpose="obligations")
    assert facts.company.usable
    assert facts.company.value is not None
    assert facts.company.value.financial_year_end == "12-31"
    assert facts.tax_status.value is not None
    assert facts.tax_status.value.vat_period == "quarterly"
    martins = await person_of(settings, "martins")
    own = await company_facts(
        fresh_app.services.dashboard, number, purpose="obligations", viewer=viewer(martins)
    )
    assert own.company.usable
    anna = await person_of(settings, "anna")
    with pytest.raises(Forbidden):
        await company_facts(
            fresh_app.services.dashboard, number, purpose="obligations", viewer=viewer(anna)
        )
    with pytest.raises(BadInput):
        await company_facts(fresh_app.services.dashboard, "4000312345", purpose="obligations")


async def test_a_failing_source_is_a_fact_status_not_an_exception(
    fresh_app: DashboardApp, sandbox: Sandbox, settings: Settings
) -> None:
    zane = await person_of(settings, "zane")
    await sandbox.fault("srs", down=True)
    facts = await person_facts(fresh_app.services.dashboard, zane, purpose="obligations")
    assert facts.tax_account.status is SourceStatus.UNAVAILABLE  # this app never had it
    assert facts.tax_account.reason == "http_status"
    assert facts.family_doctor.status is SourceStatus.OK
