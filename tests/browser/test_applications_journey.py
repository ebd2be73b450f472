"""Laura confirms the childbirth benefit the state prepared, at 390 px, in Latvian: the list
says it is ready, the form shows where each answer came from, a missing account is said at the
field, and the case page shows the timeline. axe checks every step."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.async_api import Page

from backend.applications.tables import Application
from backend.catalogue.files import load_content
from backend.catalogue.store import load_catalogue
from backend.eaddress.mailbox.accounts import activate_person
from backend.services import Services
from tests.browser.conftest import SignIn, axe_violations, set_language
from tests.browser.test_accessibility import serious
from tests.integration.applications.conftest import client_for, declare
from tests.sandbox_driver import Sandbox

IBAN = "LV80BANK0000435195001"


async def test_laura_confirms_her_childbirth_benefit_at_390_px(
    page: Page, base_url: str, sign_in: SignIn, registry_sandbox: Sandbox, tmp_path: Path
) -> None:
    laura = await sign_in(persona_slug="laura")
    await Application.delete().where(Application.subject_key == laura.subject_key)
    await set_language(page.context, base_url, "lv")
    await page.set_viewport_size({"width": 390, "height": 844})

    await page.goto(base_url + "/applications")
    ready = page.locator(
        "section", has=page.get_by_role("heading", name="Gatavs Jūsu apstiprinājumam")
    )
    await ready.get_by_role("link", name="Bērna piedzimšanas pabalsts").wait_for()
    assert serious(await axe_violations(page)) == []
    await page.screenshot(path=str(tmp_path / "applications.png"), full_page=True)

    await ready.get_by_role("link", name="Bērna piedzimšanas pabalsts").click()
    assert await page.locator("h1").inner_text() == "Bērna piedzimšanas pabalsts"
    reasons = await page.locator("#confirm-title + ul").inner_text()
    assert "Iedzīvotāju reģistrā norādīts, ka Jūsu bērns" in reasons
    assert "Avots: Iedzīvotāju reģistrs" in await page.locator(".field--locked").inner_text()

    await page.get_by_role("button", name="Apstiprināt un iesniegt").click()
    summary = page.get_by_role("alert")
    assert "Atbildiet uz šo jautājumu." in await summary.inner_text()
    account = page.get_by_label("Konta numurs (IBAN) Latvijā")
    assert await account.get_attribute("aria-invalid") == "true"
    assert serious(await axe_violations(page)) == []
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

    await account.fill(IBAN)
    await page.get_by_role("button", name="Apstiprināt un iesniegt").click()
    assert "Iesniegums iesniegts" in await page.get_by_role("status").inner_text()
    timeline = await page.locator(".timeline").inner_text()
    assert "Gatavs Jūsu apstiprinājumam" in timeline
    assert "Iesniegts iestādei" in timeline
    assert serious(await axe_violations(page)) == []
    await page.screenshot(path=str(tmp_path / "application-case.png"), full_page=True)


async def test_a_new_application_form_at_390_px(
    page: Page, base_url: str, sign_in: SignIn, registry_sandbox: Sandbox, tmp_path: Path
) -> None:
    await sign_in(persona_slug="anna")
    await page.set_viewport_size({"width": 390, "height": 844})
    for language in ("lv", "en", "ru"):
        await set_language(page.context, base_url, language)
        await page.goto(base_url + "/applications/new/declare-residence")
        assert serious(await axe_violations(page)) == []
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    await page.screenshot(path=str(tmp_path / "application-form.png"), full_page=True)


async def test_a_decision_from_the_institution_on_the_case_page_at_390_px(
    page: Page,
    base_url: str,
    sign_in: SignIn,
    registry_sandbox: Sandbox,
    services: Services,
    tmp_path: Path,
) -> None:
    """The residence declaration PMLP decided through the institution API: the case page
    shows the decision and links the official message, which opens in the mailbox."""
    anna = await sign_in(persona_slug="anna")
    await activate_person(anna.id)
    await load_catalogue(load_content(), engine=services.engine)
    services.catalogue.invalidate()
    record = await declare(anna.subject_key, anna.id)
    async with httpx.AsyncClient(base_url=base_url) as http:
        pmlp = await client_for(http, "pmlp")
        assert (await pmlp.step(record.id, {"to": "received"})).status_code == 200
        decided = await pmlp.step(
            record.id,
            {"to": "decided", "outcome": "granted", "note": "Dzīvesvieta deklarēta."},
        )
        assert decided.status_code == 200, decided.text
    message_id = decided.json()["message"]["id"]
    await page.set_viewport_size({"width": 390, "height": 844})
    links = {
        "lv": "Oficiālā vēstule e-adresē",
        "en": "The official message in the e-address",
        "ru": "Официальное письмо в э-адресе",
    }
    for language, link in links.items():
        await set_language(page.context, base_url, language)
        await page.goto(f"{base_url}/applications/{record.id}")
        timeline = page.locator(".timeline")
        assert "Dzīvesvieta deklarēta." in await timeline.inner_text()
        await timeline.get_by_role("link", name=link).wait_for()
        assert serious(await axe_violations(page)) == []
        overflow = await page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        if language == "lv":
            # A numeric date where Latvian would need a case after "par saņemtu".
            deemed = r"Uzskatāma par saņemtu \d\d\.\d\d\.\d{4}\."
            assert re.search(deemed, await timeline.inner_text())
            await page.screenshot(path=str(tmp_path / "application-decided.png"), full_page=True)
    await page.locator(".timeline").get_by_role("link", name=links["ru"]).click()
    await page.wait_for_url(f"**/mail/messages/{message_id}")
    assert "Lēmums par iesniegumu" in await page.locator("main").inner_text()
