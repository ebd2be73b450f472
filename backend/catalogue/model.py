"""The catalogue's content model: what one reviewed file in `content/` may say.

The fields follow the Latvian service catalogue rules (Cabinet Regulation No. 399 of 4 July 2017,
"Valsts pārvaldes pakalpojumu uzskaites, kvalitātes kontroles un sniegšanas kārtība"): a service
names who may receive it, what is needed, the steps, the cost and its legal basis, how long it
takes, the responsible institution and the channels. Files are YAML, one entry per file, named
after the entry's `id`; institutions publishing through the API produce the same structures.

Every visible text is a `Text` in all three languages; decoding fails on a missing language or an
unknown field, so a typo in a file is an error, never a silently missing section.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import msgspec

Id = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Slug = Id
Url = Annotated[str, msgspec.Meta(pattern=r"^https://[^\s]+$", max_length=500)]
NonEmpty = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Clock = Annotated[str, msgspec.Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class Text(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """One text in Latvian (the authoritative wording), English and Russian."""

    lv: NonEmpty
    en: NonEmpty
    ru: NonEmpty

    def in_language(self, language: str) -> str:
        return str(getattr(self, language, self.lv))


class ShortTitle(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    lv: ShortText
    en: ShortText
    ru: ShortText

    def in_language(self, language: str) -> str:
        return str(getattr(self, language, self.lv))


class Keywords(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Everyday words people use for the entry (synonyms, colloquial and old names), per
    language. Search reads them besides the titles and texts."""

    lv: list[ShortText] = msgspec.field(default_factory=list)
    en: list[ShortText] = msgspec.field(default_factory=list)
    ru: list[ShortText] = msgspec.field(default_factory=list)


class Audience(StrEnum):
    RESIDENTS = "residents"
    ENTREPRENEURS = "entrepreneurs"
    FOREIGNERS = "foreigners"


class LegalReference(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """An act and, where it matters, the article or paragraph; `url` is its likumi.lv page."""

    act: Text
    url: Url
    article: Annotated[str, msgspec.Meta(max_length=60)] | None = None


class CostItem(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """One amount (a state fee, a service charge); `amount_eur` None when it varies, and the
    text says on what."""

    text: Text
    amount_eur: Annotated[float, msgspec.Meta(ge=0)] | None = None


class Cost(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    free: bool
    items: list[CostItem] = msgspec.field(default_factory=list)
    legal_basis: list[LegalReference] = msgspec.field(default_factory=list)


class ChannelKind(StrEnum):
    ESERVICE = "eservice"  # an online e-service: `url` is the exact e-service page
    IN_PERSON = "in_person"  # at the institution or a client service centre (VPVKAC)
    POST = "post"
    EADDRESS = "eaddress"  # an application sent to the institution's official e-address
    PHONE = "phone"
    EMAIL = "email"  # a document signed with a secure electronic signature, by e-mail


class Channel(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    kind: ChannelKind
    url: Url | None = None
    note: Text | None = None


class Service(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A public service description."""

    id: Id
    slug: Slug
    title: ShortTitle
    summary: Text  # two or three plain-language sentences: what you get and why
    audience: list[Audience]
    institution: Id  # the responsible institution's id
    eligibility: Text  # who can receive it
    requirements: list[Text]  # what you need (documents, data, conditions)
    steps: list[Text]  # how to receive it, in order
    cost: Cost
    duration: Text  # how long it takes, with the legal term where one exists
    legal_basis: list[LegalReference]
    channels: list[Channel]
    reviewed: dt.date  # when a person last checked it against the institution's own rules
    sources: list[Url]  # the institution's own pages it was checked against
    related: list[Id] = msgspec.field(default_factory=list)
    life_situations: list[Id] = msgspec.field(default_factory=list)
    keywords: Keywords = msgspec.field(default_factory=Keywords)
    # Generated entries that only give search its real-portal scale (2,335 services); never
    # shown on public pages nor counted as content.
    filler: bool = False


class RelativeDeadline(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A deadline counted from the life situation's event: exactly one of the counts is set."""

    text: Text  # e.g. "within one month of moving"
    days: Annotated[int, msgspec.Meta(ge=0)] | None = None
    working_days: Annotated[int, msgspec.Meta(ge=0)] | None = None
    months: Annotated[int, msgspec.Meta(ge=0)] | None = None


class Step(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """One step of a life situation; `service` names the catalogue service that does it."""

    title: ShortTitle
    text: Text
    service: Id | None = None
    condition: Text | None = None  # "if you are employed …": the step applies only then
    deadline: RelativeDeadline | None = None
    automatic: bool = False  # the state does it without the person (say who and how in text)
    # A fact the registries can show as done for a signed-in person (see catalogue personal
    # progress), e.g. "birth-registered"; None when no registry shows it.
    done_when: Id | None = None


class LifeSituation(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: Id
    slug: Slug
    title: ShortTitle
    summary: Text
    event: ShortTitle  # the event deadlines count from, as a noun phrase ("the birth")
    audience: list[Audience]
    steps: list[Step]
    institutions: list[Id]
    reviewed: dt.date
    sources: list[Url]
    keywords: Keywords = msgspec.field(default_factory=Keywords)
    filler: bool = False


class LatvianCases(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The Latvian name in the cases sentences need ("Atbildēt iestādei" takes the dative)."""

    genitive: ShortText
    dative: ShortText
    locative: ShortText


class InstitutionKind(StrEnum):
    STATE = "state"
    MUNICIPALITY = "municipality"
    OTHER = "other"


class Institution(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: Id
    slug: Slug
    name: ShortTitle
    abbreviation: ShortTitle | None
    name_lv_cases: LatvianCases
    kind: InstitutionKind
    summary: Text  # what it does, for people
    website: Url
    reviewed: dt.date
    phone: Annotated[str, msgspec.Meta(pattern=r"^\+371 ?\d[\d ]{6,12}$")] | None = None
    email: Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")] | None = None


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class OpeningHours(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    days: list[Weekday]
    opens: Clock
    closes: Clock


class ServiceCentre(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A state and municipal unified client service centre (VPVKAC)."""

    id: Id
    slug: Slug
    name: ShortTitle
    municipality: ShortTitle
    address: ShortText
    opening_hours: list[OpeningHours]
    services: list[Id]
    reviewed: dt.date
    phone: Annotated[str, msgspec.Meta(pattern=r"^\+371 ?\d[\d ]{6,12}$")] | None = None
    email: Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")] | None = None


KINDS: dict[str, type[msgspec.Struct]] = {
    "services": Service,
    "life_situations": LifeSituation,
    "institutions": Institution,
    "service_centres": ServiceCentre,
}
