"""Identity documents: expiry notices and "no valid document" from age 15."""

from __future__ import annotations

from datetime import date

import pytest

from backend.obligations.rules import documents
from backend.obligations.rules.base import Obligation, Skipped, SkipReason, SkipRule
from integrations.registries.population_register.models import IdentityDocument
from tests.unit.obligations.facts import down, ok, person_ctx, plain

TODAY = date(2026, 11, 27)


def doc(kind: str, valid_until: date, issued_on: date | None = None) -> IdentityDocument:
    issued = issued_on or date(valid_until.year - 5, valid_until.month, 1)
    return IdentityDocument(kind, f"N{valid_until:%Y%m%d}{kind[:2]}", issued, valid_until, "PMLP")  # type: ignore[arg-type]


def run(today: date, born: date | None, docs: list[IdentityDocument]) -> list[object]:
    return list(
        documents.identity_documents(
            person_ctx(today, birth_date=born, identity_documents=ok(docs))
        )
    )


def obligations(found: list[object]) -> list[tuple[str, date, date | None, bool]]:
    return [
        (o.rule, o.due_date, o.statutory_date, o.legal_deadline)
        for o in found
        if isinstance(o, Obligation)
    ]


EXPIRY, NONE = documents.EXPIRY, documents.NONE_VALID


@pytest.mark.parametrize(
    ("today", "born", "docs", "expected", "why"),
    [
        (
            TODAY,
            date(1985, 3, 15),
            [doc("passport", date(2027, 2, 10)), doc("eid_card", date(2029, 12, 20))],
            [(EXPIRY, date(2027, 2, 10), None, False)],
            "passport runs out; the eID card (beyond the horizon) keeps her covered",
        ),
        (
            TODAY,
            date(2008, 12, 17),
            [doc("passport", date(2027, 1, 6))],
            [(EXPIRY, date(2027, 1, 6), None, False)],
            "a 17-year-old's only document: an expiry notice, the date never moves",
        ),
        (
            TODAY,
            date(1962, 9, 30),
            [doc("eid_card", date(2032, 11, 30)), doc("passport", date(2026, 10, 18))],
            [],
            "an expired passport beside a valid eID card asks for nothing",
        ),
        (
            TODAY,
            date(1985, 3, 15),
            [doc("passport", date(2026, 10, 19))],
            [(NONE, date(2026, 11, 19), date(2026, 11, 18), True)],
            "expired 19 Oct: 30 days end on 18 November (holiday) → 19 November",
        ),
        (
            TODAY,
            date(1985, 3, 15),
            [doc("passport", date(2026, 11, 24))],
            [(NONE, date(2026, 12, 28), date(2026, 12, 24), True)],
            "30 days end on Christmas Eve → Monday 28 December",
        ),
        (
            TODAY,
            date(2011, 11, 27),
            [],
            [(NONE, date(2026, 12, 28), date(2026, 12, 27), True)],
            "turns 15 today with no document: 30 days → Sunday 27 Dec → Monday 28 Dec",
        ),
        (TODAY, date(2011, 11, 28), [], [], "turns 15 tomorrow: nothing yet"),
        (
            date(2027, 3, 1),
            date(2012, 2, 29),
            [],
            [(NONE, date(2027, 3, 31), None, True)],
            "born 29 Feb: turns 15 on 1 March in a common year",
        ),
        (date(2027, 2, 28), date(2012, 2, 29), [], [], "born 29 Feb: still 14 on 28 Feb"),
        (
            TODAY,
            date(2011, 5, 1),
            [doc("residence_permit", date(2027, 3, 1))],
            [
                (EXPIRY, date(2027, 3, 1), None, False),
                (NONE, date(2026, 6, 1), date(2026, 5, 31), True),
            ],
            "a residence permit is no passport: 15 on 1 May, + 30 days = Sunday 31 May",
        ),
        (
            TODAY,
            date(1985, 3, 15),
            [
                doc("passport", date(2033, 6, 1), issued_on=date(2023, 6, 1)),
                doc("eid_card", date(2026, 11, 20), issued_on=date(2021, 11, 20)),
            ],
            [(NONE, date(2026, 12, 21), date(2026, 12, 20), True)],
            "a passport issued after 30 April 2023 does not replace the expired eID card",
        ),
        (
            TODAY,
            date(1985, 3, 15),
            [doc("passport", date(2030, 3, 1), issued_on=date(2020, 3, 1))],
            [],
            "a passport issued before 1 May 2023 serves alone until it expires",
        ),
        (
            TODAY,
            date(1985, 3, 15),
            [doc("eid_card", date(2027, 1, 6)), doc("passport", date(2031, 1, 1))],
            [(EXPIRY, date(2027, 1, 6), None, False)],
            "a passport never covers an expiring eID card",
        ),
    ],
)
def test_identity_documents(
    today: date,
    born: date,
    docs: list[IdentityDocument],
    expected: list[tuple[str, date, date | None, bool]],
    why: str,
) -> None:
    assert obligations(run(today, born, docs)) == expected, why


