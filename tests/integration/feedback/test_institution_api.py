"""Feedback reaches the institution responsible for the page, through its API with real client
credentials; an institution never reads another's feedback; scopes and input are checked."""

from __future__ import annotations

import uuid

import httpx

from backend.catalogue.publishers import link_publisher
from backend.eaddress.institution_api.institutions import register_institution
from backend.feedback.masking import PERSONAL_CODE
from backend.services import Services
from tests.integration.eaddress.conftest import fetch_token, unique_number
from tests.integration.feedback.conftest import JSON, widget_fields

API = "/api/feedback/v1"


async def _reader(
    http: httpx.AsyncClient, institution: str | None, scopes: tuple[str, ...] = ("feedback:read",)
) -> dict[str, str]:
    client = await register_institution("Testa iestāde", unique_number("9"), scopes)
    if institution is not None:
        await link_publisher(client.client_id, institution)
    return {"Authorization": f"Bearer {await fetch_token(http, client)}"}


async def _answer(visitor: httpx.AsyncClient, path: str, useful: str, comment: str = "") -> None:
    fields = await widget_fields(visitor, "/services")
    data = fields | {"page": path, "useful": useful, "comment": comment}
    answer = await visitor.post("/feedback", data=data, headers=JSON)
    assert answer.status_code == 201, answer.text


async def test_each_institution_sees_counts_and_comments_of_its_own_pages_only(
    visitor: httpx.AsyncClient, http: httpx.AsyncClient, loaded: Services
) -> None:
    catalogue = loaded.catalogue
    pmlp_service = next(s for s in catalogue.services() if s.institution == "pmlp")
    vid_service = next(s for s in catalogue.services() if s.institution == "vid")
    pmlp_page, vid_page = f"/services/{pmlp_service.slug}", f"/services/{vid_service.slug}"
    marker = uuid.uuid4().hex[:8]
    await _answer(visitor, pmlp_page + "?from=search", "yes")
    await _answer(visitor, pmlp_page, "no", f"pmlp {marker}: kods 010190-12345")
    await _answer(visitor, vid_page, "no", f"vid {marker}")

    pmlp = await _reader(http, "pmlp")
    vid = await _reader(http, "vid")
    counts = (await http.get(f"{API}/pages", headers=pmlp)).json()
    assert counts["institution"] == "pmlp"
    by_path = {p["path"]: p for p in counts["pages"]}
    assert by_path[pmlp_page]["yes"] >= 1
    assert by_path[pmlp_page]["no"] >= 1
    assert vid_page not in by_path
    said = [c["comment"] for c in (await http.get(f"{API}/comments", headers=pmlp)).json()["items"]]
    assert f"pmlp {marker}: kods {PERSONAL_CODE}" in said
    assert not any(marker in c and c.startswith("vid") for c in said)

    vid_said = (await http.get(f"{API}/comments", headers=vid)).json()["items"]
    assert any(c["comment"] == f"vid {marker}" and c["path"] == vid_page for c in vid_said)
    assert not any(c["comment"].startswith(f"pmlp {marker}") for c in vid_said)
    vid_counts = (await http.get(f"{API}/pages", headers=vid)).json()["pages"]
    assert pmlp_page not in {p["path"] for p in vid_counts}


async def test_a_life_situation_reaches_every_institution_responsible_for_it(
    visitor: httpx.AsyncClient, http: httpx.AsyncClient, loaded: Services
) -> None:
    situation = next(s for s in loaded.catalogue.life_situations() if len(s.institutions) > 1)
    path = f"/life-situations/{situation.slug}"
    marker = uuid.uuid4().hex[:8]
    await _answer(visitor, path, "no", f"situation {marker}")
    for institution in situation.institutions[:2]:
        reader = await _reader(http, institution)
        items = (await http.get(f"{API}/comments", headers=reader)).json()["items"]
        assert any(c["comment"] == f"situation {marker}" for c in items), institution
    outsider = next(
        i.id for i in loaded.catalogue.institutions() if i.id not in situation.institutions
    )
    items = (await http.get(f"{API}/comments", headers=await _reader(http, outsider))).json()
    assert not any(c["comment"] == f"situation {marker}" for c in items["items"])


async def test_without_the_scope_a_link_or_a_token_the_api_refuses(
    http: httpx.AsyncClient, loaded: Services
) -> None:
    no_scope = await _reader(http, "pmlp", scopes=("catalogue:write",))
    answer = await http.get(f"{API}/pages", headers=no_scope)
    assert answer.status_code == 403
    assert answer.json()["code"] == "insufficient_scope"
    unlinked = await _reader(http, None)
    answer = await http.get(f"{API}/comments", headers=unlinked)
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_linked"
    assert (await http.get(f"{API}/pages")).status_code == 401
    reader = await _reader(http, "pmlp")
    for bad in ("0", "201", "ten"):
        answer = await http.get(f"{API}/comments", params={"limit": bad}, headers=reader)
        assert answer.status_code == 400, bad
