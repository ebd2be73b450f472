"""Every rule against the sandbox's personas and companies, through the real registry clients:
what each person is told, on the sandbox's pinned today (Friday 27 November 2026)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from backend.auth.people import PersonRecord
from backend.obligations.registry import RESIDENTS_ONLY
from backend.obligations.rules.base import SkipReason
from backend.obligations.service import Obligations, SubjectRef, evaluate_subject
from backend.services import Services
from integrations.devstack.personas import BALTIC_TIMBER, OZOLS_TECH, persona
from tests.sandbox_driver import TODAY
from tests.unit.obligations.facts import plain


def record(slug: str) -> PersonRecord:
    who = persona(slug)
    return PersonRecord(
        uuid.uuid5(uuid.NAMESPACE_URL, f"persona:{slug}"),
        who.personal_code,
        who.eidas_id,
        who.given_name,
        who.family_name,
        who.locale,
        who.born_on(TODAY),
    )


async def dues(obligations: Obligations, slug: str) -> dict[str, date]:
    result = await evaluate_subject(obligations, SubjectRef.of_person(record(slug)))
    return {o.rule: o.due_date for o in result.obligations}


async def test_anna(sandbox_obligations: Obligations) -> None:
    result = await evaluate_subject(sandbox_obligations, SubjectRef.of_person(record("anna")))
    assert {o.rule: o.due_date for o in result.obligations} == {
        "vehicle.inspection": date(2026, 12, 9),  # T+12
        "identity_document.expiry": date(2027, 2, 10),  # passport, T+75
        "vehicle.insurance": date(2027, 4, 26),  # T+150
    }
    assert [o.rule for o in result.opportunities] == ["pension.fund_change"]
    assert result.skipped == ()


async def test_martins_overdue_real_estate_tax_carries_late_interest(
    sandbox_obligations: Obligations,
) -> None:
    result = await evaluate_subject(sandbox_obligations, SubjectRef.of_person(record("martins")))
    (instalment,) = [o for o in result.obligations if o.rule == "real_estate_tax.instalment"]
    # 15 November 2026 was a Sunday: due Monday the 16th; 11 days late on the 27th.
    assert (instalment.statutory_date, instalment.due_date) == (
        date(2026, 11, 15),
        date(2026, 11, 16),
    )
    # His house in Rīga (€420 a year): Rīga's notice, not VID's tax account.
    assert plain(instalment.title).startswith("Real-estate tax (Rīgas valstspilsētas pašvaldība)")
    assert (instalment.amount, instalment.late_interest) == (Decimal("105.00"), Decimal("0.58"))


async def test_the_late_interest_told_is_the_municipalitys_own(
    sandbox_obligations: Obligations, services: Services
) -> None:
    """Issue 15: the obligation said 11 days of interest and the balance 12 — now the rule and
    the municipality's record count the same days from the same moved deadline."""
    result = await evaluate_subject(sandbox_obligations, SubjectRef.of_person(record("martins")))
    (told,) = [o for o in result.obligations if o.rule == "real_estate_tax.instalment"]
    code = persona("martins").personal_code or ""
    notices = await services.registries.municipalities.real_estate_tax(code, TODAY.year)
    charged = [i.late_interest for n in notices for i in n.instalments if i.late_interest]
    assert charged == [told.late_interest]
    # And VID's unified tax account holds none of it.
    account = await services.registries.srs.tax_account(code)
    assert account is not None
    assert account.balance == Decimal("0.00")
    assert {o.rule: o.due_date for o in result.obligations}["vehicle.insurance"] == date(
        2026, 12, 3
    )
    # €820 payable, in three parts: all their dates (June to August) are past.
    assert not [o for o in result.obligations if o.rule.startswith("income")]
    assert result.opportunities == ()  # fund changed this January; two children only


async def test_laura_new_parent(sandbox_obligations: Obligations) -> None:
    result = await evaluate_subject(sandbox_obligations, SubjectRef.of_person(record("laura")))
    assert {o.rule: o.due_date for o in result.obligations} == {
        "income_declaration.file": date(2026, 6, 1),
        "vehicle.inspection": date(2026, 11, 17),  # T-10: overdue
        "vehicle.insurance": date(2027, 2, 25),  # T+90
    }
    assert {o.rule: o.apply_by for o in result.opportunities} == {
        "family.childbirth_benefit": date(2027, 5, 6),  # Emīls, born T-21
        "family.state_benefit": date(2028, 5, 6),
        "family.large_family_card": None,
        "pension.fund_change": date(2026, 12, 31),
    }
    card = next(o for o in result.opportunities if o.rule == "family.large_family_card")
    assert {plain(e.label): plain(e.value) for e in card.eligible_because}[
        "Children under 18"
    ] == "3"


async def test_kristaps_turning_18(sandbox_obligations: Obligations) -> None:
    result = await evaluate_subject(sandbox_obligations, SubjectRef.of_person(record("kristaps")))
    (passport,) = result.obligations
    assert (passport.rule, passport.due_date, passport.legal_deadline) == (
        "identity_document.expiry",
        date(2027, 1, 6),
        False,
    )
    # Issued at 13, before 1 May 2023: it serves alone until it expires, then the eID card is
    # his compulsory document (Personal Identification Documents Law, transitional provisions).
    assert "the eID card is your compulsory identity document" in plain(passport.description)
    (adult,) = result.opportunities
    assert adult.rule == "life.turning_18"
    assert plain(adult.title) == "You turn 18 on 21.12.2026"
    # PMLP: documents issued from 5 to 20 are valid 5 years, from 20 on 10 years; the old text
    # ("valid for 5 years until you turn 20") contradicted itself.
    explanation = plain(adult.explanation)
    assert "issued before you turn 20 is valid for 5 years" in explanation
    assert "until you turn 20" not in explanation


