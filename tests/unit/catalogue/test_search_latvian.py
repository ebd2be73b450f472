"""The Latvian stemmer: every case and number of a word meets at one stem, word families at
one root, and words that differ stay apart."""

from __future__ import annotations

import pytest

from backend.catalogue.search.latvian import root, stem
from backend.catalogue.search.text import fold

# Inflection tables: nominative, genitive, dative, accusative, locative (singular and plural)
# as people write them, with and without diacritics.
INFLECTIONS = {
    "pase": "pase pases pasei pasi pasē pasu pasēm pasēs pasi pases",
    "bērns": "bērns bērna bērnam bērnu bērnā bērni bērnu bērniem bērnus bērnos berns bernam",
    "ārsts": "ārsts ārsta ārstam ārstu ārstā ārsti ārstiem ārstus arsts arsta",
    "māja": "māja mājas mājai māju mājā mājām mājās maja majas",
    "iela": "iela ielas ielai ielu ielā ielām ielās",
    "dzīvesvieta": "dzīvesvieta dzīvesvietas dzīvesvietai dzīvesvietu dzīvesvietā dzivesvietu",
    "pabalsts": "pabalsts pabalsta pabalstam pabalstu pabalstā pabalsti pabalstiem pabalstus",
    "pensija": "pensija pensijas pensijai pensiju pensijā pensijām pensijas pensijam",
    "valsts": "valsts valsts valstij valsti valstī valstis valstu valstīm",
    "transportlīdzeklis": "transportlīdzeklis transportlīdzekļa transportlīdzeklim "
    "transportlīdzekli transportlīdzekļi transportlīdzekļu transportlidzekla",
    "uzņēmums": "uzņēmums uzņēmuma uzņēmumam uzņēmumu uzņēmumā uzņēmumi uzņēmumiem",
    "vadītājs": "vadītājs vadītāja vadītājam vadītāju vadītāji vadītājiem",
    "zeme": "zeme zemes zemei zemi zemē zemju zemēm",
    "nodoklis": "nodoklis nodokļa nodoklim nodokli nodokļi nodokļu nodokļiem",
    "atļauja": "atļauja atļaujas atļaujai atļauju atļaujā atļaujām",
}


@pytest.mark.parametrize(("lemma", "forms"), INFLECTIONS.items())
def test_every_form_of_a_word_has_one_stem(lemma: str, forms: str) -> None:
    expected = stem(fold(lemma))
    assert {form: stem(fold(form)) for form in forms.split()} == dict.fromkeys(
        forms.split(), expected
    )


@pytest.mark.parametrize(
    "family",
    [
        "deklarēt deklarēšana deklarācija deklarēju deklarēts deklarēšanu deklarācijas",
        "reģistrēt reģistrācija reģistrēšana reģistrs reģistrēties reģistrācijas",
        "maksāt maksa",
        "atļauja atļaut",
    ],
)
def test_a_word_family_meets_at_one_root(family: str) -> None:
    roots = {form: root(stem(fold(form))) for form in family.split()}
    assert len(set(roots.values())) == 1, roots


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("pase", "pasts"),  # passport, post
        ("bērns", "bēres"),  # child, funeral
        ("māja", "maksa"),
        ("pensija", "pase"),
        ("vadītājs", "vadīt"),  # an agent noun keeps its suffix (the stem, not a root match)
    ],
)
def test_different_words_keep_different_stems(one: str, other: str) -> None:
    assert stem(fold(one)) != stem(fold(other))


@pytest.mark.parametrize("word", ["un", "kā", "18", "eID", "e-adrese", "latvija.gov.lv"])
def test_short_words_numbers_and_names_are_left_alone(word: str) -> None:
    folded = fold(word)
    assert stem(folded) == folded
