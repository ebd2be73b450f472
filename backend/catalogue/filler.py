"""Generated filler entries that bring the catalogue to the real portal's scale.

The state portal lists 2,335 services and 120 life situations; the reviewed content has a few
dozen. Search speed and ranking only mean something at full scale, so `fillers` generates the
rest: deterministic (the same entries on every machine and run), marked `filler: true`, with
ids starting `filler-`, never shown on public pages and left out of search results unless asked
for. They are built to compete: every municipality's birth grant, funeral grant and
real-estate tax relief, duplicates of birth certificates and pet passports, tractor driving
licences — the near neighbours the real portal's own entries have — written with the same
everyday vocabulary (`filler_terms.yaml`).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import cache
from itertools import product
from pathlib import Path
from typing import Final

import msgspec
import msgspec.yaml

from backend.catalogue.model import (
    Audience,
    Channel,
    ChannelKind,
    Cost,
    CostItem,
    LegalReference,
    LifeSituation,
    Service,
    ShortTitle,
    Step,
    Text,
)

PORTAL_SERVICES: Final = 2335
PORTAL_LIFE_SITUATIONS: Final = 120
TERMS_FILE: Final = Path(__file__).parent / "filler_terms.yaml"
REVIEWED: Final = dt.date(2026, 1, 1)
PORTAL: Final = "https://www.latvija.gov.lv/"

Triple = tuple[str, str, str]


class FillerTerms(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    municipalities: list[Triple]
    municipal_services: list[Triple]
    state_objects: list[tuple[str, str, str, str]]
    actions: list[Triple]
    life_situations: list[Triple]
    life_situation_variants: list[Triple]
    summary_more: list[Triple]
    eligibility: list[Triple]
    requirements: list[Triple]
    steps: list[Triple]
    durations: list[Triple]
    providers: dict[str, Triple]


@cache
def _terms() -> FillerTerms:
    return msgspec.yaml.decode(TERMS_FILE.read_bytes(), type=FillerTerms)


def _text(triple: Triple, **values: str) -> Text:
    lv, en, ru = triple
    return Text(lv=lv.format(**values), en=en.format(**values), ru=ru.format(**values))


SUMMARY: Final = (
    "Pakalpojums „{lv}”. To sniedz {provider_lv} iedzīvotājiem un uzņēmumiem, kas atbilst "
    "noteikumu prasībām. Iesniegumu var iesniegt klātienē, pa pastu, oficiālajā e-adresē vai "
    "portālā latvija.gov.lv.",
    "The service “{en}”. It is provided by {provider_en} to residents and businesses that meet "
    "the rules. You can apply in person, by post, through the official e-address or on "
    "latvija.gov.lv.",
    "Услуга «{ru}». Её предоставляет {provider_ru} жителям и предприятиям, которые отвечают "
    "требованиям. Заявление можно подать лично, по почте, через официальный э-адрес или на "
    "портале latvija.gov.lv.",
)
LEGAL_BASIS: Final = LegalReference(
    act=Text(
        lv="Administratīvā procesa likums",
        en="Administrative Procedure Law",
        ru="Закон об административном процессе",
    ),
    url="https://likumi.lv/ta/id/55567-administrativa-procesa-likums",
)


@dataclass(frozen=True)
class _Draft:
    title: Triple
    provider: Triple
    institution: str
    audience: list[Audience]


def _drafts() -> list[_Draft]:
    """Every filler service the word lists allow, municipalities' first, in a fixed order."""
    terms = _terms()
    drafts = [
        _Draft(
            (f"{lv} ({m_lv} pašvaldība)", f"{en} ({m_en})", f"{ru} (самоуправление: {m_ru})"),
            (f"{m_lv} pašvaldība", f"{m_en} council", f"самоуправление: {m_ru}"),
            "pasvaldibas",
            [Audience.RESIDENTS],
        )
        for (lv, en, ru), (m_lv, m_en, m_ru) in product(
            terms.municipal_services, terms.municipalities
        )
    ]
    for (o_lv, o_en, o_ru, institution), (a_lv, a_en, a_ru) in product(
        terms.state_objects, terms.actions
    ):
        title = (f"{o_lv[0].upper()}{o_lv[1:]} {a_lv}", f"{o_en}: {a_en}", f"{a_ru} {o_ru}")
        audience = [Audience.ENTREPRENEURS] if institution in ("ur", "vid") else []
        audience += [Audience.RESIDENTS, Audience.FOREIGNERS]
        drafts.append(_Draft(title, terms.providers[institution], institution, audience))
    return drafts


def filler_services(count: int) -> list[Service]:
    """`count` filler services (raises ValueError beyond what the word lists allow)."""
    drafts = _drafts()
    if count > len(drafts):
        raise ValueError(f"at most {len(drafts)} filler services can be generated")
    return [_service(n, draft) for n, draft in enumerate(drafts[:count], start=1)]


