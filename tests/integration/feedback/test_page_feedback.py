"""'Was this page useful?': answered with and without JavaScript, stored without the query
string and with personal data masked, refused clearly when malformed, limited per client."""

from __future__ import annotations

from pathlib import Path

import httpx

from backend.feedback.masking import EMAIL, PERSONAL_CODE, PHONE
from backend.feedback.tables import PageFeedback
from backend.services import Services
from backend.settings import Settings
from tests.auth_driver import login_as
from tests.conftest import variant_app
from tests.idp_driver import RunningIdP
from tests.integration.feedback.conftest import HTML, JSON, text_of, widget_fields
from tests.sandbox_driver import Sandbox


async def _stored(path: str) -> list[dict[str, object]]:
    return await PageFeedback.select().where(PageFeedback.path == path).run()


async def test_without_javascript_the_answer_returns_to_the_page_with_a_thank_you(
    visitor: httpx.AsyncClient, loaded: Services
) -> None:
    service = loaded.catalogue.services()[0]
    path = f"/services/{service.slug}"
    fields = await widget_fields(visitor, f"{path}?lang=lv")
    assert fields["page"] == f"{path}?lang=lv"
    before = len(await _stored(path))
    comment = "Meklēju termiņu. Mans kods 010190-12345, e-pasts anna@inbox.lv, tālr. +371 29123456"
    answer = await visitor.post("/feedback", data=fields | {"comment": comment}, headers=HTML)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{path}?lang=lv&feedback=thanks#page-feedback"
    back = await visitor.get(answer.headers["location"].split("#")[0], headers=HTML)
    assert "Paldies par atsauksmi." in text_of(back)
    assert 'name="useful"' not in back.text.split('id="page-feedback"', 1)[1]
    rows = await _stored(path)
    assert len(rows) == before + 1
    row = max(rows, key=lambda r: str(r["created_at"]))
    assert row["useful"] in (False, 0)
    assert row["section"] == "services"
    assert row["comment"] == (
        f"Meklēju termiņu. Mans kods {PERSONAL_CODE}, e-pasts {EMAIL}, tālr. {PHONE}"
    )


async def test_with_javascript_the_answer_is_json_and_a_yes_keeps_no_comment(
    visitor: httpx.AsyncClient,
) -> None:
    fields = await widget_fields(visitor, "/services")
    answer = await visitor.post(
        "/feedback",
        data=fields | {"useful": "yes", "page": "/services?q=pase", "comment": "ignored"},
        headers=JSON,
    )
    assert answer.status_code == 201
    assert answer.json() == {"status": "received"}
    rows = await _stored("/services")
    assert rows, "stored under the path without its query"
    assert not await _stored("/services?q=pase")
    assert all(r["comment"] is None for r in rows if r["useful"] in (True, 1))


async def test_malformed_answers_are_refused_with_400_and_nothing_is_stored(
    visitor: httpx.AsyncClient,
) -> None:
    fields = await widget_fields(visitor, "/services")
    for bad in (
        {"useful": "maybe"},
        {"useful": ""},
        {"page": "https://evil.example/services"},
        {"page": "//evil.example/x"},
        {"page": ""},
        {"page": "/" + "a" * 400},
        {"comment": "x" * 501},
    ):
        answer = await visitor.post("/feedback", data=fields | bad, headers=JSON)
        assert answer.status_code == 400, (bad, answer.text)
        assert answer.json()["code"] in ("invalid_answer", "invalid_page", "comment_too_long")
    page = await visitor.post("/feedback", data=fields | {"useful": "maybe"}, headers=HTML)
    assert page.status_code == 400
    assert "text/html" in page.headers["content-type"]
    assert not await _stored("https://evil.example/services")


async def test_an_answer_without_the_csrf_token_is_refused(visitor: httpx.AsyncClient) -> None:
    fields = await widget_fields(visitor, "/services")
    del fields["_csrf_token"]
    answer = await visitor.post("/feedback", data=fields, headers=JSON)
    assert answer.status_code == 403


async def test_one_client_is_limited_to_ten_answers_a_minute(
    settings: Settings, loaded: Services, var_dir: Path
) -> None:
    async with (
        variant_app(settings, loaded, var_dir) as (url, _),
        httpx.AsyncClient(base_url=url, timeout=10) as client,
    ):
        fields = await widget_fields(client, "/services")
        codes = [
            (await client.post("/feedback", data=fields, headers=JSON)).status_code
            for _ in range(11)
        ]
    assert codes == [201] * 10 + [429]


async def test_the_question_is_on_public_and_workspace_pages_but_not_on_error_pages(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    for path in ("/services", "/life-situations", "/search?q=pase"):
        page = await http.get(path, headers=HTML)
        assert 'id="page-feedback"' in page.text, path
    missing = await http.get("/no-such-page", headers=HTML)
    assert missing.status_code == 404
    assert 'id="page-feedback"' not in missing.text
    await login_as(http, "anna", "eparaksts")
    home = await http.get("/", headers=HTML)
    assert "Vai šī lapa bija noderīga?" in text_of(home)
    fields = await widget_fields(http, "/obligations")
    answer = await http.post("/feedback", data=fields | {"useful": "yes"}, headers=JSON)
    assert answer.status_code == 201
    rows = await _stored("/obligations")
    assert any(r["signed_in"] in (True, 1) and r["section"] == "obligations" for r in rows)
