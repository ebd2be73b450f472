"""Typed placeholders of institution templates (`{name:type}`): parsing, value checks and
rendering, pure."""

from __future__ import annotations

import pytest

from backend.notifications.institutions.placeholders import (
    PlaceholderType,
    TemplateSyntaxError,
    check_values,
    parse,
    render,
)
from backend.notifications.institutions.templates import localized
from backend.notifications.render.messages import in_language


def test_placeholders_are_found_with_their_types() -> None:
    text = "Labdien! {vehicle:text} jāpārbauda līdz {due:date}; maksa {fee:amount}. {info:url}"
    assert parse(text) == {
        "vehicle": PlaceholderType.TEXT,
        "due": PlaceholderType.DATE,
        "fee": PlaceholderType.AMOUNT,
        "info": PlaceholderType.URL,
    }


def test_doubled_braces_are_literal_braces() -> None:
    assert parse("Kods {{A}} un {code:text}") == {"code": PlaceholderType.TEXT}
    assert render("Kods {{A}} un {code:text}", {"code": "7"}) == "Kods {A} un 7"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Sveiki, {name}", "is not a placeholder"),
        ("{name:number}", "unknown type 'number'"),
        ("{Name:text}", "is not a placeholder"),
        ("a { b", "lone '{'"),
        ("a } b", "lone '}'"),
        ("{d:date} un {d:text}", "two types"),
    ],
)
def test_malformed_placeholders_are_explained(text: str, says: str) -> None:
    with pytest.raises(TemplateSyntaxError, match=says):
        parse(text)


def test_values_are_checked_by_type_and_every_problem_is_named() -> None:
    placeholders = parse("{who:text} {due:date} {fee:amount} {info:url} {extra:text}")
    cleaned, problems = check_values(
        placeholders,
        {
            "who": "Anna",
            "due": "2027-02-30",
            "fee": "12.345",
            "info": "http://example.lv",
            "surprise": "x",
        },
    )
    assert cleaned == {"who": "Anna"}
    assert {(p.name, p.problem) for p in problems} == {
        ("due", "invalid"),
        ("fee", "invalid"),
        ("info", "invalid"),
        ("extra", "missing"),
        ("surprise", "unknown"),
    }
    assert any("YYYY-MM-DD" in p.detail for p in problems if p.name == "due")


def test_values_are_stored_in_one_form() -> None:
    placeholders = parse("{due:date} {fee:amount} {info:url}")
    cleaned, problems = check_values(
        placeholders, {"due": "2027-03-31", "fee": 25, "info": "https://www.csdd.lv/"}
    )
    assert not problems
    assert cleaned == {"due": "2027-03-31", "fee": "25.00", "info": "https://www.csdd.lv/"}


@pytest.mark.parametrize("bad", [True, "1e400", "NaN", "", "12,5", 10**13])
def test_amounts_are_euros_with_cents(bad: object) -> None:
    _, problems = check_values({"fee": PlaceholderType.AMOUNT}, {"fee": bad})
    assert [p.problem for p in problems] == ["invalid"]


def test_rendering_writes_dates_and_amounts_as_each_language_does() -> None:
    text = "Līdz {due:date} jāsamaksā {fee:amount}."
    values = {"due": "2027-03-31", "fee": "25.50"}
    with in_language("lv"):
        lv = render(text, values, localized)
    with in_language("en"):
        en = render("Pay {fee:amount} by {due:date}.", values, localized)
    assert lv.startswith("Līdz 31.03.2027. jāsamaksā 25,50")
    assert "€" in lv
    assert en == "Pay €25.50 by 31 March 2027."


def test_a_value_with_braces_is_shown_as_given() -> None:
    assert render("{a:text}", {"a": "{b:text}"}) == "{b:text}"