def _service(number: int, draft: _Draft) -> Service:
    pick = random.Random(number)  # noqa: S311 — deterministic variety, not security
    terms = _terms()
    lv, en, ru = draft.title
    values = {"lv": lv, "en": en, "ru": ru}
    values |= dict(zip(("provider_lv", "provider_en", "provider_ru"), draft.provider, strict=True))
    summary = _text(SUMMARY, **values)
    more = pick.choice(terms.summary_more)
    identifier = f"filler-service-{number:04d}"
    free = pick.random() < 0.4
    return Service(
        id=identifier,
        slug=identifier,
        title=ShortTitle(lv=lv, en=en, ru=ru),
        summary=Text(
            lv=f"{summary.lv} {more[0]}", en=f"{summary.en} {more[1]}", ru=f"{summary.ru} {more[2]}"
        ),
        audience=draft.audience,
        institution=draft.institution,
        eligibility=_text(pick.choice(terms.eligibility)),
        requirements=[_text(t) for t in pick.sample(terms.requirements, 3)],
        steps=[_text(terms.steps[n]) for n in sorted(pick.sample(range(len(terms.steps)), 3))],
        cost=Cost(
            free=free,
            items=[]
            if free
            else [
                CostItem(
                    text=Text(
                        lv="Maksa saskaņā ar cenrādi.",
                        en="The charge in the price list.",
                        ru="Плата по прейскуранту.",
                    ),
                    amount_eur=float(pick.choice((5, 10, 14.23, 20, 35))),
                )
            ],
        ),
        duration=_text(pick.choice(terms.durations)),
        legal_basis=[LEGAL_BASIS],
        channels=[Channel(kind=ChannelKind.IN_PERSON), Channel(ChannelKind.ESERVICE, url=PORTAL)],
        reviewed=REVIEWED,
        sources=[PORTAL],
        filler=True,
    )


SITUATION_SUMMARY: Final = (
    "Dzīves situācija „{lv}”: kādi pakalpojumi jāpiesaka, kādi dokumenti vajadzīgi un kādi "
    "termiņi jāievēro. Daļu ziņu iestādes nodod cita citai automātiski.",
    "The life situation “{en}”: which services to apply for, which documents you need and "
    "which deadlines apply. Some information is passed between institutions automatically.",
    "Жизненная ситуация «{ru}»: какие услуги заказать, какие документы нужны и какие сроки "
    "соблюдать. Часть сведений учреждения передают друг другу автоматически.",
)
SITUATION_STEPS: Final = (
    (
        ("Noskaidrojiet, kas Jums pienākas", "Find out what applies to you",
         "Узнайте, что вам положено"),
        ("Pārbaudiet, kuri pabalsti, atvieglojumi un pakalpojumi attiecas uz Jūsu situāciju.",
         "Check which benefits, reliefs and services apply to your situation.",
         "Проверьте, какие пособия, льготы и услуги относятся к вашей ситуации."),
    ),
    (
        ("Iesniedziet iesniegumus", "Submit the applications", "Подайте заявления"),
        ("Iesniegumus var iesniegt klientu apkalpošanas centrā vai portālā latvija.gov.lv; "
         "ņemiet līdzi pasi vai personas apliecību.",
         "Apply at a client service centre or on latvija.gov.lv; bring your passport or "
         "identity card.",
         "Заявления можно подать в центре обслуживания клиентов или на портале latvija.gov.lv; "
         "возьмите паспорт или удостоверение личности."),
    ),
    (
        ("Sekojiet termiņiem", "Keep to the deadlines", "Соблюдайте сроки"),
        ("Daļa pakalpojumu jāpiesaka viena mēneša laikā pēc notikuma.",
         "Some services must be applied for within one month of the event.",
         "Некоторые услуги нужно заказать в течение месяца после события."),
    ),
)  # fmt: skip


def filler_life_situations(count: int) -> list[LifeSituation]:
    """`count` filler life situations (raises ValueError beyond what the word lists allow)."""
    terms = _terms()
    titles = [
        (f"{lv}{v_lv}", f"{en}{v_en}", f"{ru}{v_ru}")
        for (v_lv, v_en, v_ru), (lv, en, ru) in product(
            terms.life_situation_variants, terms.life_situations
        )
    ]
    if count > len(titles):
        raise ValueError(f"at most {len(titles)} filler life situations can be generated")
    situations = []
    for number, (lv, en, ru) in enumerate(titles[:count], start=1):
        identifier = f"filler-situation-{number:03d}"
        title = ShortTitle(lv=lv, en=en, ru=ru)
        situations.append(
            LifeSituation(
                id=identifier,
                slug=identifier,
                title=title,
                summary=_text(SITUATION_SUMMARY, lv=lv, en=en, ru=ru),
                event=title,
                audience=[Audience.RESIDENTS],
                steps=[
                    Step(title=ShortTitle(*heading), text=_text(text))
                    for heading, text in SITUATION_STEPS
                ],
                institutions=["pasvaldibas"],
                reviewed=REVIEWED,
                sources=[PORTAL],
                filler=True,
            )
        )
    return situations


def fillers(
    real_services: int, real_life_situations: int
) -> tuple[list[Service], list[LifeSituation]]:
    """The fillers that bring a catalogue with this many real entries to the portal's scale."""
    return (
        filler_services(max(0, PORTAL_SERVICES - real_services)),
        filler_life_situations(max(0, PORTAL_LIFE_SITUATIONS - real_life_situations)),
    )
