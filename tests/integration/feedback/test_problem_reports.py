"""Report a problem: a reference number and a private link for the reporter, the report
routed to the institution responsible for the page, which answers it through its API; the
reporter then reads the status and the answer."""

from __future__ import annotations

import re
import uuid

import httpx

from backend.feedback.masking import EMAIL
from backend.feedback.tables import ProblemReport
from backend.services import Services
from tests.integration.feedback.conftest import HTML, text_of
from tests.integration.feedback.test_institution_api import API, _reader


async def _form(client: httpx.AsyncClient, page: str) -> dict[str, str]:
    form = await client.get("/feedback/report", params={"page": page}, headers=HTML)
    assert form.status_code == 200
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text)
    assert token
    return {"_csrf_token": token.group(1), "page": page}


async def test_a_report_gets_a_reference_is_answered_by_its_institution_and_the_reporter_sees_it(
    visitor: httpx.AsyncClient, http: httpx.AsyncClient, loaded: Services
) -> None:
    service = next(s for s in loaded.catalogue.services() if s.institution == "pmlp")
    path = f"/services/{service.slug}"
    fields = await _form(visitor, path)
    missing = await visitor.post("/feedback/report", data=fields | {"description": "x"},
                                 headers=HTML)  # fmt: skip
    assert missing.status_code == 400
    assert "Izvēlieties" in text_of(missing)
    marker = uuid.uuid4().hex[:8]
    sent = await visitor.post(
        "/feedback/report",
        data=fields | {"kind": "content", "description": f"{marker} raksti anna@inbox.lv",
                       "share_browser": "1"},
        headers=HTML | {"user-agent": "TestBrowser/1.0"},
    )  # fmt: skip
    assert sent.status_code == 303
    link = sent.headers["location"]
    reference = link.split("/")[3]
    assert re.fullmatch(r"P-[0-9A-Z]{8}", reference)
    status = await visitor.get(link, headers=HTML)
    assert status.status_code == 200
    assert status.headers["cache-control"] == "private, no-store"
    said = text_of(status)
    assert reference in said
    assert "Saņemts" in said
    assert f"{marker} raksti {EMAIL}" in said
    row = await ProblemReport.select().where(ProblemReport.reference == reference).first().run()
    assert row is not None
    assert (row["browser"], row["institution"], row["path"]) == ("TestBrowser/1.0", "pmlp", path)
    assert (await visitor.get(link[:-4] + "0000", headers=HTML)).status_code == 404

    pmlp = await _reader(http, "pmlp", scopes=("feedback:read", "feedback:answer"))
    listed = (await http.get(f"{API}/reports", headers=pmlp)).json()["items"]
    assert any(r["reference"] == reference for r in listed)
    vid = await _reader(http, "vid", scopes=("feedback:read", "feedback:answer"))
    assert all(r["reference"] != reference for r in
               (await http.get(f"{API}/reports", headers=vid)).json()["items"])  # fmt: skip
    answer = {"status": "resolved", "answer": "Paldies, apraksts ir labots."}
    other = await http.post(f"{API}/reports/{reference}/answer", json=answer, headers=vid)
    assert other.status_code == 404
    read_only = await _reader(http, "pmlp")
    refused = await http.post(f"{API}/reports/{reference}/answer", json=answer, headers=read_only)
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    for bad in ({"status": "closed"}, {"status": "resolved", "extra": 1}, [1]):
        wrong = await http.post(f"{API}/reports/{reference}/answer", json=bad, headers=pmlp)
        assert wrong.status_code == 400, bad
    garbage = await http.post(f"{API}/reports/{reference}/answer", content=b"{", headers=pmlp)
    assert garbage.status_code == 400
    done = await http.post(f"{API}/reports/{reference}/answer", json=answer, headers=pmlp)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "resolved"

    again = text_of(await visitor.get(link, headers=HTML))
    assert "Atrisināts" in again
    assert "Paldies, apraksts ir labots." in again


async def test_without_consent_no_browser_details_are_kept(visitor: httpx.AsyncClient) -> None:
    fields = await _form(visitor, "/search?q=pase")
    sent = await visitor.post(
        "/feedback/report",
        data=fields | {"kind": "technical", "description": "Meklēšana neatbild."},
        headers=HTML | {"user-agent": "TestBrowser/1.0"},
    )
    assert sent.status_code == 303
    reference = sent.headers["location"].split("/")[3]
    row = await ProblemReport.select().where(ProblemReport.reference == reference).first().run()
    assert row is not None
    assert (row["browser"], row["path"], row["institution"]) == (None, "/search", None)
