"""Dashboard logic without I/O: the cache codec, item observations, masking, explanations,
cursors and settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from backend.dashboard.access_log import decode_cursor, encode_cursor
from backend.dashboard.explain import explain
from backend.dashboard.facts import SourceStatus
from backend.dashboard.graphql.companies import mask_personal_code
from backend.dashboard.observations import items_of
from backend.dashboard.sources import COMPANY_SOURCES, PERSON_SOURCES
from backend.dashboard.subjects import Actor, OnBehalf
from backend.lib.errors import BadInput
from backend.settings import DASHBOARD_SOURCES, SettingsError, load_settings
from integrations.devstack.personas import COMPANIES, PERSONAS
from integrations.devstack.sandbox.sources import (
    csdd,
    enterprise_register,
    land_service,
    municipalities,
    nhs,
    population_register,
    srs,
    ssia,
)

TODAY = date(2026, 11, 27)
# The sandbox's own answer for each part of each person source (contract JSON).
WIRE: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("population_register", "declared_address"): lambda p: population_register.declared_address(
        p, TODAY
    ),
    ("population_register", "declared_at_my_properties"): lambda p: {
        "items": population_register.declared_at_my_properties(p, TODAY)
    },
    ("population_register", "identity_documents"): lambda p: {
        "items": population_register.identity_documents(p, TODAY)
    },
    ("population_register", "children"): lambda p: {
        "items": population_register.children(p, TODAY)
    },
    ("ssia", "pension"): lambda p: ssia.pension_second_pillar(p, TODAY),
    ("nhs", "family_doctor"): lambda p: nhs.family_doctor(p, TODAY),
    ("csdd", "vehicles"): lambda p: {"items": csdd.vehicles(p, TODAY)},
    ("csdd", "driving_licence"): lambda p: csdd.driving_licence(p, TODAY),
    ("land_service", "properties"): lambda p: {"items": land_service.properties(p, TODAY)},
    ("srs", "tax_account"): lambda p: srs.tax_account(p, TODAY),
    ("municipalities", "real_estate_tax"): lambda p: {
        "items": municipalities.notices(p, TODAY.year, TODAY)
    },
    ("srs", "income_declaration"): lambda p: srs.income_declaration(p, TODAY.year - 1, TODAY),
    ("enterprise_register", "companies"): lambda p: {
        "items": enterprise_register.companies_of(p.personal_code or "")
    },
}


def test_every_person_part_has_sandbox_data_to_check_against() -> None:
    parts = {(s, part.name) for s, spec in PERSON_SOURCES.items() for part in spec.parts}
    assert parts == set(WIRE)
    assert set(PERSON_SOURCES) == set(DASHBOARD_SOURCES)


@pytest.mark.parametrize("who", [p for p in PERSONAS if p.personal_code], ids=lambda p: p.slug)
def test_cached_parts_read_back_to_the_same_models_and_json(who: Any) -> None:
    for source, spec in PERSON_SOURCES.items():
        for part in spec.parts:
            wire = WIRE[(source, part.name)](who)
            model = part.parse(wire)
            assert part.parse(part.to_wire(model)) == model
            assert part.to_wire(model) == wire, (source, part.name)


def test_company_parts_read_back_too() -> None:
    part = COMPANY_SOURCES["enterprise_register"].parts[0]
    for company in COMPANIES:
        wire = enterprise_register.COMPANIES[company.registration_number]
        assert part.to_wire(part.parse(wire)) == wire


def test_a_damaged_cache_entry_is_refused_like_a_malformed_answer() -> None:
    part = PERSON_SOURCES["csdd"].parts[0]
    with pytest.raises(ValueError, match=r"\$\.items\[0\]\.plate"):
        part.parse({"items": [{"make": "Opel"}]})


def test_observations_ignore_what_moves_daily_and_key_what_matters() -> None:
    anna = next(p for p in PERSONAS if p.slug == "anna")
    parts = {
        "pension": PERSON_SOURCES["ssia"].parts[0].parse(ssia.pension_second_pillar(anna, TODAY))
    }
    later = {
        "pension": PERSON_SOURCES["ssia"]
        .parts[0]
        .parse(ssia.pension_second_pillar(anna, date(2026, 12, 20)))
    }
    assert parts["pension"].balance != later["pension"].balance
    assert items_of("ssia", parts) == items_of("ssia", later)  # balance is not news
    declared = items_of(
        "population_register",
        {
            name: part.parse(WIRE[("population_register", name)](anna))
            for name, part in ((p.name, p) for p in PERSON_SOURCES["population_register"].parts)
        },
    )
    people = [i for i in declared if i.kind == "declared_person"]
    assert len(people) == 2
    assert all(len(i.key) == 32 and "-" not in i.key for i in people)  # hashed, no code


def test_masking_keeps_the_birth_date_part_only() -> None:
    assert mask_personal_code("150385-11028") == "150385-*****"
    assert mask_personal_code("321708-40215") == "321708-*****"


@pytest.mark.parametrize(
    ("status", "reason", "words"),
    [
        (SourceStatus.OK, None, None),
        (SourceStatus.STALE, "timeout", "did not answer in time"),
        (SourceStatus.UNAVAILABLE, "malformed", "could not read"),
        (SourceStatus.NOT_APPLICABLE, "no_personal_code", "personal code"),
        (SourceStatus.WITHHELD, "consent_withdrawn", "chose not to"),
        (SourceStatus.UNAVAILABLE, "error", "is not available"),
    ],
)
def test_every_status_is_explained_plainly(
    status: SourceStatus, reason: str | None, words: str | None
) -> None:
    text = explain("nhs", status, reason)
    if words is None:
        assert text is None
    else:
        assert text is not None
        assert words in text
        assert "National Health Service" in text


def test_cursors_round_trip_and_refuse_anything_else() -> None:
    assert decode_cursor(encode_cursor(12345)) == 12345
    for bad in ("", "abc", encode_cursor(1)[:-2] + "!!", "YWNjZXNzOi0x"):
        with pytest.raises(BadInput):
            decode_cursor(bad)


def test_actors_say_who_asks() -> None:
    assert Actor.job("obligations").on_behalf is OnBehalf.SYSTEM
    with pytest.raises(ValueError, match="purpose"):
        Actor.job("Obligations; DROP")
    with pytest.raises(ValueError, match="job"):
        Actor(OnBehalf.SELF, "dashboard")  # a person's read names the person


def test_dashboard_settings_per_source(tmp_path: Any) -> None:
    env = {"VAR_DIR": str(tmp_path), "DEBUG": "1", "DASHBOARD_SRS_BUDGET_MS": "750"}
    settings = load_settings({**env, "DASHBOARD_NHS_TTL_S": "0"}).dashboard
    assert settings.policy("srs").budget_s == 0.75
    assert settings.policy("nhs").ttl_s == 0
    assert settings.policy("ssia").ttl_s == 6 * 3600
    for bad in (
        {"DASHBOARD_SSIA_BUDGET_MS": "0"},
        {"DASHBOARD_NHS_TTL_S": "-1"},
        {"DASHBOARD_REFRESH_LIMIT": "0"},
    ):
        with pytest.raises(SettingsError):
            load_settings({**env, **bad})
