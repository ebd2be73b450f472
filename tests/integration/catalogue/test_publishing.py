"""Institutions publishing through the API with real client credentials: a draft is private
until published, previewable, versioned and in the history; an institution cannot touch
another's service; bad content is 422 with the field's path; retries are idempotent."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx

from backend.catalogue.jobs import purge_idempotency_keys
from backend.catalogue.tables import CatalogueIdempotency
from backend.lib.time import utcnow
from backend.services import Services
from tests.integration.catalogue.conftest import API, Publisher, make_publisher, new_service


async def test_a_draft_is_private_until_published_then_versioned_in_the_history(
    pmlp: Publisher, http: httpx.AsyncClient, loaded: Services
) -> None:
    body = new_service("pmlp")
    service_id = body["id"]
    draft = await pmlp.draft(body)
    assert draft.status_code == 201, draft.text
    saved = draft.json()
    assert (saved["version"], saved["status"]) == (1, "draft")
    assert saved["content"]["title"]["lv"] == body["title"]["lv"]
    # Not public yet: neither the service nor its history.
    assert (await http.get(f"{API}/services/{service_id}")).status_code == 404
    assert (await http.get(f"{API}/services/{service_id}/history")).status_code == 404
    search = await http.get(f"{API}/search", params={"q": service_id})
    assert service_id not in [r["id"] for r in search.json()["results"]]
    # The preview, as JSON for the institution and as a page for its reviewers.
    preview = await http.get(f"{API}/services/{service_id}/versions/1", headers=pmlp.auth)
    assert preview.status_code == 200
    assert preview.json()["content"]["slug"] == body["slug"]
    page = await http.get(saved["preview_url"].removeprefix(str(http.base_url).rstrip("/")))
    assert page.status_code == 200
    assert body["title"]["lv"] in page.text
    assert "noindex" in page.headers["x-robots-tag"]
    tampered = saved["preview_url"].replace(f"{service_id}.1.", f"{service_id}.2.")
    assert (
        await http.get(tampered.removeprefix(str(http.base_url).rstrip("/")))
    ).status_code == 404

    published = await pmlp.publish(service_id, 1)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    public = await http.get(f"{API}/services/{service_id}")
    assert public.status_code == 200
    assert public.json()["title"]["en"] == body["title"]["en"]
    first_etag = public.headers["etag"]

    # A second version stays a draft while the first is what everyone sees.
    changed = body | {"title": body["title"] | {"en": "Renamed test service"}}
    second = await pmlp.draft(changed)
    assert second.json()["version"] == 2
    still = await http.get(f"{API}/services/{service_id}", headers={"If-None-Match": first_etag})
    assert still.status_code == 304
    assert (await pmlp.publish(service_id, 2)).status_code == 200
    now = await http.get(f"{API}/services/{service_id}", headers={"If-None-Match": first_etag})
    assert now.status_code == 200
    assert now.json()["title"]["en"] == "Renamed test service"

    history = (await http.get(f"{API}/services/{service_id}/history")).json()
    assert [(v["version"], v["status"]) for v in history["versions"]] == [
        (2, "published"),
        (1, "published"),
    ]
    assert history["versions"][0]["author"] == f"client:{pmlp.client.client_id}"
    # The same history through the façade the pages read.
    facade = await loaded.catalogue.history(service_id)
    assert [v.version for v in facade] == [2, 1]
    # And on the service's public page, for people (Regulation No. 399: a change history).
    page = await http.get(f"/services/{body['slug']}", params={"lang": "en"})
    assert page.status_code == 200
    rows = page.text.split("Version history", 1)[1].split("</table>", 1)[0]
    assert rows.count("<tr>") == 3  # the header and two versions
    assert "Renamed test service" in page.text
    # Publishing twice, or an older version over a newer one, is refused.
    assert (await pmlp.publish(service_id, 2)).json()["code"] == "already_published"
    third = await pmlp.draft(body)
    assert third.json()["version"] == 3
    versions = await http.get(f"{API}/services/{service_id}/versions", headers=pmlp.auth)
    assert [v["status"] for v in versions.json()["versions"]] == ["draft", "published", "published"]


async def test_an_institution_cannot_change_or_claim_another_institutions_service(
    pmlp: Publisher, vid: Publisher, http: httpx.AsyncClient
) -> None:
    body = new_service("pmlp")
    assert (await pmlp.draft(body)).status_code == 201
    # VID sending PMLP's service, as PMLP's or as its own: both refused, nothing saved.
    for attempt in (body, body | {"institution": "vid"}):
        response = await vid.draft(attempt)
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "not_your_service"
    assert (await vid.publish(body["id"], 1)).status_code == 403
    assert (
        await http.get(f"{API}/services/{body['id']}/versions/1", headers=vid.auth)
    ).status_code == 403
    # A real service of PMLP's (loaded from the files) is just as closed to VID.
    assert (await vid.draft(new_service("pmlp", id="passport", slug="pase"))).status_code == 403
    # And nobody creates a service in another institution's name.
    assert (await pmlp.draft(new_service("vid"))).status_code == 403
    versions = await http.get(f"{API}/services/{body['id']}/versions", headers=pmlp.auth)
    assert len(versions.json()["versions"]) == 1


async def test_tokens_scopes_and_links_are_checked(
    loaded: Services, http: httpx.AsyncClient
) -> None:
    body = new_service("pmlp")
    anonymous = await http.post(f"{API}/services/{body['id']}/drafts", json=body)
    assert anonymous.status_code == 401
    assert "Bearer" in anonymous.headers["www-authenticate"]
    mail_only = await make_publisher(http, "pmlp", scopes=("eaddress.send",))
    response = await mail_only.draft(body)
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    unlinked = await make_publisher(http, "pmlp", link=False)
    response = await unlinked.draft(body)
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_publisher"


async def test_invalid_content_is_422_with_the_fields_path(
    pmlp: Publisher, http: httpx.AsyncClient
) -> None:
    body = new_service("pmlp")
    cases = [
        (body | {"summary": body["summary"] | {"lv": 5}}, "$.summary.lv"),
        (body | {"title": {"lv": "Tikai latviski", "en": "Latvian only"}}, "$.title"),
        (body | {"reviewed": "yesterday"}, "$.reviewed"),
        (body | {"channels": [{"kind": "pigeon"}]}, "$.channels[0].kind"),
        (body | {"related": ["passport", "no-such-service"]}, "$.related[1]"),
        (body | {"life_situations": ["no-such-situation"]}, "$.life_situations[0]"),
        (body | {"slug": "pase"}, "$.slug"),
        (body | {"id": "another-id"}, "$.id"),
    ]
    for sent, path in cases:
        response = await pmlp.draft(sent, service_id=body["id"])
        assert response.status_code == 422, (path, response.text)
        problem = response.json()
        assert problem["code"] == "invalid_entry"
        assert path in [e["path"] for e in problem["errors"]], problem
    not_json = await http.post(
        f"{API}/services/{body['id']}/drafts",
        content=b"{not json",
        headers={**pmlp.auth, "Idempotency-Key": "k1", "Content-Type": "application/json"},
    )
    assert not_json.status_code == 400
    nothing = await http.get(f"{API}/services/{body['id']}/versions", headers=pmlp.auth)
    assert nothing.json()["versions"] == []


async def test_idempotency_key_replays_the_first_answer(
    pmlp: Publisher, http: httpx.AsyncClient
) -> None:
    body = new_service("pmlp")
    key = str(uuid.uuid4())
    first = await pmlp.draft(body, key=key)
    again = await pmlp.draft(body, key=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    other = await pmlp.draft(body | {"duration": body["summary"]}, key=key)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    versions = await http.get(f"{API}/services/{body['id']}/versions", headers=pmlp.auth)
    assert len(versions.json()["versions"]) == 1  # one draft, however many retries
    publish_key = str(uuid.uuid4())
    assert (await pmlp.publish(body["id"], 1, key=publish_key)).status_code == 200
    replay = await pmlp.publish(body["id"], 1, key=publish_key)
    assert replay.status_code == 200  # the first answer, not "already published"
    assert replay.headers["idempotent-replayed"] == "true"
    missing = await http.post(f"{API}/services/{body['id']}/drafts", json=body, headers=pmlp.auth)
    assert missing.status_code == 400
    assert missing.json()["code"] == "idempotency_key_missing"


async def test_kept_answers_are_forgotten_after_the_retention_time(
    pmlp: Publisher, loaded: Services
) -> None:
    body = new_service("pmlp")
    key = str(uuid.uuid4())
    assert (await pmlp.draft(body, key=key)).status_code == 201
    await purge_idempotency_keys(loaded)  # a fresh answer survives the job
    assert (await pmlp.draft(body | {"duration": body["summary"]}, key=key)).status_code == 422
    hours = loaded.eaddress.settings.idempotency_ttl_hours
    await (
        CatalogueIdempotency.update(
            {CatalogueIdempotency.created_at: utcnow() - timedelta(hours=hours + 1)}
        )
        .where(CatalogueIdempotency.key == key)
        .run()
    )
    assert await purge_idempotency_keys(loaded) >= 1
    reused = await pmlp.draft(body | {"duration": body["summary"]}, key=key)
    assert reused.status_code == 201  # a new request now: version 2
    assert reused.json()["version"] == 2


async def test_two_retries_at_once_make_one_version(
    pmlp: Publisher, http: httpx.AsyncClient
) -> None:
    body = new_service("pmlp")
    key = str(uuid.uuid4())
    answers = await asyncio.gather(*(pmlp.draft(body, key=key) for _ in range(4)))
    assert [a.status_code for a in answers] == [201] * 4
    assert {a.json()["version"] for a in answers} == {1}
    versions = await http.get(f"{API}/services/{body['id']}/versions", headers=pmlp.auth)
    assert len(versions.json()["versions"]) == 1
