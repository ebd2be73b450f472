"""msgspec's validation messages become sentences without Python type names or JSONPath
(backend/lib/validation.py); the messages are msgspec's real ones, produced here."""

from __future__ import annotations

import uuid
from typing import Literal

import msgspec
import pytest

from backend.lib.validation import explain

CHOICES = {"recipient.type": ("personal_code", "eidas_id", "company")}


class Recipient(msgspec.Struct, forbid_unknown_fields=True):
    type: Literal["personal_code", "eidas_id", "company"]
    id: str


class Message(msgspec.Struct, forbid_unknown_fields=True):
    recipient: Recipient
    subject: str
    body_html: str | None = None
    attachment_ids: list[uuid.UUID] = msgspec.field(default_factory=list)


def _message_error(raw: str) -> str:
    with pytest.raises(msgspec.ValidationError) as caught:
        msgspec.json.decode(raw, type=Message)
    return explain(str(caught.value), whole="The message", choices=CHOICES)


RECIPIENT = '"recipient": {"type": "company", "id": "40003000000"}'


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        ("[]", "The message must be an object, not an array."),
        ('{"recipient": {"type": "pc", "id": "1"}, "subject": "x"}',
         "`recipient.type` must be one of: personal_code, eidas_id, company."),
        ('{"recipient": {"type": 1, "id": "1"}, "subject": "x"}',
         "`recipient.type` must be a string, not an integer "
         "(one of: personal_code, eidas_id, company)."),
        ('{"recipient": {"type": "company"}, "subject": "x"}', "`recipient.id` is missing."),
        ('{' + RECIPIENT + '}', "`subject` is missing."),
        ('{' + RECIPIENT + ', "subject": "x", "zz": 1}', "`zz` is not a field of the message."),
        ('{"recipient": {"type": "company", "id": "1", "q": 1}, "subject": "x"}',
         "`recipient.q` is not a field of `recipient`."),
        ('{' + RECIPIENT + ', "subject": 1}', "`subject` must be a string, not an integer."),
        ('{' + RECIPIENT + ', "subject": "x", "body_html": 1}',
         "`body_html` must be a string or null, not an integer."),
        ('{' + RECIPIENT + ', "subject": "x", "attachment_ids": ["x"]}',
         "`attachment_ids[0]` must be a UUID."),
        ('{' + RECIPIENT + ', "subject": "x", "attachment_ids": "x"}',
         "`attachment_ids` must be an array, not a string."),
    ],
)  # fmt: skip
def test_message_errors_read_as_sentences(raw: str, sentence: str) -> None:
    assert _message_error(raw) == sentence


def test_bounds_and_parameters() -> None:
    assert explain("Expected `str` of length >= 1 - at `$.name`") == (
        "`name` must be a string of at least 1 character."
    )
    assert explain("Expected `array` of length <= 100 - at `$.ids`") == (
        "`ids` must be an array of at most 100 items."
    )
    assert (
        explain("Expected `int` >= 0", whole="`limit`") == "`limit` must be an integer, at least 0."
    )
    # Litestar's query parameters: "null" cannot be written in a query string.
    assert explain("Expected `int | null`, got `str`", whole="`limit`", drop_null=True) == (
        "`limit` must be an integer, not a string."
    )


def test_anything_else_says_not_valid_without_echoing_the_library() -> None:
    assert explain("Some future msgspec wording - at `$.x`") == "`x` is not valid."
    assert explain("Expected `Decimal`, got `str`") == (
        "The value must be a value of the documented type, not a string."
    )
