"""The sandbox answers exactly what each registry's OpenAPI 3.1 contract says, for everyone.

Every path of every contract is called for every persona (and both companies); each 200 body is
validated against its JSON Schema with no undeclared properties allowed, each 404 must be the
registry's `not_found` problem document.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from integrations.devstack.personas import COMPANIES, PERSONAS
from integrations.devstack.sandbox.settings import SOURCES
from tests.sandbox_driver import TODAY, Sandbox, token_for

REGISTRIES = Path(__file__).resolve().parents[3] / "integrations" / "registries"
CODES = [p.personal_code for p in PERSONAS if p.personal_code]
COMPANY_NUMBERS = [c.registration_number for c in COMPANIES] + ["40000000000"]


def _closed(node: Any) -> Any:
    """Forbid undeclared properties everywhere, so the sandbox cannot drift from the file."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
        for value in node.values():
            _closed(value)
    elif isinstance(node, list):
        for value in node:
            _closed(value)
    return node


def _contract(source: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REGISTRIES / source / "openapi.yaml").read_text())
    return loaded


def _validator(document: dict[str, Any], schema_ref: str) -> Draft202012Validator:
    closed = _closed(copy.deepcopy(document))
    registry: Registry[Any] = Registry().with_resource(
        "urn:contract", Resource.from_contents(closed, default_specification=DRAFT202012)
    )
    return Draft202012Validator({"$ref": f"urn:contract{schema_ref}"}, registry=registry)


def _urls(template: str) -> list[str]:
    urls = [template]
    for name, values in (
        ("{personal_code}", CODES),
        ("{registration_number}", COMPANY_NUMBERS),
        ("{year}", [str(TODAY.year), str(TODAY.year - 1)]),
    ):
        if name in template:
            urls = [url.replace(name, value) for url in urls for value in values]
    return urls


@pytest.mark.parametrize("source", SOURCES)
async def test_every_answer_matches_the_contract(sandbox: Sandbox, source: str) -> None:
    document = _contract(source)
    assert document["openapi"].startswith("3.1")
    assert document["security"] == [{"clientCredentials": [source]}]
    token = await token_for(sandbox, source)
    problem = _validator(document, "#/components/schemas/Problem")
    seen: dict[int, int] = {}
    async with httpx.AsyncClient(
        base_url=sandbox.url, headers={"authorization": f"Bearer {token}"}
    ) as http:
        for template, item in document["paths"].items():
            operation = item["get"]
            schema_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]
            ok = _validator(document, schema_ref["$ref"])
            for url in _urls(template):
                response = await http.get(url)
                seen[response.status_code] = seen.get(response.status_code, 0) + 1
                if response.status_code == 200:
                    ok.validate(response.json())
                else:
                    assert response.status_code == 404, url
                    assert "404" in operation["responses"], f"{template} documents no 404"
                    problem.validate(response.json())
                    assert response.json()["code"] == "not_found"
    assert seen.get(200, 0) > 0


async def test_contracts_are_served_by_the_sandbox(sandbox: Sandbox) -> None:
    async with httpx.AsyncClient(base_url=sandbox.url) as http:
        for source in SOURCES:
            response = await http.get(f"/contracts/{source}")
            assert response.status_code == 200
            assert yaml.safe_load(response.text) == _contract(source)
        assert (await http.get("/contracts/secrets")).status_code == 404
