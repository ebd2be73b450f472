"""A signed-in person's own progress through a life situation, from the registry sandbox over
real HTTP: the steps the registries show as done, what is due and by when, workspace links."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest

from backend.catalogue.files import load_content
from tests.auth_driver import login_as
from tests.idp_driver import RunningIdP
from tests.sandbox_driver import Sandbox

CONTENT = load_content()
BIRTH = CONTENT.life_situations["child-birth"]
ADULT = CONTENT.life_situations["turning-18"]
VEHICLE = CONTENT.life_situations["buying-vehicle"]
HTML = {"accept": "text/html", "accept-language": "en"}


def steps(page: httpx.Response) -> dict[str, str]:
    """Each step's title → the step's text (tags removed)."""
    found = {}
    for item in re.findall(r'<li class="step step--\w+">(.*?)</li>\n', page.text, re.S):
        title = unescape(re.search(r"<h3>(.*?)</h3>", item, re.S).group(1))  # type: ignore[union-attr]
        found[title] = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", item)))
    return found


@pytest.fixture
async def browser(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient
) -> httpx.AsyncClient:
    return http


async def test_laura_sees_the_birth_registered_and_what_is_still_due(
    browser: httpx.AsyncClient,
) -> None:
    await login_as(browser, "laura", "eparaksts")
    page = await browser.get(f"/life-situations/{BIRTH.slug}", headers=HTML)
    assert page.status_code == 200
    assert "Your progress" in page.text
    assert "The registries show the date of the event" in page.text
    shown = steps(page)
    register = shown["Register the birth"]
    assert "Done" in register
    assert "See it in your workspace" in register
    # The entry in the register is the state's own doing.
    assert "The state does this" in shown["The child is entered in the Natural Persons Register"]
    # A benefit with a deadline counted from the birth is due, with its date.
    benefit = shown["Claim the childbirth benefit"]
    assert "To do" in benefit
    assert re.search(r"\(in \d+ days\)", benefit)
    # Her own family doctor was chosen long before the birth: not the baby's.
    assert "Done" not in shown["Register the child with a family doctor"]


async def test_kristaps_turning_18_counts_from_his_birthday(browser: httpx.AsyncClient) -> None:
    await login_as(browser, "kristaps", "eparaksts")
    page = await browser.get(f"/life-situations/{ADULT.slug}", headers=HTML)
    assert page.status_code == 200
    assert re.search(r"The registries show the date of the event: \d{1,2} \w+ \d{4}\.", page.text)
    # The e-address is activated in the workspace's mail.
    assert "Open your workspace" in steps(page)["Activate your e-address"]
    assert 'href="/mail"' in page.text


async def test_a_date_given_outranks_the_registry(browser: httpx.AsyncClient) -> None:
    await login_as(browser, "laura", "eparaksts")
    page = await browser.get(
        f"/life-situations/{BIRTH.slug}", params={"event": "2026-11-06"}, headers=HTML
    )
    assert "Counted from the date you gave" in page.text
    # The childbirth benefit: within 6 months → Thursday 6 May 2027.
    assert '<time datetime="2027-05-06">' in page.text


async def test_a_person_without_registry_data_sees_nothing_done(
    browser: httpx.AsyncClient,
) -> None:
    await login_as(browser, "pierre", "eidas")
    page = await browser.get(f"/life-situations/{BIRTH.slug}", headers=HTML)
    assert page.status_code == 200
    assert all("Done" not in text for text in steps(page).values())


async def test_a_vehicle_purchase_counts_from_the_date_given(browser: httpx.AsyncClient) -> None:
    await login_as(browser, "anna", "eparaksts")
    path = f"/life-situations/{VEHICLE.slug}"
    without = steps(await browser.get(path, headers=HTML))
    # The registry shows a car registered to Anna, but not since when.
    assert "Done" in without["Register the change of owner"]
    page = await browser.get(path, params={"event": "2026-11-27"}, headers=HTML)
    given = steps(page)
    register = given["Register the change of owner"]
    assert "Done" not in register
    # Within 5 days of the transfer: 2 December 2026, a Wednesday.
    assert '<time datetime="2026-12-02">' in page.text
    assert "Open your workspace" in register


async def test_the_dashboard_leads_to_the_catalogue(browser: httpx.AsyncClient) -> None:
    await login_as(browser, "laura", "eparaksts")
    home = await browser.get("/", headers=HTML)
    assert home.status_code == 200
    assert "Changes since your last visit" in home.text  # still the dashboard
    assert 'action="/search"' in home.text
    assert 'href="/life-situations"' in home.text
