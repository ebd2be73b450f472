"""Which GraphQL documents may be answered from a kept dashboard answer (pure logic)."""

from __future__ import annotations

import pytest

from backend.graphql.answers.eligible import reads_only_dashboard

MAX_TOKENS = 2_000

REGISTRY_DATA = """{ me { name dashboard { __typename ... on PersonDashboard {
  sources { name status asOf }
  pension { balance }
  properties { address manager { name phone } }
} } } }"""


def eligible(query: str, operation_name: str | None = None) -> bool:
    return reads_only_dashboard(query, operation_name, MAX_TOKENS)


@pytest.mark.parametrize(
    "query",
    [
        REGISTRY_DATA,
        "{ __typename me { id } }",
        "query Board { me { dashboard { ...Mine } } } "
        "fragment Mine on PersonDashboard { vehicles { plate } sources { name } }",
        "{ me { dashboard { ... on PersonDashboard { taxAccount @include(if: true) { balance } }"
        " } } }",
    ],
)
def test_queries_reading_only_who_i_am_and_registry_data_qualify(query: str) -> None:
    assert eligible(query)


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("{ me { dashboard { ... on PersonDashboard { changes { newCount } } } } }", "timeline"),
        ("{ me { dashboard { ... on PersonDashboard { consents { source } } } } }", "consents"),
        (
            "{ me { dashboard { ... on PersonDashboard { dataAccess { pageInfo { hasNextPage } } }"
            " } } }",
            "access log",
        ),
        (
            "{ me { dashboard { ...F } } } fragment F on PersonDashboard { changes { newCount } }",
            "timeline through a fragment",
        ),
        ('{ me { dashboard(subjectId: "company:40003000001") { __typename } } }', "a subject"),
        ("{ me { assuranceLevel } }", "not in the kept fields of me"),
        ("{ me { name } obligations { __typename } }", "another root field"),
        ("{ __schema { types { name } } }", "introspection"),
        ("mutation { refreshDashboard { __typename } }", "a mutation"),
        ("{ me { dashboard { ...Missing } } }", "an unknown fragment"),
        (
            "{ me { dashboard { ...A } } } fragment A on PersonDashboard { ...B } "
            "fragment B on PersonDashboard { ...A }",
            "cyclic fragments",
        ),
        ("{ me { name ", "unparseable"),
    ],
)
def test_documents_reading_anything_else_do_not(query: str, why: str) -> None:
    assert not eligible(query), why


def test_the_operation_is_the_one_named() -> None:
    both = "query Board { me { name } } mutation Refresh { refreshDashboard { __typename } }"
    assert eligible(both, "Board")
    assert not eligible(both, "Refresh")
    assert not eligible(both)  # ambiguous without a name: refused by execution anyway
    assert not eligible(both, "Other")


def test_parsing_is_bounded_by_the_token_limit() -> None:
    long = "{ me { " + " ".join(["name"] * 50) + " } }"
    assert reads_only_dashboard(long, None, 1_000)
    assert not reads_only_dashboard(long, None, 20)
