"""'Was this page useful?' on a phone (390 px) in Latvian: answered without a reload, and as a
plain form when the script does not run; no axe violation in any state of the widget."""

from __future__ import annotations

import json
import uuid

from playwright.async_api import Page, Route

from backend.applications import service as applications
from backend.applications.machine import Actor, Outcome, Status
from backend.feedback.masking import PERSONAL_CODE
from backend.feedback.tables import PageFeedback
from backend.services import Services
from tests.browser.conftest import SignIn, axe_violations, set_language
from tests.browser.test_phone import PHONE, fits_a_phone
from tests.integration.feedback.test_service_ratings import SUBMIT
from tests.sandbox_driver import Sandbox


async def _comments(path: str) -> list[str]:
    rows = await PageFeedback.select(PageFeedback.comment).where(PageFeedback.path == path).run()
    return [str(r["comment"]) for r in rows if r["comment"]]


async def test_the_answer_is_sent_without_a_reload_and_the_page_stays_accessible(
    page: Page, base_url: str, services: Services
) -> None:
    await page.set_viewport_size(PHONE)
    await set_language(page.context, base_url, "lv")
    await page.goto(base_url + "/statistics?from=test")
    widget = page.locator("#page-feedback")
    await widget.get_by_role("heading", name="Vai šī lapa bija noderīga?").wait_for()
    await page.evaluate("window.__sameDocument = true")
    await fits_a_phone(page)  # the question

    await widget.locator("summary", has_text="Nē").click()
    comment = widget.get_by_label("Ko Jūs meklējāt? (nav obligāti)")
    await comment.wait_for(state="visible")
    await fits_a_phone(page)  # "no" opened: the optional text
    marker = uuid.uuid4().hex[:8]
    await comment.fill(f"Meklēju {marker}, mans kods 010190-12345")
    await widget.get_by_role("button", name="Sūtīt").click()

    # A polite live region, not role=status: the page's own status message stays the only one.
    await (
        widget.locator("[data-feedback-status]")
        .filter(has_text="Paldies par atsauksmi.")
        .wait_for()
    )
    assert await page.evaluate("window.__sameDocument === true"), "the page reloaded"
    assert page.url.endswith("/statistics?from=test")
    assert not await widget.get_by_role("button", name="Sūtīt").is_visible()
    await fits_a_phone(page)  # thanked
    assert f"Meklēju {marker}, mans kods {PERSONAL_CODE}" in await _comments("/statistics")


async def test_without_the_script_the_form_posts_and_returns_with_a_thank_you(
    page: Page, base_url: str
) -> None:
    async def no_script(route: Route) -> None:
        await route.abort()

    await page.route("**/js/page-feedback.js*", no_script)
    await page.set_viewport_size(PHONE)
    await set_language(page.context, base_url, "lv")
    await page.goto(base_url + "/services")
    widget = page.locator("#page-feedback")
    async with page.expect_navigation():
        await widget.get_by_role("button", name="Jā").click()
    assert page.url.endswith("/services?feedback=thanks#page-feedback")
    await widget.get_by_text("Paldies par atsauksmi.").wait_for()
    await fits_a_phone(page)
    assert await axe_violations(page) == []


async def test_a_problem_report_on_a_phone_gives_a_reference_and_its_status(
    page: Page, base_url: str
) -> None:
    await page.set_viewport_size(PHONE)
    await set_language(page.context, base_url, "lv")
    await page.goto(base_url + "/services")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Ziņot par problēmu šajā lapā").click()
    await fits_a_phone(page)  # the form
    async with page.expect_navigation():
        await page.get_by_role("button", name="Nosūtīt ziņojumu").click()
    await page.get_by_role("alert").wait_for()
    await fits_a_phone(page)  # the form with its errors
    await page.get_by_label("Informācija ir nepareiza vai tās trūkst (saturs)").check()
    await page.get_by_label("Kas notika?").fill("Trūkst informācijas par maksu.")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Nosūtīt ziņojumu").click()
    heading = await page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Ziņojums par problēmu P-")
    await page.get_by_text("Saņemts").wait_for()
    await fits_a_phone(page)  # the reporter's page


async def test_rating_a_decided_application_on_a_phone(
    page: Page, base_url: str, sign_in: SignIn, registry_sandbox: Sandbox
) -> None:
    await sign_in(persona_slug="anna")
    await page.set_viewport_size(PHONE)
    await set_language(page.context, base_url, "lv")
    answers = {"new_address": "Elizabetes iela 2, Rīga", "moved_on": "2026-11-20",
               "basis": "tenancy"}  # fmt: skip
    submitted = await page.request.post(
        base_url + "/graphql",
        data=json.dumps({"query": SUBMIT, "variables": {"in": {
            "serviceId": "declare-residence", "key": uuid.uuid4().hex,
            "answers": [{"field": k, "value": v} for k, v in answers.items()]}}}),
        headers={"content-type": "application/json", "origin": base_url},
    )  # fmt: skip
    application_id = (await submitted.json())["data"]["submitApplication"]["application"]["id"]
    record = await applications.load(uuid.UUID(application_id))
    assert record is not None
    record = await applications.move(record, Status.RECEIVED, Actor.INSTITUTION)
    await applications.move(record, Status.DECIDED, Actor.INSTITUTION, outcome=Outcome.GRANTED)

    await page.goto(f"{base_url}/applications/{application_id}")
    rating = page.locator("#service-rating")
    await rating.get_by_role(
        "heading", name="Kā Jums veicās ar pieteikšanos tiešsaistē?"
    ).wait_for()
    await fits_a_phone(page)
    await rating.get_by_label("4 – labi").check()
    async with page.expect_navigation():
        await rating.get_by_role("button", name="Nosūtīt vērtējumu").click()
    await rating.get_by_text("Paldies! Jūsu vērtējums ir saglabāts.").wait_for()
    await fits_a_phone(page)
