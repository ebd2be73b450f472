"""SMS segment counting: GSM-7 vs UCS-2, 160/153 and 70/67, pairs never split."""

from __future__ import annotations

import pytest

from backend.notifications.channels.gsm import Encoding, SmsTooLong, check, measure


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", Encoding.GSM7, 0, 0),
        ("Hello", Encoding.GSM7, 5, 1),
        ("a" * 160, Encoding.GSM7, 160, 1),
        ("a" * 161, Encoding.GSM7, 161, 2),
        ("a" * 306, Encoding.GSM7, 306, 2),
        ("a" * 307, Encoding.GSM7, 307, 3),
        ("€" * 80, Encoding.GSM7, 160, 1),  # extension characters cost two septets
        ("€" * 81, Encoding.GSM7, 162, 2),
        # 152 plain septets then an escape pair: the pair would straddle the 153 boundary,
        # so it moves to segment 2 (152 + 2 + ... = still 2 segments, not split).
        ("a" * 152 + "€" + "a" * 151, Encoding.GSM7, 305, 2),
        ("a" * 152 + "€" + "a" * 152, Encoding.GSM7, 306, 3),
        ("Jauna ziņa", Encoding.UCS2, 10, 1),  # one Latvian diacritic forces UCS-2
        ("ā" * 70, Encoding.UCS2, 70, 1),
        ("ā" * 71, Encoding.UCS2, 71, 2),
        ("ā" * 134, Encoding.UCS2, 134, 2),
        ("ā" * 135, Encoding.UCS2, 135, 3),
        ("Новое сообщение", Encoding.UCS2, 15, 1),
        ("🙂" * 35, Encoding.UCS2, 70, 1),  # outside the BMP: two UTF-16 units each
        ("a" * 66 + "🙂" + "a", Encoding.UCS2, 69, 1),
        ("a" * 66 + "🙂" + "a" * 4, Encoding.UCS2, 72, 2),  # the pair is not split
        ("Ä ö ñ ü à é £ ¥ @", Encoding.GSM7, 17, 1),  # these ARE in the GSM alphabet
        ("ç", Encoding.UCS2, 1, 1),  # lower-case ç is not (only Ç is)
    ],
)
def test_measure(text: str, encoding: Encoding, units: int, segments: int) -> None:
    length = measure(text)
    assert (length.encoding, length.units, length.segments) == (encoding, units, segments)


def test_check_refuses_more_segments_than_allowed_and_empty_text() -> None:
    assert check("a" * 306, max_segments=2).segments == 2
    with pytest.raises(SmsTooLong) as caught:
        check("ā" * 135, max_segments=2)
    assert caught.value.length.segments == 3
    assert "3 ucs2 segments; at most 2" in str(caught.value)
    with pytest.raises(ValueError, match="needs some text"):
        check("", max_segments=3)
