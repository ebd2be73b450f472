"""Settings of the obligations feature, its default facts source, and its worker job."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest

from backend.auth.people import PersonRecord
from backend.jobs import all_jobs
from backend.obligations.registry import evaluate_company, evaluate_person
from backend.obligations.rules.base import CompanyContext, PersonContext, SkipReason
from backend.obligations.service import FactsNotConnected
from backend.settings import SettingsError, load_settings

BASE = {"DEBUG": "1", "SECRET_KEY": "s" * 40}


def test_obligation_settings_are_read_and_checked(tmp_path: Path) -> None:
    rates = tmp_path / "rates.toml"
    rates.write_text("")
    settings = load_settings(
        {**BASE, "OBLIGATIONS_RATES_FILE": str(rates), "OBLIGATIONS_SWEEP_FROM_HOUR": "6"}
    )
    assert settings.obligations.rates_file == rates
    assert settings.obligations.sweep_from_hour == 6
    assert load_settings(BASE).obligations.rates_file is None
    for bad in (
        {"OBLIGATIONS_RATES_FILE": str(tmp_path / "absent.toml")},
        {"OBLIGATIONS_SWEEP_FROM_HOUR": "24"},
        {"OBLIGATIONS_SWEEP_BATCH": "0"},
    ):
        with pytest.raises(SettingsError, match="OBLIGATIONS_"):
            load_settings({**BASE, **bad})


async def test_without_a_facts_source_every_rule_says_it_could_not_check() -> None:
    person = PersonRecord(uuid.uuid4(), "150385-11028", None, "A", "B", "lv", None)
    facts = await FactsNotConnected().person_facts(person)
    assert facts.birth_date == date(1985, 3, 15)  # from the personal code
    result = evaluate_person(PersonContext(person.subject_key, facts, date(2026, 11, 27)))
    assert result.obligations == ()
    assert {s.reason for s in result.skipped} == {SkipReason.SOURCE_UNAVAILABLE}
    company = await FactsNotConnected().company_facts("40003123459")
    result = evaluate_company(CompanyContext("company:40003123459", company, date(2026, 11, 27)))
    assert (result.obligations, len(result.skipped)) == ((), 3)


def test_the_worker_runs_the_daily_reminders(tmp_path: Path) -> None:
    settings = load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    assert "obligations.daily_reminders" in {job.name for job in all_jobs(settings)}