def test_a_covered_document_gets_no_reminder_ladder_and_the_last_one_does() -> None:
    found = run(
        TODAY,
        date(1985, 3, 15),
        [doc("passport", date(2027, 2, 10)), doc("eid_card", date(2027, 6, 1))],
    )
    ladders = {o.due_date: o.ladder for o in found if isinstance(o, Obligation)}
    assert ladders == {date(2027, 2, 10): (), date(2027, 6, 1): (90, 30, 7, 1)}


def test_a_passport_alone_says_the_eid_card_comes_next_and_a_new_one_says_apply() -> None:
    grandfathered = run(TODAY, date(1985, 3, 15), [doc("passport", date(2027, 1, 6))])
    (notice,) = [o for o in grandfathered if isinstance(o, Obligation)]
    assert "the eID card is your compulsory identity document" in plain(notice.description)
    assert notice.ladder == (90, 30, 7, 1)
    newer = doc("passport", date(2034, 1, 1), issued_on=date(2024, 1, 1))
    (apply,) = [o for o in run(TODAY, date(2011, 5, 1), [newer]) if isinstance(o, Obligation)]
    assert plain(apply.title) == "Apply for an eID card"
    assert "does not replace it" in plain(apply.description)
    # Turned 15 on 1 May 2026 with only that passport: 30 days → Sunday 31 May → 1 June.
    assert (apply.due_date, apply.statutory_date) == (date(2026, 6, 1), date(2026, 5, 31))


def test_ids_are_stable_and_distinct() -> None:
    docs = [doc("passport", date(2027, 2, 10)), doc("eid_card", date(2027, 6, 1))]
    first = [o.id for o in run(TODAY, date(1985, 3, 15), docs) if isinstance(o, Obligation)]
    again = [
        o.id for o in run(date(2026, 12, 1), date(1985, 3, 15), docs) if isinstance(o, Obligation)
    ]
    assert first == again
    assert len(set(first)) == 2


def test_no_birth_date_and_no_valid_document_is_a_missing_fact() -> None:
    with pytest.raises(SkipRule) as raised:
        run(TODAY, None, [doc("passport", date(2025, 1, 1))])
    assert raised.value.reason is SkipReason.MISSING_FACT


def test_an_adult_the_register_lists_no_document_for_is_not_told_a_date() -> None:
    with pytest.raises(SkipRule) as raised:
        run(TODAY, date(1990, 7, 7), [])
    assert raised.value.reason is SkipReason.MISSING_FACT


def test_a_document_expiring_before_issue_is_skipped_not_dated() -> None:
    broken = doc("passport", date(2020, 1, 1), issued_on=date(2024, 1, 1))
    found = run(TODAY, date(1985, 3, 15), [broken])
    assert [type(f) for f in found] == [Skipped]
    assert found[0].reason is SkipReason.INCONSISTENT  # type: ignore[attr-defined]


def test_an_unavailable_register_yields_nothing_and_says_so() -> None:
    with pytest.raises(SkipRule) as raised:
        documents.identity_documents(person_ctx(TODAY, identity_documents=down()))
    assert raised.value.reason is SkipReason.SOURCE_UNAVAILABLE
    assert raised.value.source == "population_register"
