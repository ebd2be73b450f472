"""Each persona's registry data, through each client, over real HTTP against the sandbox."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from backend.lib.identifiers import is_personal_code
from integrations.devstack.personas import BALTIC_TIMBER, OZOLS_TECH, persona
from integrations.registries.clients import RegistryClients
from tests.sandbox_driver import TODAY, Sandbox

ANNA, MARTINS, ILZE = persona("anna"), persona("martins"), persona("ilze")
KRISTAPS, LAURA, VALDIS = persona("kristaps"), persona("laura"), persona("valdis")
EDGARS, ZANE, PIERRE = persona("edgars"), persona("zane"), persona("pierre")
LAST_YEAR = TODAY.year - 1


def code(slug: str) -> str:
    value = persona(slug).personal_code
    assert value is not None
    return value


async def test_anna_owns_an_apartment_where_two_others_are_declared(
    clients: RegistryClients,
) -> None:
    pr = clients.population_register
    address = await pr.declared_address(code("anna"))
    assert address is not None
    assert address.address == "Brīvības iela 1-5, Rīga, LV-1010"
    declared = await pr.declared_at_my_properties(code("anna"))
    assert {p.name for p in declared} == {"Jānis Bērziņš", "Olga Petrova"}
    assert all(p.property_address == address.address for p in declared)
    assert all(is_personal_code(p.personal_code) for p in declared)
    newest = max(declared, key=lambda p: p.declared_on)
    assert (newest.declared_on, newest.legal_basis) == (TODAY - timedelta(days=9), "lease")
    documents = {d.type: d for d in await pr.identity_documents(code("anna"))}
    assert documents["passport"].valid_until == TODAY + timedelta(days=75)
    assert documents["eid_card"].valid_until > documents["passport"].valid_until
    assert await pr.children(code("anna")) == []

    [home] = await clients.land_service.properties(code("anna"))
    assert (home.kind, home.share, home.address) == ("apartment", "1/1", address.address)
    assert home.manager is not None
    assert home.manager.email.endswith(".example")
    [car] = await clients.csdd.vehicles(code("anna"))
    assert car.technical_inspection_due == TODAY + timedelta(days=12)
    licence = await clients.csdd.driving_licence(code("anna"))
    assert licence is not None
    assert licence.categories == ("B",)
    doctor = await clients.nhs.family_doctor(code("anna"))
    assert doctor is not None
    assert doctor.phone.startswith("+371")
    pension = await clients.ssia.pension_second_pillar(code("anna"))
    assert pension is not None
    assert pension.balance > Decimal(18000)
    assert pension.valuation_date == TODAY - timedelta(days=1)

    srs = clients.srs
    account = await srs.tax_account(code("anna"))
    assert account is not None
    assert account.balance == Decimal("0.00")
    # Real-estate tax is Rīga's, not VID's: the municipality sent its notice in February.
    [schedule] = await clients.municipalities.real_estate_tax(code("anna"), TODAY.year)
    assert schedule.municipality == "Rīgas valstspilsētas pašvaldība"
    assert schedule.total == Decimal("96.00")
    assert schedule.issued_on <= TODAY.replace(month=2, day=15)  # by law by 15 February
    # Every instalment of the year fell due before 27 November, and Anna paid them all.
    assert [i.paid for i in schedule.instalments] == [True, True, True, True]
    assert [i.late_interest for i in schedule.instalments] == [None] * 4
    assert sum(i.amount for i in schedule.instalments) == schedule.total
    declaration = await srs.income_declaration(code("anna"), LAST_YEAR)
    assert declaration is not None
    assert (declaration.status, declaration.amount_refundable) == ("accepted", Decimal("156.30"))
    assert await clients.enterprise_register.companies_for_person(code("anna")) == []


async def test_martins_answers_for_two_companies_and_has_an_overdue_instalment(
    clients: RegistryClients,
) -> None:
    er = clients.enterprise_register
    companies = {c.registration_number: c for c in await er.companies_for_person(code("martins"))}
    assert set(companies) == {OZOLS_TECH.registration_number, BALTIC_TIMBER.registration_number}
    ozols = companies[OZOLS_TECH.registration_number]
    me = ozols.officer(code("martins"))
    assert me is not None
    assert (me.role, me.representation) == ("board_member", "sole")
    assert (ozols.legal_form, ozols.size_class, ozols.status) == ("SIA", "micro", "active")
    timber = await er.company(BALTIC_TIMBER.registration_number)
    assert timber == companies[BALTIC_TIMBER.registration_number]
    by_code = {o.personal_code: o for o in timber.officers}
    assert by_code[code("martins")].representation == "joint"
    assert (by_code[code("edgars")].role, by_code[code("edgars")].representation) == (
        "chair",
        "joint",
    )
    assert any(o.role == "procurator" for o in timber.officers)
    assert await er.company("40000000000") is None

    srs = clients.srs
    notices = await clients.municipalities.real_estate_tax(code("martins"), TODAY.year)
    by_municipality = {n.municipality: n for n in notices}
    # His house in Rīga and his land in Jūrmala: each municipality bills its own.
    assert set(by_municipality) == {
        "Rīgas valstspilsētas pašvaldība",
        "Jūrmalas valstspilsētas pašvaldība",
    }
    riga = by_municipality["Rīgas valstspilsētas pašvaldība"]
    overdue = [i for i in riga.instalments if i.due_date < TODAY and not i.paid]
    assert [i.due_date.isoformat() for i in overdue] == [f"{TODAY.year}-11-15"]
    # 15 November 2026 is a Sunday: due Monday 16th, 11 days late on the 27th.
    assert overdue[0].late_interest == Decimal("0.58")  # €105.00 × 0.05 % × 11
    assert all(i.paid for i in by_municipality["Jūrmalas valstspilsētas pašvaldība"].instalments)
    # Not VID's debt: the unified tax account does not hold real-estate tax.
    account = await srs.tax_account(code("martins"))
    assert account is not None
    assert account.balance == Decimal("0.00")
    declaration = await srs.income_declaration(code("martins"), LAST_YEAR)
    assert declaration is not None
    assert (declaration.status, declaration.amount_payable) == ("filed", Decimal("820.00"))
    status = await srs.company_tax_status(OZOLS_TECH.registration_number)
    assert status is not None
    assert (status.vat_period, status.employer) == ("quarterly", True)
    timber_tax = await srs.company_tax_status(BALTIC_TIMBER.registration_number)
    assert timber_tax is not None
    assert timber_tax.vat_period == "monthly"

    [car] = await clients.csdd.vehicles(code("martins"))
    assert car.insurance_valid_until == TODAY + timedelta(days=6)
    pension = await clients.ssia.pension_second_pillar(code("martins"))
    assert pension is not None
    assert pension.last_fund_change_date == TODAY.replace(month=1, day=20)
    declared = await clients.population_register.declared_at_my_properties(code("martins"))
    assert [p.legal_basis for p in declared] == ["marriage"]
    kinds = sorted(p.kind for p in await clients.land_service.properties(code("martins")))
    assert kinds == ["house", "land"]
    assert len(await clients.population_register.children(code("martins"))) == 2


async def test_laura_has_a_newborn_and_two_older_children(clients: RegistryClients) -> None:
    children = await clients.population_register.children(code("laura"))
    assert len(children) == 3
    newborn = max(children, key=lambda c: c.birth_date)
    assert newborn.birth_date == TODAY - timedelta(days=21)
    assert all(c.personal_code.startswith("32") for c in children)  # born after July 2017
    [car] = await clients.csdd.vehicles(code("laura"))
    assert car.technical_inspection_due < TODAY  # overdue
    declaration = await clients.srs.income_declaration(code("laura"), LAST_YEAR)
    assert declaration is not None
    assert declaration.status == "not_filed"
    assert declaration.amount_payable is None
    assert declaration.amount_refundable is None
    assert await clients.land_service.properties(code("laura")) == []
    assert await clients.municipalities.real_estate_tax(code("laura"), TODAY.year) == []
    pension = await clients.ssia.pension_second_pillar(code("laura"))
    assert pension is not None
    assert pension.contributions_this_year > 0


async def test_kristaps_turns_18_soon_and_his_passport_runs_out(clients: RegistryClients) -> None:
    born = KRISTAPS.born_on(TODAY)
    assert born is not None
    eighteenth = born.replace(year=born.year + 18)
    assert TODAY < eighteenth <= TODAY + timedelta(days=31)
    [passport] = await clients.population_register.identity_documents(code("kristaps"))
    assert passport.type == "passport"
    assert passport.valid_until == TODAY + timedelta(days=40)
    assert await clients.ssia.pension_second_pillar(code("kristaps")) is None
    licence = await clients.csdd.driving_licence(code("kristaps"))
    assert licence is not None
    assert licence.categories == ("AM",)
    doctor = await clients.nhs.family_doctor(code("kristaps"))
    assert doctor is not None
    assert doctor.registered_since > born
    address = await clients.population_register.declared_address(code("kristaps"))
    assert address is not None
    assert address.declared_since == born
    assert await clients.srs.income_declaration(code("kristaps"), LAST_YEAR) is None


async def test_valdis_pensioner_and_ilze_near_pension_age(clients: RegistryClients) -> None:
    assert await clients.ssia.pension_second_pillar(code("valdis")) is None
    licence = await clients.csdd.driving_licence(code("valdis"))
    assert licence is not None
    assert licence.valid_until == TODAY + timedelta(days=45)
    [car] = await clients.csdd.vehicles(code("valdis"))
    assert car.insurance_valid_until is None
    [wife] = await clients.population_register.declared_at_my_properties(code("valdis"))
    assert wife.legal_basis == "marriage"
    assert len(await clients.population_register.children(code("valdis"))) == 1

    pension = await clients.ssia.pension_second_pillar(code("ilze"))
    assert pension is not None
    assert pension.balance > Decimal(40000)
    assert pension.last_fund_change_date is None
    ilze_documents = await clients.population_register.identity_documents(code("ilze"))
    documents = {d.type: d for d in ilze_documents}
    assert documents["passport"].valid_until < TODAY < documents["eid_card"].valid_until
    assert await clients.enterprise_register.companies_for_person(code("ilze")) == []
    assert await clients.csdd.vehicles(code("ilze")) == []


async def test_edgars_chairs_baltic_timber(clients: RegistryClients) -> None:
    [company] = await clients.enterprise_register.companies_for_person(code("edgars"))
    assert company.registration_number == BALTIC_TIMBER.registration_number
    officer = company.officer(code("edgars"))
    assert officer is not None
    assert officer.role == "chair"


async def test_zane_is_unknown_everywhere(clients: RegistryClients, sandbox: Sandbox) -> None:
    zane = code("zane")
    singles = [
        clients.population_register.declared_address(zane),
        clients.ssia.pension_second_pillar(zane),
        clients.nhs.family_doctor(zane),
        clients.csdd.driving_licence(zane),
        clients.srs.tax_account(zane),
        clients.srs.income_declaration(zane, LAST_YEAR),
    ]
    for call in singles:
        assert await call is None
    collections = [
        clients.population_register.declared_at_my_properties(zane),
        clients.population_register.identity_documents(zane),
        clients.population_register.children(zane),
        clients.csdd.vehicles(zane),
        clients.land_service.properties(zane),
        clients.municipalities.real_estate_tax(zane, TODAY.year),
        clients.enterprise_register.companies_for_person(zane),
    ]
    for collection in collections:
        assert await collection == []
    assert (await sandbox.stats())["requests"]["srs"] == 2


async def test_pierre_cannot_be_looked_up_without_a_personal_code(
    clients: RegistryClients, sandbox: Sandbox
) -> None:
    assert PIERRE.personal_code is None
    assert PIERRE.eidas_id is not None
    with pytest.raises(ValueError, match="personal code"):
        await clients.population_register.declared_address(PIERRE.eidas_id)
    with pytest.raises(ValueError, match="registration number"):
        await clients.enterprise_register.company("LV40003123459")
    stats = await sandbox.stats()
    assert stats["tokens_issued"] == 0
    assert sum(stats["requests"].values()) == 0


async def test_today_header_moves_relative_dates(sandbox: Sandbox) -> None:
    from tests.sandbox_driver import token_for

    token = await token_for(sandbox, "population_register")
    headers = {"authorization": f"Bearer {token}", "x-sandbox-today": "2027-02-01"}
    path = f"/population-register/v1/persons/{code('laura')}/children"
    response = await sandbox.admin.get(path, headers=headers)
    assert response.status_code == 200
    assert response.json()["items"][0]["birth_date"] == "2027-01-11"
    headers["x-sandbox-today"] = "tomorrow"
    assert (await sandbox.admin.get(path, headers=headers)).status_code == 400
