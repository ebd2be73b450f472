"""Rating an e-service once the application is decided: only then, only by whoever may see
the application, one rating per application, masked, and read by the service's institution."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from backend.applications import service as applications
from backend.applications.machine import Actor, Outcome, Status
from backend.feedback.masking import PHONE
from backend.feedback.tables import ServiceRating
from backend.services import Services
from tests.auth_driver import graphql, login_as
from tests.integration.feedback.conftest import HTML, text_of
from tests.integration.feedback.test_institution_api import API, _reader

pytestmark = pytest.mark.usefixtures("registry_sandbox", "idp")

SUBMIT = """mutation($in: ApplicationInput!) { submitApplication(input: $in) {
  __typename ... on ApplicationSaved { application { id } } } }"""


async def _submitted(http: httpx.AsyncClient) -> str:
    answers = {"new_address": "Elizabetes iela 2, Rīga", "moved_on": "2026-11-20",
               "basis": "tenancy"}  # fmt: skip
    body: dict[str, Any] = await graphql(
        http, SUBMIT, {"in": {"serviceId": "declare-residence", "key": uuid.uuid4().hex,
                              "answers": [{"field": k, "value": v} for k, v in answers.items()]}},
    )  # fmt: skip
    return str(body["data"]["submitApplication"]["application"]["id"])


async def _decide(application_id: str) -> None:
    record = await applications.load(uuid.UUID(application_id))
    assert record is not None
    record = await applications.move(record, Status.RECEIVED, Actor.INSTITUTION)
    await applications.move(record, Status.DECIDED, Actor.INSTITUTION, outcome=Outcome.GRANTED)


async def _csrf(http: httpx.AsyncClient) -> str:
    return http.cookies.get("csrftoken", "")


async def test_a_decided_application_can_be_rated_once_and_its_institution_reads_it(
    http: httpx.AsyncClient, services: Services
) -> None:
    await login_as(http, "anna")
    application_id = await _submitted(http)
    page = await http.get(f"/applications/{application_id}", headers=HTML)
    assert 'id="service-rating"' not in page.text  # not decided yet
    early = await http.post(
        f"/feedback/ratings/{application_id}",
        data={"_csrf_token": await _csrf(http), "score": "4"},
        headers=HTML,
    )
    assert early.status_code == 409

    await _decide(application_id)
    page = await http.get(f"/applications/{application_id}", headers=HTML)
    assert "Kā Jums veicās ar pieteikšanos tiešsaistē?" in text_of(page)
    for bad in ("0", "6", "", "x"):
        refused = await http.post(f"/feedback/ratings/{application_id}",
                                  data={"_csrf_token": await _csrf(http), "score": bad},
                                  headers=HTML)  # fmt: skip
        assert refused.status_code == 400, bad
    marker = uuid.uuid4().hex[:6]
    for score in ("2", "5"):  # a second rating replaces the first
        rated = await http.post(
            f"/feedback/ratings/{application_id}",
            data={"_csrf_token": await _csrf(http), "score": score,
                  "comment": f"{marker} zvaniet 29123456"},
            headers=HTML,
        )  # fmt: skip
        assert rated.status_code == 303
        assert rated.headers["location"] == f"/applications/{application_id}?rated=1#service-rating"
    rows = await ServiceRating.select().where(ServiceRating.comment.like(f"{marker}%")).run()
    assert [(r["score"], r["comment"], r["service"]) for r in rows] == [
        (5, f"{marker} zvaniet {PHONE}", "declare-residence")
    ]
    thanked = await http.get(f"/applications/{application_id}?rated=1", headers=HTML)
    assert "Paldies! Jūsu vērtējums ir saglabāts. Zemāk to varat mainīt." in text_of(thanked)

    institution = services.catalogue.service_by_id("declare-residence")
    assert institution is not None
    reader = await _reader(http, institution.institution)
    scores = (await http.get(f"{API}/ratings", headers=reader)).json()["services"]
    assert any(s["service"] == "declare-residence" and s["ratings"] >= 1 for s in scores)


async def test_nobody_rates_an_application_they_cannot_see(
    http: httpx.AsyncClient, base_url: str
) -> None:
    await login_as(http, "anna")
    application_id = await _submitted(http)
    await _decide(application_id)
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as other:
        await login_as(other, "martins")
        answer = await other.post(
            f"/feedback/ratings/{application_id}",
            data={"_csrf_token": other.cookies.get("csrftoken", ""), "score": "1"},
            headers=HTML,
        )
        assert answer.status_code == 404
        garbage = await other.post(
            "/feedback/ratings/not-an-id",
            data={"_csrf_token": other.cookies.get("csrftoken", ""), "score": "1"},
            headers=HTML,
        )
        assert garbage.status_code in (400, 404)
    assert re.fullmatch(r"[0-9a-f-]{36}", application_id)
