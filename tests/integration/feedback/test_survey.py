"""The yearly survey: signed-in only, complete answers only, once a year per person, and the
quarter's NPS and SUS on /statistics (suppressed below ten answers)."""

from __future__ import annotations

import re

import httpx
import pytest

from backend.feedback import survey
from backend.feedback.tables import SurveyResponse
from backend.lib.time import utcnow
from tests.auth_driver import login_as
from tests.integration.feedback.conftest import HTML, text_of

pytestmark = pytest.mark.usefixtures("registry_sandbox", "idp")


async def test_a_person_answers_once_a_year_and_the_quarter_appears_in_the_statistics(
    http: httpx.AsyncClient,
) -> None:
    assert (await http.get("/feedback/survey", headers=HTML)).status_code in (302, 303)
    await login_as(http, "laura")
    form = await http.get("/feedback/survey", headers=HTML)
    assert "Cik ticams ir, ka Jūs ieteiktu Vienuviet draugam vai kolēģim?" in text_of(form)
    token = {"_csrf_token": http.cookies.get("csrftoken", "")}
    sus = {f"sus-{n}": "4" if n % 2 else "2" for n in range(1, 11)}  # SUS 75
    incomplete = await http.post(
        "/feedback/survey", data=token | {"nps": "9"} | dict(list(sus.items())[:9]), headers=HTML
    )
    assert incomplete.status_code == 400
    assert "Atbildiet uz katru no desmit apgalvojumiem." in text_of(incomplete)
    bad_nps = await http.post("/feedback/survey", data=token | sus | {"nps": "11"}, headers=HTML)
    assert bad_nps.status_code == 400
    before = await SurveyResponse.count().where(
        SurveyResponse.quarter == survey.quarter_of(utcnow())
    )
    sent = await http.post("/feedback/survey", data=token | sus | {"nps": "9"}, headers=HTML)
    assert sent.status_code == 303
    assert "jau ir saņemtas" in text_of(await http.get("/feedback/survey", headers=HTML))
    again = await http.post("/feedback/survey", data=token | sus | {"nps": "0"}, headers=HTML)
    assert again.status_code == 409
    quarter = survey.quarter_of(utcnow())
    after = await SurveyResponse.count().where(SurveyResponse.quarter == quarter)
    assert after == before + 1

    page = await http.get("/statistics", params={"lang": "en"}, headers=HTML)
    row = re.search(rf'<th scope="row">{quarter}</th>(.*?)</tr>', page.text, re.S)
    assert row
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(1))).strip()
    expected = next(s for s in await survey.by_quarter() if s.quarter == quarter)
    if after < 10:
        assert cells == "fewer than 10 answers"
    else:
        assert cells.startswith(str(after))
        assert expected.sus is not None
