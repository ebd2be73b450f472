"""What leaves the GraphQL layer: codes for expected failures, nothing of unexpected ones."""

from __future__ import annotations

import logging

import pytest
from graphql.error import GraphQLError

from backend.graphql.errors import INTERNAL, public_error
from backend.lib.errors import Forbidden


def test_expected_failures_keep_message_and_gain_a_code() -> None:
    error = GraphQLError("x", original_error=Forbidden("You may not do this."), path=["a"])
    public = public_error(error)
    assert public.message == "You may not do this."
    assert public.extensions == {"code": "forbidden"}
    assert public.path == ["a"]


def test_unexpected_exceptions_are_masked_and_logged_without_their_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "SELECT * FROM auth_person WHERE personal_code = '150385-11028'"
    try:
        raise RuntimeError(secret)
    except RuntimeError as exc:
        error = GraphQLError(secret, original_error=exc, path=["me"])
    with caplog.at_level(logging.ERROR):
        public = public_error(error)
    assert public.message == "Unexpected error."
    assert public.extensions == {"code": INTERNAL}
    assert "RuntimeError" in caplog.text
    assert "150385" not in caplog.text


def test_document_errors_are_kept_and_public_errors_stay_as_they_are() -> None:
    error = GraphQLError("Cannot query field 'x' on type 'Query'.")
    once = public_error(error)
    assert once.message == error.message
    assert once.extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert public_error(once).extensions == once.extensions


def test_input_coercion_errors_are_request_errors_not_internal() -> None:
    cause = GraphQLError("Value 'BANK' does not exist in 'DashboardSource' enum.")
    error = GraphQLError(
        "Variable '$source' got invalid value 'BANK'; " + cause.message, original_error=cause
    )
    public = public_error(error)
    assert public.message == error.message
    assert public.extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
