"""'Do it' on an obligation opens the exact e-service from the catalogue entry that fulfils
the rule, not the institution's home page (issue 15, item 11)."""

from __future__ import annotations

import pytest

from backend.catalogue.service import CatalogueService
from backend.obligations.catalogue_links import RULE_SERVICES, action_url


@pytest.fixture(scope="module")
def catalogue() -> CatalogueService:
    return CatalogueService.from_files()


def test_every_rule_names_a_service_the_catalogue_has(catalogue: CatalogueService) -> None:
    missing = [s for s in RULE_SERVICES.values() if catalogue.service_by_id(s) is None]
    assert missing == []


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("residence.declare", "https://latvija.gov.lv/Services/12209"),
        ("real_estate_tax.instalment", "https://latvija.gov.lv/Services/32180"),
        ("vehicle.inspection", "https://e.csdd.lv/"),
    ],
)
def test_a_rule_links_to_its_e_service(
    catalogue: CatalogueService, rule: str, expected: str
) -> None:
    assert action_url(catalogue, rule, "https://www.latvija.gov.lv/") == expected


def test_without_an_e_service_the_rule_keeps_its_own_link(catalogue: CatalogueService) -> None:
    assert action_url(catalogue, "no.such_rule", "https://www.pmlp.gov.lv/") == (
        "https://www.pmlp.gov.lv/"
    )
