"""The open catalogue API as another site uses it: pages that add up to the whole catalogue,
ETags that spare a re-download, search answers in the documented shape, clear 400s."""

from __future__ import annotations

import httpx

from backend.services import Services
from tests.integration.catalogue.conftest import API

PROBLEM = "application/problem+json"


async def test_cursor_pages_add_up_to_every_published_service_once(
    loaded: Services, http: httpx.AsyncClient
) -> None:
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        response = await http.get(f"{API}/services", params=params)
        assert response.status_code == 200
        page = response.json()
        assert len(page["items"]) <= 7
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    expected = sorted(s.id for s in loaded.catalogue.services())
    assert seen == expected  # in id order, none twice, none missing
    assert len(seen) >= 40
    assert not any(i.startswith("filler-") for i in seen)  # fillers are never public


async def test_every_list_answers_with_items(loaded: Services, http: httpx.AsyncClient) -> None:
    for path, at_least in (
        ("/life-situations", 12),
        ("/institutions", 10),
        ("/service-centres", 1),
    ):
        page = (await http.get(f"{API}{path}", params={"limit": 100})).json()
        assert len(page["items"]) >= at_least, path
        assert page["next_cursor"] is None


async def test_page_bounds_and_foreign_cursors_are_refused(
    loaded: Services, http: httpx.AsyncClient
) -> None:
    for params in ({"limit": 0}, {"limit": 101}, {"limit": "ten"}):
        response = await http.get(f"{API}/services", params=params)
        assert response.status_code == 400, params
        assert response.headers["content-type"].startswith(PROBLEM)
        assert "limit" in response.json()["detail"]
    response = await http.get(f"{API}/services", params={"cursor": "not a cursor!"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


async def test_etag_spares_a_download_until_the_content_changes(
    loaded: Services, http: httpx.AsyncClient
) -> None:
    first = await http.get(f"{API}/services/passport")
    assert first.status_code == 200
    assert first.json()["title"]["lv"]
    etag = first.headers["etag"]
    assert etag.startswith('"')  # strong: no W/ prefix
    again = await http.get(f"{API}/services/passport", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = await http.get(f"{API}/services/passport", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200
    listing = await http.get(f"{API}/institutions")
    cached = await http.get(
        f"{API}/institutions", headers={"If-None-Match": f'"x", {listing.headers["etag"]}'}
    )
    assert cached.status_code == 304
    # Another page is another representation.
    second_page = await http.get(f"{API}/institutions", params={"limit": 1})
    assert second_page.headers["etag"] != listing.headers["etag"]


async def test_unknown_and_malformed_service_ids(loaded: Services, http: httpx.AsyncClient) -> None:
    missing = await http.get(f"{API}/services/no-such-service")
    assert missing.status_code == 404
    assert missing.json()["code"] == "service_not_found"
    malformed = await http.get(f"{API}/services/Not_An_Id")
    assert malformed.status_code == 400
    assert malformed.headers["content-type"].startswith(PROBLEM)


async def test_search_answers_exactly_the_documented_shape(
    loaded: Services, http: httpx.AsyncClient, base_url: str
) -> None:
    response = await http.get(f"{API}/search", params={"q": "pases", "lang": "lv", "limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["results"]
    results = body["results"]
    assert 1 <= len(results) <= 3
    for result in results:
        assert set(result) == {"id", "kind", "title", "url", "snippet", "score"}
        assert result["kind"] in ("service", "life_situation")
        folder = "services" if result["kind"] == "service" else "life-situations"
        assert result["url"].startswith(f"{loaded.settings.web.public_url}/{folder}/")
    assert results[0]["id"] == "passport"
    english = (await http.get(f"{API}/search", params={"q": "passport", "lang": "en"})).json()
    assert english["results"][0]["title"] == loaded.catalogue.service_by_id("passport").title.en  # type: ignore[union-attr]


async def test_search_refuses_bad_parameters_with_a_problem(
    loaded: Services, http: httpx.AsyncClient
) -> None:
    for params in (
        {},
        {"q": ""},
        {"q": "x" * 201},
        {"q": "pase", "lang": "de"},
        {"q": "pase", "limit": 0},
        {"q": "pase", "limit": 51},
        {"q": "pase", "limit": "many"},
    ):
        response = await http.get(f"{API}/search", params=params)
        assert response.status_code == 400, params
        assert response.headers["content-type"].startswith(PROBLEM)
        assert response.json()["code"] == "bad_request"


async def test_graphql_search_gives_the_same_results(
    loaded: Services, http: httpx.AsyncClient
) -> None:
    rest = (await http.get(f"{API}/search", params={"q": "gimenes arsts", "limit": 5})).json()
    query = (
        'query { catalogueSearch(q: "gimenes arsts", lang: "lv", limit: 5) '
        "{ id kind title url snippet score } }"
    )
    response = await http.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    graph = response.json()["data"]["catalogueSearch"]
    assert [r["id"] for r in graph] == [r["id"] for r in rest["results"]]
    assert graph[0]["url"] == rest["results"][0]["url"]


async def test_graphql_search_refuses_bad_arguments_with_a_code(
    loaded: Services, http: httpx.AsyncClient
) -> None:
    for arguments in ('q: ""', 'q: "pase", lang: "de"', 'q: "pase", limit: 0'):
        query = f"query {{ catalogueSearch({arguments}) {{ id }} }}"
        answer = (await http.post("/graphql", json={"query": query})).json()
        assert answer["errors"][0]["extensions"]["code"] == "bad_input", arguments
