"""What an institution reads never carries the personal data someone typed into a comment."""

from __future__ import annotations

import pytest

from backend.feedback.masking import EMAIL, PERSONAL_CODE, PHONE, mask_personal_data
from backend.feedback.service import parse_page
from backend.lib.errors import BadInput


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mans kods 010190-12345, lūdzu", f"mans kods {PERSONAL_CODE}, lūdzu"),
        ("kods 01019012345.", f"kods {PERSONAL_CODE}."),
        ("new-format 321234-56789", f"new-format {PERSONAL_CODE}"),
        ("raksti uz jana.berzina+x@inbox.lv!", f"raksti uz {EMAIL}!"),
        ("Anna@Example.COM", EMAIL),
        ("zvani +371 29123456", f"zvani {PHONE}"),
        ("zvani +37129123456 vai 0037167012345", f"zvani {PHONE} vai {PHONE}"),
        ("tālr. 29 123 456", f"tālr. {PHONE}"),
        ("tālr. 67-012-345 darba laikā", f"tālr. {PHONE} darba laikā"),
        ("29123456", PHONE),
    ],
)
def test_personal_data_is_replaced_by_a_marker(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Nevarēju atrast, kur pieteikt pasi.",
        "Cena 12345 eiro, 2026. gadā, 1 000 000",
        "dokuments Nr. 1234567",  # seven digits: not a phone number
        "Kontā 123456789012",  # twelve digits: neither a code nor a phone
        "pulksten 9:00-17:00",
    ],
)
def test_ordinary_text_and_numbers_stay_as_written(text: str) -> None:
    assert mask_personal_data(text) == text


def test_everything_in_one_comment_is_masked_and_nothing_else_changes() -> None:
    text = "Esmu 120385-10101, e-pasts a.b@c.lv, tālr. +371 2000 0000. Paldies!"
    assert mask_personal_data(text) == (
        f"Esmu {PERSONAL_CODE}, e-pasts {EMAIL}, tālr. {PHONE}. Paldies!"
    )


@pytest.mark.parametrize(
    "raw", ["", "services", "//evil.example", "https://evil.example/", "/a\\b", "/\n", "//[x"]
)
def test_only_a_path_on_this_site_is_a_page(raw: str) -> None:
    with pytest.raises(BadInput):
        parse_page(raw)


def test_a_page_is_stored_without_its_query_and_returned_to_with_it() -> None:
    page = parse_page("/search?q=010190-12345#top")
    assert (page.path, page.back) == ("/search", "/search?q=010190-12345")
