"""The reviewed catalogue files: each one valid, references resolving, all three languages,
and the content the public portal promises (the 40 services and 12 life situations)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from backend.catalogue.files import CONTENT_DIR, Catalogue, ContentError, load_content, read_entry
from backend.catalogue.model import (
    KINDS,
    Institution,
    LifeSituation,
    Service,
    ServiceCentre,
    ShortTitle,
    Text,
)

# What issue 16 promises (the ids every content writer uses): each must exist as real content.
PROMISED_SERVICES = (
    "declare-residence",
    "residence-certificate",
    "passport",
    "eid-card",
    "birth-registration",
    "childbirth-benefit",
    "family-state-benefit",
    "parental-benefit",
    "maternity-benefit",
    "paternity-benefit",
    "marriage-registration",
    "death-registration",
    "funeral-benefit",
    "inheritance-case",
    "unemployed-status",
    "unemployment-benefit",
    "old-age-pension",
    "pension-second-pillar-change",
    "family-doctor",
    "ehic",
    "income-declaration",
    "eligible-expenses-refund",
    "real-estate-tax-payment",
    "real-estate-tax-relief",
    "vehicle-registration",
    "vehicle-owner-change",
    "roadworthiness-test",
    "driving-licence-exchange",
    "octa-check",
    "sole-trader-registration",
    "sia-founding",
    "vat-registration",
    "micro-enterprise-tax",
    "employer-monthly-report",
    "annual-report",
    "beneficial-owners",
    "company-liquidation",
    "land-register-entry",
    "residence-permit",
    "eaddress-activation",
    "criminal-record-certificate",
)
PROMISED_LIFE_SITUATIONS = (
    "child-birth",
    "moving-home",
    "getting-married",
    "death-of-relative",
    "turning-18",
    "losing-job",
    "retiring",
    "buying-vehicle",
    "buying-real-estate",
    "moving-to-latvia",
    "starting-business",
    "closing-business",
)
PROMISED_INSTITUTIONS = (
    "pmlp",
    "vsaa",
    "vid",
    "csdd",
    "ur",
    "nva",
    "nvd",
    "ic",
    "vdaa",
    "ltab",
    "notari",
    "zemesgramata",
    "pasvaldibas",
    "vzd",
)
# The registry facts the dashboard can show as done (content/README.md, `done_when`).
REGISTRY_FACTS = frozenset(
    {
        "birth-registered",
        "child-residence-declared",
        "residence-declared",
        "family-doctor-registered",
        "vehicle-registered-to-me",
        "company-registered",
        "eaddress-active",
        "pension-granted",
    }
)
# An act's page on likumi.lv: the current version, by id (with the title slug likumi.lv adds)
# or by the old doc.php form, optionally pointing at an article; never a dated or mobile copy.
LIKUMI_URL = re.compile(
    r"^https://likumi\.lv/(?:ta/id/\d+(?:-[a-z0-9]+)*|doc\.php\?id=\d+)(?:#[A-Za-z0-9_.-]+)?$"
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_content()


Entry = Service | LifeSituation | Institution | ServiceCentre


def entries(catalogue: Catalogue) -> Iterator[tuple[str, Entry]]:
    """Every entry with the name a failure should show, e.g. `services/passport`."""
    for folder in KINDS:
        folder_entries: dict[str, Entry] = getattr(catalogue, folder)
        for entry_id, entry in folder_entries.items():
            yield f"{folder}/{entry_id}", entry


def values(value: object, where: str) -> Iterator[tuple[str, object]]:
    """Every value inside an entry (structs, lists, scalars) with its path in the file."""
    yield where, value
    if isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            yield from values(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from values(item, f"{where}[{index}]")


def test_every_file_is_valid_and_references_resolve(catalogue: Catalogue) -> None:
    # load_content raises ContentError naming the file on any problem.
    assert catalogue.services, "no services under backend/catalogue/content/services"


@pytest.mark.parametrize("folder", sorted(KINDS))
def test_only_yaml_files_in_content(folder: str) -> None:
    stray = [p.name for p in (CONTENT_DIR / folder).iterdir() if p.suffix != ".yaml"]
    assert stray == []


def a_service_file() -> Path:
    """The first service file by name (glob order differs between file systems)."""
    return sorted((CONTENT_DIR / "services").glob("*.yaml"))[0]


def test_a_missing_language_is_an_error(tmp_path: Path) -> None:
    source = a_service_file()
    text = source.read_text()
    # Drop the Russian line of the top-level title (its languages are indented by two spaces).
    without_ru = re.sub(r"(\ntitle:\n(?:  [a-z]{2}: .*\n)*?)  ru: .*\n", r"\1", text, count=1)
    assert without_ru != text, f"{source.name} has no `title: ru:` line to remove"
    broken = tmp_path / source.name
    broken.write_text(without_ru)
    with pytest.raises(ContentError, match=rf"{source.stem}.*ru"):
        read_entry(broken, Service)


def test_an_unknown_field_is_an_error(tmp_path: Path) -> None:
    source = a_service_file()
    broken = tmp_path / source.name
    broken.write_text(source.read_text() + "\ncots: 3\n")
    with pytest.raises(ContentError, match="cots"):
        read_entry(broken, Service)


@pytest.mark.parametrize(
    ("folder", "promised"),
    [
        ("services", PROMISED_SERVICES),
        ("life_situations", PROMISED_LIFE_SITUATIONS),
        ("institutions", PROMISED_INSTITUTIONS),
    ],
)
def test_every_promised_entry_exists_as_real_content(
    catalogue: Catalogue, folder: str, promised: tuple[str, ...]
) -> None:
    present = getattr(catalogue, folder)
    assert sorted(set(promised) - set(present)) == []
    # Generated filler entries only give search its scale; they never count as content.
    assert [entry_id for entry_id in promised if getattr(present[entry_id], "filler", False)] == []


def test_every_text_is_written_in_all_three_languages(catalogue: Catalogue) -> None:
    # The model makes every language present; this catches blank, padded and copied ones.
    problems = []
    for name, entry in entries(catalogue):
        for where, value in values(entry, name):
            if not isinstance(value, Text | ShortTitle):
                continue
            texts = {language: getattr(value, language) for language in ("lv", "en", "ru")}
            problems += [
                f"{where}.{language} is blank or padded"
                for language, text in texts.items()
                if not text.strip() or text != text.strip()
            ]
            if isinstance(value, Text) and len(set(texts.values())) < len(texts):
                problems.append(f"{where}: the same wording in two languages (not translated)")
    assert problems == []


def test_keywords_are_given_in_all_three_languages_or_none(catalogue: Catalogue) -> None:
    problems = [
        f"{name}: keywords only in {[lang for lang in ('lv', 'en', 'ru') if getattr(kw, lang)]}"
        for name, entry in entries(catalogue)
        if (kw := getattr(entry, "keywords", None)) is not None
        and any((kw.lv, kw.en, kw.ru))
        and not all((kw.lv, kw.en, kw.ru))
    ]
    assert problems == []


def test_every_likumi_url_is_well_formed(catalogue: Catalogue) -> None:
    bad = [
        f"{where}: {value}"
        for name, entry in entries(catalogue)
        for where, value in values(entry, name)
        if isinstance(value, str) and "likumi.lv" in value and not LIKUMI_URL.match(value)
    ]
    assert bad == []


@pytest.mark.parametrize(
    "url",
    [
        "https://likumi.lv/ta/id/253442-civilstavokla-aktu-registracijas-likums",
        "https://likumi.lv/ta/id/225418#p693",
        "https://likumi.lv/doc.php?id=68483",
    ],
)
def test_a_likumi_act_page_is_well_formed(url: str) -> None:
    assert LIKUMI_URL.match(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://likumi.lv/ta/id/253442",
        "https://m.likumi.lv/ta/id/253442",
        "https://likumi.lv/ta/id/60460-zemesgramatu-likums/redakcijas-datums/2016/02/29",
        "https://likumi.lv/ta/id/",
        "https://likumi.lv/ta/id/253442 ",
    ],
)
def test_a_likumi_url_that_is_not_the_current_act_page_is_refused(url: str) -> None:
    assert not LIKUMI_URL.match(url)


def test_every_slug_is_ascii(catalogue: Catalogue) -> None:
    assert [name for name, entry in entries(catalogue) if not entry.slug.isascii()] == []


def test_a_slug_with_latvian_letters_is_an_error(tmp_path: Path) -> None:
    source = CONTENT_DIR / "life_situations" / "moving-home.yaml"
    broken = tmp_path / source.name
    with_diacritics = source.read_text().replace(
        "slug: dzivesvietas-maina", "slug: dzīvesvietas-maiņa"
    )
    assert "dzīvesvietas-maiņa" in with_diacritics
    broken.write_text(with_diacritics)
    with pytest.raises(ContentError, match="slug"):
        read_entry(broken, KINDS["life_situations"])


def test_every_deadline_counts_in_exactly_one_unit(catalogue: Catalogue) -> None:
    problems = []
    for situation in catalogue.life_situations.values():
        for index, step in enumerate(situation.steps):
            if step.deadline is None:
                continue
            counts = [step.deadline.days, step.deadline.working_days, step.deadline.months]
            set_counts = [count for count in counts if count is not None]
            if len(set_counts) != 1 or set_counts[0] == 0:
                problems.append(f"life_situations/{situation.id}.steps[{index}].deadline")
    assert problems == []


def test_done_when_names_a_fact_the_registries_show(catalogue: Catalogue) -> None:
    unknown = [
        f"life_situations/{situation.id}.steps[{index}]: {step.done_when}"
        for situation in catalogue.life_situations.values()
        for index, step in enumerate(situation.steps)
        if step.done_when is not None and step.done_when not in REGISTRY_FACTS
    ]
    assert unknown == []


def test_a_life_situation_lists_the_institutions_of_its_services(catalogue: Catalogue) -> None:
    # "The institutions involved" on the page must include whoever provides each step.
    missing = [
        f"life_situations/{situation.id}: {step.service} is provided by "
        f"{catalogue.services[step.service].institution}"
        for situation in catalogue.life_situations.values()
        for step in situation.steps
        if step.service is not None
        and catalogue.services[step.service].institution not in situation.institutions
    ]
    assert missing == []


def test_every_institution_has_four_distinct_latvian_forms(catalogue: Catalogue) -> None:
    same = [
        f"institutions/{institution.id}"
        for institution in catalogue.institutions.values()
        if len(
            {
                institution.name.lv,
                institution.name_lv_cases.genitive,
                institution.name_lv_cases.dative,
                institution.name_lv_cases.locative,
            }
        )
        < 4
    ]
    assert same == []
