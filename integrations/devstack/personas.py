"""The synthetic people of Vienuviet's development world — one source for every stand-in.

The development identity provider logs them in; the registry sandbox answers for them; the
seed data gives them mail and delegations. Names carry Latvian diacritics on purpose.

Dates that must stay "soon" (turning 18, a newborn) are defined relative to the current day in
Riga, so the demo stays meaningful on any date; such people carry birth-date-free personal
codes (`32NNNN-NNNNN`, issued since July 2017) so that the code never contradicts the date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Company:
    registration_number: str
    name: str
    legal_form: str


@dataclass(frozen=True)
class Persona:
    slug: str
    """Stable short name, used in URLs of the sandbox and in tests."""
    sub: str
    """The identity provider's stable subject identifier."""
    given_name: str
    family_name: str
    summary: str
    """Who this is, in one English sentence (shown on the development login page)."""
    personal_code: str | None = None
    eidas_id: str | None = None
    birth_date: date | None = None
    birth_offset_days: int | None = None
    """Birth date as days before today (for people whose age must stay 'about to change')."""
    locale: str = "lv"
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def born_on(self, today: date) -> date | None:
        if self.birth_offset_days is not None:
            return today - timedelta(days=self.birth_offset_days)
        return self.birth_date


OZOLS_TECH = Company("40003123459", "Ozols Tech", "SIA")
BALTIC_TIMBER = Company("40103987651", "Baltic Timber", "AS")
COMPANIES: tuple[Company, ...] = (OZOLS_TECH, BALTIC_TIMBER)

PERSONAS: tuple[Persona, ...] = (
    Persona(
        slug="anna",
        sub="a1f4e2c0-0000-4000-8000-000000000001",
        given_name="Anna",
        family_name="Bērziņa",
        personal_code="150385-11028",
        birth_date=date(1985, 3, 15),
        summary="Owns an apartment in Rīga where two other people are declared.",
        tags=("citizen", "property-owner"),
    ),
    Persona(
        slug="martins",
        sub="a1f4e2c0-0000-4000-8000-000000000002",
        given_name="Mārtiņš",
        family_name="Ozols",
        personal_code="020678-12054",
        birth_date=date(1978, 6, 2),
        summary="Board member of Ozols Tech SIA (sole representation) and Baltic Timber AS "
        "(joint representation).",
        tags=("entrepreneur",),
    ),
    Persona(
        slug="ilze",
        sub="a1f4e2c0-0000-4000-8000-000000000003",
        given_name="Ilze",
        family_name="Liepiņa",
        personal_code="300962-13112",
        birth_date=date(1962, 9, 30),
        summary="Accountant holding a delegation for Ozols Tech SIA; pension age is near.",
        tags=("accountant", "delegate"),
    ),
    Persona(
        slug="pierre",
        sub="a1f4e2c0-0000-4000-8000-000000000004",
        given_name="Pierre",
        family_name="Dubois",
        eidas_id="FR/LV/7c1e0b9a-2f4d-4c8e-9a51-3d2b6e0f8a17",
        birth_date=date(1990, 7, 7),
        locale="en",
        # Not a resident: everyone living in Latvia is in the Register of Natural Persons and
        # has a personal code (Natural Persons Register Law). Pierre lives in France.
        summary="Lives in France and deals with Latvian institutions through his French eIDAS "
        "identity; not a resident, so he has no Latvian personal code.",
        tags=("non-resident", "eidas"),
    ),
    Persona(
        slug="kristaps",
        sub="a1f4e2c0-0000-4000-8000-000000000005",
        given_name="Kristaps",
        family_name="Kalniņš",
        personal_code="321708-40215",
        birth_offset_days=18 * 365 + 4 - 24,  # turns 18 in about three weeks
        summary="Turns 18 in about three weeks.",
        tags=("young-person",),
    ),
    Persona(
        slug="laura",
        sub="a1f4e2c0-0000-4000-8000-000000000006",
        given_name="Laura",
        family_name="Kalniņa",
        personal_code="211192-16144",
        birth_date=date(1992, 11, 21),
        summary="Parent of a baby born three weeks ago; two older children.",
        tags=("parent",),
    ),
    Persona(
        slug="valdis",
        sub="a1f4e2c0-0000-4000-8000-000000000007",
        given_name="Valdis",
        family_name="Krūmiņš",
        personal_code="120155-14126",
        birth_date=date(1955, 1, 12),
        locale="ru",
        summary="Pensioner; prefers Russian.",
        tags=("pensioner",),
    ),
    Persona(
        slug="zane",
        sub="a1f4e2c0-0000-4000-8000-000000000008",
        given_name="Zane",
        family_name="Vītola",
        personal_code="070790-15135",
        birth_date=date(1990, 7, 7),
        summary="Has no data in any registry.",
        tags=("no-data",),
    ),
    Persona(
        slug="edgars",
        sub="a1f4e2c0-0000-4000-8000-000000000009",
        given_name="Edgars",
        family_name="Liepa",
        personal_code="040475-17153",
        birth_date=date(1975, 4, 4),
        summary="Second board member of Baltic Timber AS (joint representation with Mārtiņš).",
        tags=("entrepreneur",),
    ),
)

BY_SLUG = {persona.slug: persona for persona in PERSONAS}
BY_SUB = {persona.sub: persona for persona in PERSONAS}


def persona(slug: str) -> Persona:
    return BY_SLUG[slug]
