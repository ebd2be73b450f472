"""Forms as data: the five services load, answers are validated field by field, prefill says
where each answer came from."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from backend.applications.forms import FormError, load_forms, parse_form, validate
from backend.applications.prefill import read_fact, source_text
from backend.applications.service import personal_form
from backend.catalogue.files import load_content
from backend.dashboard.facts import Fact, SourceStatus
from backend.lib.identifiers import make_personal_code
from backend.lib.texts import Text, render_in
from integrations.registries.csdd.models import Vehicle
from integrations.registries.nhs.models import FamilyDoctor
from integrations.registries.population_register.models import Child, DeclaredAddress
from tests.unit.obligations.facts import person

TODAY = date(2026, 12, 5)
AS_OF = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
IBAN = "LV80BANK0000435195001"
BABY = Child("Mārtiņš Kalniņš", make_personal_code(date(2026, 11, 14), 123), date(2026, 11, 14))
OLDER = Child("Anna Kalniņa", make_personal_code(date(2020, 3, 5), 456), date(2020, 3, 5))


def laura() -> object:
    return replace(
        person(),
        children=Fact([OLDER, BABY], SourceStatus.OK, AS_OF),
        declared_address=Fact(
            DeclaredAddress("Brīvības iela 1, Rīga", date(2020, 1, 1)), SourceStatus.OK, AS_OF
        ),
        family_doctor=Fact(
            FamilyDoctor("Dr. Ozola", "Ozola prakse", "Rīga", "+371 6000000", date(2019, 1, 1)),
            SourceStatus.OK,
            AS_OF,
        ),
        vehicles=Fact(
            [Vehicle("AB1234", "Škoda", "Octavia", 2015, date(2027, 1, 1), None)],
            SourceStatus.OK,
            AS_OF,
        ),
    )


def en(text: Text) -> str:
    return render_in(text, "en")


def test_the_five_services_have_forms_named_by_the_catalogue_ids() -> None:
    assert set(load_forms()) == {
        "childbirth-benefit",
        "family-state-benefit",
        "declare-residence",
        "family-doctor",
        "vehicle-owner-change",
    }
    for form in load_forms().values():
        assert form.legal_basis, form.service
        assert all(b.act.lv and b.act.en and b.act.ru for b in form.legal_basis)


def test_the_forms_services_are_in_the_catalogue() -> None:
    catalogue = load_content()
    assert set(load_forms()) <= set(catalogue.services)
    for form in load_forms().values():  # the form and the catalogue name the same institution
        assert catalogue.services[form.service].institution == form.institution


def test_a_malformed_form_is_refused_naming_the_field() -> None:
    raw = {
        "service": "x",
        "institution": "vsaa",
        "title": {"lv": "a", "en": "a", "ru": "a"},
        "summary": {"lv": "a", "en": "a", "ru": "a"},
        "fields": [{"id": "f", "type": "colour", "label": {"lv": "a", "en": "a", "ru": "a"}}],
    }
    with pytest.raises(FormError, match=r"x.yaml.f: type must be"):
        parse_form(raw, "x.yaml")
    raw["fields"] = [
        {"id": "f", "type": "text", "label": {"lv": "a", "en": "a", "ru": "a"}, "prefill": "nope"}
    ]
    with pytest.raises(FormError, match="unknown fact 'nope'"):
        parse_form(raw, "x.yaml")


def test_missing_and_wrong_answers_get_field_level_messages() -> None:
    form = load_forms()["childbirth-benefit"]
    options = {"child": (BABY.personal_code,)}
    _, errors = validate(form, {"account": "LV00BANK"}, today=TODAY, options=options)
    assert en(errors["child"]) == "Answer this question."
    assert en(errors["account"]).startswith("Enter an account number (IBAN)")
    assert "decision_delivery" in errors
    _, errors = validate(
        form,
        {"child": "010101-00000", "account": "DE89370400440532013000", "decision_delivery": "post"},
        today=TODAY,
        options=options,
    )
    assert en(errors["child"]) == "Choose one of the options."
    assert "account in Latvia" in en(errors["account"])
    assert en(errors["postal_address"]) == "Answer this question."  # shown: delivery by post


def test_a_condition_hides_a_field_and_its_answer_is_dropped() -> None:
    form = load_forms()["childbirth-benefit"]
    clean, errors = validate(
        form,
        {
            "child": BABY.personal_code,
            "account": "lv80 bank 0000 4351 9500 1",
            "decision_delivery": "eaddress",
            "postal_address": "somewhere",
            "unknown": "x",
        },
        today=TODAY,
        options={"child": (BABY.personal_code,)},
    )
    assert errors == {}
    assert clean == {"child": BABY.personal_code, "account": IBAN, "decision_delivery": "eaddress"}


def test_a_draft_tolerates_missing_answers_but_not_wrong_ones() -> None:
    form = load_forms()["declare-residence"]
    clean, errors = validate(
        form, {"new_address": "Elizabetes iela 2"}, today=TODAY, complete=False
    )
    assert errors == {}
    assert clean == {"new_address": "Elizabetes iela 2"}
    _, errors = validate(form, {"moved_on": "2027-01-01"}, today=TODAY, complete=False)
    assert en(errors["moved_on"]) == "The date cannot be in the future."
    _, errors = validate(form, {"moved_on": "1.12.2026"}, today=TODAY, complete=False)
    assert en(errors["moved_on"]).startswith("Enter a date as YYYY-MM-DD")


def test_a_locked_answer_cannot_be_changed_by_the_form() -> None:
    form = load_forms()["declare-residence"]
    _, errors = validate(
        form,
        {"current_address": "Somewhere else"},
        today=TODAY,
        locked={"current_address": "Brīvības iela 1, Rīga"},
        complete=False,
    )
    assert (
        en(errors["current_address"])
        == "This answer comes from the register and cannot be changed here."
    )


def test_messages_are_said_in_the_persons_language() -> None:
    form = load_forms()["vehicle-owner-change"]
    _, errors = validate(form, {"buyer": "123"}, today=TODAY, options={"vehicle": ("AB1234",)})
    assert render_in(errors["buyer"], "lv") != render_in(errors["buyer"], "en")
    assert render_in(errors["vehicle"], "ru") != render_in(errors["vehicle"], "en")


def test_prefill_takes_the_newest_child_and_says_the_source() -> None:
    reading = read_fact(laura(), "population_register.children.newest")  # type: ignore[arg-type]
    assert reading.value is not None
    assert reading.value.value == BABY.personal_code
    assert [c.value for c in reading.options] == [BABY.personal_code, OLDER.personal_code]
    assert en(source_text(reading.value)) == (
        "Population Register (Office of Citizenship and Migration Affairs), as of 5 December 2026"
    )


def test_a_personal_form_locks_what_the_law_takes_from_the_register() -> None:
    personal = personal_form(load_forms()["childbirth-benefit"], laura())  # type: ignore[arg-type]
    assert personal.locked == {"declared_address": "Brīvības iela 1, Rīga"}
    assert personal.prefilled["child"].value == BABY.personal_code
    assert personal.prefilled["postal_address"].value == "Brīvības iela 1, Rīga"  # editable
    vehicles = personal_form(load_forms()["vehicle-owner-change"], laura())  # type: ignore[arg-type]
    assert vehicles.options["vehicle"] == (("AB1234", "AB1234 — Škoda Octavia"),)
    doctor = personal_form(load_forms()["family-doctor"], laura())  # type: ignore[arg-type]
    assert doctor.locked == {"current_doctor": "Dr. Ozola, Ozola prakse"}


def test_a_withheld_source_prefills_nothing() -> None:
    facts = replace(laura(), children=Fact(None, SourceStatus.WITHHELD))  # type: ignore[type-var]
    personal = personal_form(load_forms()["childbirth-benefit"], facts)
    assert "child" not in personal.prefilled
    assert personal.options["child"] == ()
