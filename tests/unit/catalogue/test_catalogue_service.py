"""The catalogue façade answers from one snapshot: lookups by slug and id, and search results
that carry the entry's public URL."""

from __future__ import annotations

import pytest

from backend.catalogue.files import load_content
from backend.catalogue.service import CatalogueService, Snapshot


@pytest.fixture(scope="module")
def catalogue() -> CatalogueService:
    return CatalogueService(Snapshot.of(load_content()))


def test_every_service_is_found_by_its_slug_and_its_id(catalogue: CatalogueService) -> None:
    for service in catalogue.services():
        assert catalogue.service(service.slug) is service
        assert catalogue.service_by_id(service.id) is service
    assert catalogue.service("no-such-service") is None


def test_search_results_link_to_the_entry_page(catalogue: CatalogueService) -> None:
    results = catalogue.search("bērns piedzima", "lv", 5)
    assert results, "a birth query finds something"
    situation = next(r for r in results if r.kind == "life_situation")
    assert situation.url == f"/life-situations/{catalogue.life_situation(situation.slug).slug}"  # type: ignore[union-attr]
    service = next(r for r in catalogue.search("pase", "lv", 5) if r.kind == "service")
    assert service.url == f"/services/{service.slug}"
    assert catalogue.service(service.slug) is not None


def test_publishing_swaps_the_whole_snapshot(catalogue: CatalogueService) -> None:
    fresh = load_content()
    removed = next(iter(fresh.services))
    slug = fresh.services[removed].slug
    del fresh.services[removed]
    fresh.life_situations = {}
    other = CatalogueService(catalogue.snapshot)
    other.publish(fresh)
    assert other.service(slug) is None
    assert all(r.id != removed for r in other.search(slug.replace("-", " "), "lv", 20))
    assert catalogue.service(slug) is not None  # the old snapshot's readers are unaffected
