"""Every notice fits its channels: push payload under 3 KB, SMS within the segment limit, in
every language; e-address notices carry no parameters at all."""

from __future__ import annotations

import json

import pytest

from backend.notifications.channels import gsm
from backend.notifications.model import Category
from backend.notifications.render.messages import (
    KINDS,
    MAX_PARAM_CHARS,
    Rendered,
    clean_params,
    in_language,
    push_payload,
    render,
)

LONG = "Ā" * MAX_PARAM_CHARS  # the worst case a parameter can be after cleaning


@pytest.mark.parametrize("language", ["lv", "en", "ru"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_fits_push_and_sms_even_with_the_longest_parameters(
    kind: str, language: str
) -> None:
    realistic = {"channel": "email", "deemed_delivered_on": "2027-06-01", "due_on": "2027-06-01"}
    params = {name: realistic.get(name, LONG) for name in KINDS[kind].params}
    with in_language(language):
        rendered = render(kind, clean_params(kind, params), "/eaddress", "https://vienuviet.lv")
    assert push_payload(rendered, notification_id="x" * 36, category="c", tag=kind)
    if kind.startswith(("eaddress", "account")):  # our own words only: must always fit
        assert gsm.measure(rendered.sms).segments <= 3, rendered.sms
    # Kinds quoting a producer's title may exceed SMS_MAX_SEGMENTS: then the SMS is refused
    # (tests/integration/notifications/test_sms.py), never cut.


def test_eaddress_notices_drop_whatever_a_producer_hands_over() -> None:
    for name, kind in KINDS.items():
        if kind.category is Category.EADDRESS:
            cleaned = clean_params(
                name,
                {"subject": "Soda nauda", "body": "…", "sender": "VP", "deemed_delivered_on": "x"},
            )
            assert set(cleaned) <= {"deemed_delivered_on"}


def test_push_payload_is_the_whole_notice_for_each_id_even_from_the_shared_head() -> None:
    rendered = Rendered('Termiņš "rīt"', "Iesniedziet\ndeklarāciju", "sms", "https://x.lv/o")
    for notification_id in ("id-1", "id-2"):  # the second reuses the encoded head
        payload = push_payload(
            rendered, notification_id=notification_id, category="obligations", tag="k"
        )
        assert json.loads(payload) == {
            "title": rendered.title,
            "body": rendered.body,
            "url": rendered.link,
            "tag": "k",
            "category": "obligations",
            "id": notification_id,
        }