async def test_edgars_with_only_a_passport_is_told_to_apply_for_an_eid_card(
    sandbox_obligations: Obligations,
) -> None:
    """His eID card ran out on 15 November; a passport issued after 30 April 2023 does not
    replace it, so the 30 days to apply run from that day: Tuesday 15 December."""
    result = await evaluate_subject(sandbox_obligations, SubjectRef.of_person(record("edgars")))
    (apply,) = [o for o in result.obligations if o.rule == "identity_document.none_valid"]
    assert apply.due_date == date(2026, 12, 15)
    assert apply.legal_deadline
    assert plain(apply.title) == "Apply for an eID card"
    assert "a passport is optional and does not replace it" in plain(apply.description)


async def test_ilze_valdis(sandbox_obligations: Obligations) -> None:
    ilze = await evaluate_subject(sandbox_obligations, SubjectRef.of_person(record("ilze")))
    assert ilze.obligations == ()  # the expired passport is covered by her eID card
    assert {plain(o.title) for o in ilze.opportunities} == {
        "You reach state pension age on 30.09.2027",
        "You may change your 2nd pillar fund manager this year",
    }
    valdis = await evaluate_subject(sandbox_obligations, SubjectRef.of_person(record("valdis")))
    insurance = next(o for o in valdis.obligations if o.rule == "vehicle.insurance")
    assert insurance.immediate
    assert insurance.due_date == TODAY
    assert {o.rule: o.due_date for o in valdis.obligations}["driving_licence.expiry"] == date(
        2027, 1, 11
    )


async def test_zane_and_pierre_are_told_what_could_not_be_checked(
    sandbox_obligations: Obligations,
) -> None:
    zane = await evaluate_subject(sandbox_obligations, SubjectRef.of_person(record("zane")))
    assert (zane.obligations, zane.opportunities) == ((), ())
    assert [(s.rule, s.reason) for s in zane.skipped] == [
        ("identity_documents", SkipReason.MISSING_FACT)
    ]
    pierre = await evaluate_subject(sandbox_obligations, SubjectRef.of_person(record("pierre")))
    assert (pierre.obligations, pierre.opportunities) == ((), ())
    reasons = {s.rule: s.reason for s in pierre.skipped}
    # A non-resident (no personal code: everyone living in Latvia has one) may still own
    # property or a vehicle here, so those say what could not be checked …
    assert reasons["real_estate_tax"] is SkipReason.NOT_APPLICABLE
    assert reasons["vehicles"] is SkipReason.NOT_APPLICABLE
    # … but residents' duties and benefits are not his, not even as a note.
    assert not RESIDENTS_ONLY & set(reasons)


async def test_ozols_tech(sandbox_obligations: Obligations) -> None:
    result = await evaluate_subject(
        sandbox_obligations, SubjectRef.of_company(OZOLS_TECH.registration_number)
    )
    first = {}
    for o in result.obligations:
        first.setdefault(o.rule, (plain(o.title), o.due_date))
    assert first == {
        "company.employer_report": ("Employer's report for November 2026", date(2026, 12, 17)),
        "vat.return": ("VAT return for Q4 2026", date(2027, 1, 20)),  # quarterly
        "vat.payment": ("VAT payment for Q4 2026", date(2027, 1, 25)),  # 23 Jan: Saturday
        "company.annual_report": (
            "Annual report for the year ending 31.12.2026",
            date(2027, 5, 31),
        ),
    }
    assert all(
        o.subject_key == f"company:{OZOLS_TECH.registration_number}" for o in result.obligations
    )
    assert all(not o.state_confirms for o in result.obligations)


async def test_baltic_timber(sandbox_obligations: Obligations) -> None:
    result = await evaluate_subject(
        sandbox_obligations, SubjectRef.of_company(BALTIC_TIMBER.registration_number)
    )
    titles = {plain(o.title): o.due_date for o in result.obligations}
    assert titles["VAT return for November 2026"] == date(2026, 12, 21)  # monthly; 20 Dec a Sunday
    assert titles["VAT payment for November 2026"] == date(2026, 12, 23)
    # a medium company: 7 months; 31 July 2027 is a Saturday
    assert titles["Annual report for the year ending 31.12.2026"] == date(2027, 8, 2)


async def test_a_registry_down_makes_rules_skip_with_a_note(
    sandbox_obligations: Obligations, registry_sandbox: object
) -> None:
    from tests.sandbox_driver import Sandbox

    assert isinstance(registry_sandbox, Sandbox)
    await registry_sandbox.fault("csdd", down=True)
    try:
        result = await evaluate_subject(sandbox_obligations, SubjectRef.of_person(record("anna")))
    finally:
        await registry_sandbox.clear("csdd")
    assert {o.rule for o in result.obligations} == {"identity_document.expiry"}
    assert {(s.rule, s.source, s.reason) for s in result.skipped} == {
        ("driving_licence", "csdd", SkipReason.SOURCE_UNAVAILABLE),
        ("vehicles", "csdd", SkipReason.SOURCE_UNAVAILABLE),
    }
