"""The validation cache must hit for a repeated document: the limit rules are built once."""

from __future__ import annotations

from strawberry.extensions.validation_cache import _get_validate_cache

from backend.graphql.schema import build_schema
from backend.settings import GraphQLSettings


async def test_a_repeated_document_is_validated_once() -> None:
    schema = build_schema(GraphQLSettings(), introspection=False)
    query = "{ version }"
    cache = _get_validate_cache(1024)
    await schema.execute(query)
    before = cache.cache_info()
    for _ in range(3):
        await schema.execute(query)
    after = cache.cache_info()
    assert after.misses == before.misses
    assert after.hits == before.hits + 3


async def test_the_limits_still_refuse_deep_and_aliased_documents() -> None:
    schema = build_schema(GraphQLSettings(max_depth=1, max_aliases=1), introspection=False)
    deep = await schema.execute("{ me { actingAs { id } } }")
    aliased = await schema.execute("{ a: version b: version }")
    assert deep.errors
    assert "exceeds maximum operation depth" in deep.errors[0].message
    assert aliased.errors
    assert "aliases" in aliased.errors[0].message
