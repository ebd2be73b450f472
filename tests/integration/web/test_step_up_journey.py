"""The step-up journey (issue 15) over real HTTP, through the development identity provider:
a switch to a company behind a bank login is explained on /auth/step-up (why, which methods
qualify, a button), waits server-side, and is finished after the stronger login — landing
where the person was going, acting for the company, with the header saying so on every page
and one tap back to acting for oneself."""

from __future__ import annotations

import re

import httpx

from integrations.devstack.personas import OZOLS_TECH
from tests.auth_driver import graphql, login_as, pick
from tests.idp_driver import RunningIdP
from tests.sandbox_driver import Sandbox

ENGLISH = {"accept": "text/html", "accept-language": "en"}
OZOLS = f"company:{OZOLS_TECH.registration_number}"
ACTING = "{ me { actingAs { id } } }"


async def csrf(browser: httpx.AsyncClient) -> str:
    if "csrftoken" not in browser.cookies:
        await browser.get("/", headers=ENGLISH)
    return browser.cookies.get("csrftoken", "")


async def acting_as(browser: httpx.AsyncClient) -> str:
    return (await graphql(browser, ACTING))["data"]["me"]["actingAs"]["id"]  # type: ignore[index]


def header(html: str) -> str:
    found = re.search(r'<header class="site-header">.*?</header>', html, re.S)
    assert found, "no header"
    return found.group(0)


async def test_a_switch_behind_a_bank_login_is_explained_and_finished_after_the_step_up(
    idp: RunningIdP, registry_sandbox: Sandbox, base_url: str
) -> None:
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=10) as martins,
        httpx.AsyncClient(base_url=base_url, timeout=10) as anna,
    ):
        await login_as(martins, "martins", "bank")
        asked = await martins.post(
            "/account/acting-as",
            data={"_csrf_token": await csrf(martins), "subject_id": OZOLS, "next": "/obligations"},
        )
        assert asked.status_code == 303
        step_up = asked.headers["location"]
        resume = re.fullmatch(
            r"/auth/step-up\?level=substantial&next=(/account/acting-as/resume/[\w-]+)", step_up
        )
        assert resume, step_up
        resume_path = resume.group(1)
        assert OZOLS not in step_up
        assert "40003" not in step_up

        # The page says why, which methods qualify, what will be finished, and has the button.
        page = await martins.get(step_up, headers=ENGLISH)
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        assert "A login through an internet bank is not enough." in page.text
        assert "eParaksts mobile" in page.text
        assert "eID card" in page.text
        assert "After the login, you will act for Ozols Tech SIA" in page.text
        button = f'<a class="button" href="/auth/login?level=substantial&amp;next={resume_path}">'
        assert button in page.text

        # Another person holding the link finds nothing: the request is Mārtiņš's alone.
        await login_as(anna, "anna", "eparaksts")
        stolen = await anna.get(resume_path, headers=ENGLISH)
        assert stolen.headers["location"] == "/account?notice=switch_expired"
        assert await acting_as(anna) != OZOLS

        # Still behind the bank login, the resume explains again and keeps the request.
        early = await martins.get(resume_path, headers=ENGLISH)
        assert early.headers["location"] == step_up

        # The button: the provider is asked for the stronger level and offers no bank login.
        login = await martins.get(f"/auth/login?level=substantial&next={resume_path}")
        authorize = httpx.URL(login.headers["location"])
        assert "http://eidas.europa.eu/LoA/substantial" in authorize.params["acr_values"]
        picker = await martins.get(str(authorize))
        assert 'value="bank"' not in picker.text
        back = await martins.get(str(await pick(martins, picker, "martins", "eparaksts")))
        assert back.headers["location"] == resume_path

        # The switch is finished, authorised again, and the person lands where they were going.
        finished = await martins.get(resume_path, headers=ENGLISH)
        assert (finished.status_code, finished.headers["location"]) == (303, "/obligations")
        assert await acting_as(martins) == OZOLS
        again = await martins.get(resume_path, headers=ENGLISH)  # used once
        assert again.headers["location"] == "/account?notice=switch_expired"

        # Every page says whom they act for, with one tap back.
        for path in ("/obligations", "/privacy", "/notifications", "/"):
            shown = await martins.get(path, headers=ENGLISH)
            assert shown.status_code == 200, path
            top = header(shown.text)
            assert "Acting for Ozols Tech SIA" in top, path
            assert 'action="/account/acting-as"' in top
        self_id = re.search(r'name="subject_id" value="([^"]+)"', header(shown.text))
        assert self_id
        assert self_id.group(1).startswith("person:")

        # The company workspace shows the company's unread official mail too.
        workspace = await martins.get("/company", headers=ENGLISH)
        assert "Official e-address mail" in workspace.text
        assert f'href="/mail?subject={OZOLS.replace(":", "%3A")}"' in workspace.text

        # Buttons that act for the company name it.
        duties = await martins.get("/obligations", headers=ENGLISH)
        assert "(on behalf of Ozols Tech SIA)" in duties.text

        # One tap back: acting for himself, the strip is gone.
        back_home = await martins.post(
            "/account/acting-as",
            data={
                "_csrf_token": await csrf(martins),
                "subject_id": self_id.group(1),
                "next": "/privacy",
            },
        )
        assert back_home.headers["location"] == "/privacy"
        assert await acting_as(martins) == self_id.group(1)
        assert "Acting for" not in header((await martins.get("/privacy", headers=ENGLISH)).text)


async def test_the_step_up_page_refuses_an_unknown_level_and_skips_itself_when_strong_enough(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    bad = await http.get("/auth/step-up?level=extreme&next=/mail", headers=ENGLISH)
    assert bad.status_code == 400
    assert "invalid_level" in bad.text
    api = await http.get("/auth/step-up?level=extreme", headers={"accept": "application/json"})
    assert api.status_code == 400
    assert api.json()["detail"] == "`level` must be substantial or high."
    offsite = await http.get("/auth/step-up?level=high&next=//evil.example/", headers=ENGLISH)
    assert offsite.status_code == 200
    assert 'href="/auth/login?level=high&amp;next=/"' in offsite.text  # never off-site
    await login_as(http, "anna", "eparaksts")
    strong = await http.get("/auth/step-up?level=substantial&next=/mail", headers=ENGLISH)
    assert (strong.status_code, strong.headers["location"]) == (303, "/mail")
