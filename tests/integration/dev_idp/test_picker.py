"""The persona picker: an accessible form, methods filtered by acr_values, CSRF-bound."""

from __future__ import annotations

import re

import httpx

from integrations.devstack.dev_idp.methods import LOA_HIGH, LOA_SUBSTANTIAL
from integrations.devstack.personas import PERSONAS
from tests.idp_driver import choose, parse_form
from tests.integration.dev_idp.conftest import IdP


async def test_picker_is_a_plain_accessible_form(idp: IdP, browser: httpx.AsyncClient) -> None:
    page = await browser.get(idp.endpoint("authorize"), params=idp.request().params)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="en">' in html
    assert html.count("<fieldset") == 2
    assert html.count("<legend>") == 2
    assert '<span lang="lv">' in html
    assert "<script" not in html
    form = parse_form(html)
    assert page.url.join(form.action) == idp.endpoint("authorize")
    assert set(form.hidden) == {"request_id", "csrf_token"}
    assert form.radios["persona"] == [p.slug for p in PERSONAS]
    assert form.radios["method"] == ["bank", "eparaksts", "eid_card", "eidas"]
    for slug in form.radios["persona"]:
        assert form.labels[f"persona-{slug}"], "every radio button has a label"
    for person in PERSONAS:
        assert person.name in html
        assert person.summary.split(" ")[0] in html
        assert (person.personal_code or person.eidas_id or "") in html
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp  # falls back to 'none'
    assert "form-action 'self' http://127.0.0.1:9" in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["cache-control"] == "no-store"
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert stylesheet
    css = await browser.get(idp.url + stylesheet.group(1))
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")


async def test_acr_values_withholds_methods_below_the_requested_level(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    def offered(page: httpx.Response) -> list[str]:
        return parse_form(page.text).radios["method"]

    authorize = idp.endpoint("authorize")
    substantial = await browser.get(
        authorize, params=idp.request(acr_values=LOA_SUBSTANTIAL).params
    )
    assert offered(substantial) == ["eparaksts", "eid_card", "eidas"]
    assert "Not offered" in substantial.text
    high = await browser.get(authorize, params=idp.request(acr_values=LOA_HIGH).params)
    assert offered(high) == ["eparaksts", "eid_card"]
    # A list names acceptable levels: the lowest of them is the floor; unknown values are ignored.
    both = idp.request(acr_values=f"urn:unknown {LOA_HIGH} {LOA_SUBSTANTIAL}")
    assert offered(await browser.get(authorize, params=both.params)) == [
        "eparaksts",
        "eid_card",
        "eidas",
    ]
    unknown = await browser.get(authorize, params=idp.request(acr_values="urn:unknown").params)
    assert offered(unknown) == ["bank", "eparaksts", "eid_card", "eidas"]


async def test_a_withheld_method_cannot_be_posted_anyway(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    page = await browser.get(
        idp.endpoint("authorize"), params=idp.request(acr_values=LOA_HIGH).params
    )
    answer = await choose(browser, page, "anna", "bank")
    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert "Choose one of the login methods offered" in answer.text


async def test_method_must_suit_the_person(idp: IdP, browser: httpx.AsyncClient) -> None:
    page = await browser.get(idp.endpoint("authorize"), params=idp.request().params)
    eidas_for_latvian = await choose(browser, page, "anna", "eidas")
    assert eidas_for_latvian.status_code == 400
    assert "only for people without a Latvian personal code" in eidas_for_latvian.text
    assert parse_form(eidas_for_latvian.text).checked == {"persona": "anna", "method": "eidas"}
    bank_for_foreigner = await choose(browser, eidas_for_latvian, "pierre", "bank")
    assert bank_for_foreigner.status_code == 400
    assert "has no Latvian personal code" in bank_for_foreigner.text
    nothing = await choose(browser, bank_for_foreigner, "", "")
    assert nothing.status_code == 400
    assert "Choose the person to log in as." in nothing.text
    assert 'role="alert"' in nothing.text
    # Still usable after the mistakes.
    fixed = await choose(browser, nothing, "pierre", "eidas")
    assert fixed.status_code == 302


async def test_form_is_bound_to_the_browser_and_its_csrf_token(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    page = await browser.get(idp.endpoint("authorize"), params=idp.request().params)
    form = parse_form(page.text)
    forged = await choose(browser, page, "anna", "bank", csrf_token="forged")
    assert forged.status_code == 403
    async with httpx.AsyncClient(timeout=10) as other_browser:
        stolen = await other_browser.post(
            idp.endpoint("authorize"), data={**form.hidden, "persona": "anna", "method": "bank"}
        )
    assert stolen.status_code == 403
    assert "location" not in stolen.headers
    unknown = await choose(browser, page, "anna", "bank", request_id="no-such-request")
    assert unknown.status_code == 400
    assert "expired" in unknown.text
    # The genuine form still works, once.
    assert (await choose(browser, page, "anna", "bank")).status_code == 302
    assert (await choose(browser, page, "anna", "bank")).status_code == 400
