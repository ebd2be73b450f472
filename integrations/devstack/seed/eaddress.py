"""Demo e-addresses and messages for the personas (idempotent: fixed ids, skipped if present).

Everyone but Zane has activated an e-address (she never did: institutions must send her paper);
both companies have theirs. Messages go through the same write path as the API (receipts and
outbox events included), each dated when such a message is really sent (`demo_messages`), so
the demo stays true whatever day it is seeded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from backend.auth.tables import Person
from backend.eaddress.institution_api.institutions import (
    institution_by_registration,
    register_institution,
)
from backend.eaddress.mailbox.accounts import (
    account_by_subject,
    activate_person,
    ensure_company_account,
)
from backend.eaddress.storage.blobs import BlobStore
from backend.eaddress.storage.receipts import record_opened
from backend.eaddress.storage.writing import AttachmentDraft, MessageDraft, write_message
from backend.eaddress.tables import Message
from backend.lib.time import riga_today, utcnow
from backend.lib.workdays import deemed_delivered_on
from backend.settings import Settings
from integrations.devstack.personas import BALTIC_TIMBER, OZOLS_TECH, PERSONAS, Persona
from integrations.devstack.sandbox.sources import municipalities

SEED_NAMESPACE = uuid.UUID("6f1d2c3e-8a4b-4e5f-9a0b-1c2d3e4f5a6b")
INSTITUTIONS = {
    "vid": ("Valsts ieņēmumu dienests", "90000069281"),
    "riga": ("Rīgas valstspilsētas pašvaldība", "90011524360"),
    "vsaa": ("Valsts sociālās apdrošināšanas aģentūra", "90001634668"),
    "pmlp": ("Pilsonības un migrācijas lietu pārvalde", "90000013934"),
}
WITHOUT_EADDRESS = {"zane"}


@dataclass(frozen=True)
class DemoMessage:
    key: str
    institution: str
    to: str
    """A persona slug or `company:<registration number>`."""
    subject: str
    body: str
    days_ago: int
    opened_by: str | None = None
    pdf: str | None = None
    reply_from: str | None = None
    reply_body: str | None = None


def _latest(today: date, month: int, day: int) -> date:
    """The most recent `day`.`month` on or before `today`."""
    this_year = date(today.year, month, day)
    return this_year if this_year <= today else date(today.year - 1, month, day)


def demo_messages(today: date) -> tuple[DemoMessage, ...]:
    """The demo mail as it would stand on `today` (Riga): each message dated when such a
    message is really sent, and saying only what is true on that date.

    - Real-estate tax notices come from the municipality (not VID) by 15 February (Law on Real
      Estate Tax); keyed by year, so next year's is a new message.
    - The income declaration reminders come before the 1 March – 1 June season ends.
    - Pensions are indexed on 1 October (law "On State Pensions"): the notice comes before.
    - Mārtiņš's reminder follows his missed instalment (the sandbox's overdue one).
    - Pierre lives in France: PMLP answers his question about moving here.
    """
    notice_day = _latest(today, *municipalities.NOTICE_MONTH_DAY)
    tax_year = notice_day.year
    declaration_day = _latest(today, 3, 2)
    indexation_day = _latest(today, 9, 22)
    overdue = municipalities.overdue_instalment(today)

    def ago(day: date) -> int:
        return (today - day).days

    schedule = (
        f"Nodokli var samaksāt visu līdz {tax_year}. gada 31. martam vai četrās daļās — līdz "
        "31. martam, 15. maijam, 15. augustam un 15. novembrim."
    )
    found = [
        DemoMessage(
            f"anna-property-tax-{tax_year}",
            "riga",
            "anna",
            f"Maksāšanas paziņojums par nekustamā īpašuma nodokli {tax_year}. gadam",
            "Labdien!\n\nPielikumā maksāšanas paziņojums par nekustamā īpašuma nodokli par "
            f"dzīvokli Rīgā: {tax_year}. gadā 96,00 EUR. {schedule}\n\nAr cieņu,\n"
            "Rīgas valstspilsētas pašvaldība",
            days_ago=ago(notice_day),
            opened_by="anna",
            pdf=f"Maksasanas pazinojums NIN {tax_year}/4100-1",
        ),
        DemoMessage(
            f"martins-property-tax-{tax_year}",
            "riga",
            "martins",
            f"Maksāšanas paziņojums par nekustamā īpašuma nodokli {tax_year}. gadam",
            "Labdien!\n\nPielikumā maksāšanas paziņojums par nekustamā īpašuma nodokli par "
            f"jūsu domājamo daļu mājā Kalnciema ielā 30, Rīgā: {tax_year}. gadā 420,00 EUR. "
            f"{schedule}\n\nAr cieņu,\nRīgas valstspilsētas pašvaldība",
            days_ago=ago(notice_day),
            opened_by="martins",
            pdf=f"Maksasanas pazinojums NIN {tax_year}/4101-1",
        ),
        # Any day of the year: the certificate she asked for (no real-estate tax debt).
        DemoMessage(
            "anna-property-tax-certificate",
            "riga",
            "anna",
            "Izziņa par nekustamā īpašuma nodokļa samaksu",
            "Labdien!\n\nAtbildot uz jūsu pieprasījumu, pielikumā izziņa: par dzīvokli "
            "Brīvības ielā 1-5, Rīgā, nekustamā īpašuma nodokļa parāda nav.\n\nAr cieņu,\n"
            "Rīgas valstspilsētas pašvaldība",
            days_ago=1,
            pdf="Izzina par NIN samaksu",
        ),
        DemoMessage(
            f"anna-declaration-{declaration_day.year}",
            "vid",
            "anna",
            "Gada ienākumu deklarācijas iesniegšana",
            f"Atgādinām, ka gada ienākumu deklarāciju par {declaration_day.year - 1}. gadu var "
            f"iesniegt no {declaration_day.year}. gada 1. marta līdz 1. jūnijam Elektroniskās "
            "deklarēšanas sistēmā.",
            days_ago=ago(declaration_day),
            opened_by="anna",
        ),
        DemoMessage(
            f"martins-declaration-{declaration_day.year}",
            "vid",
            "martins",
            "Atgādinājums: gada ienākumu deklarācija",
            f"Jums ir pienākums iesniegt gada ienākumu deklarāciju par "
            f"{declaration_day.year - 1}. gadu līdz {declaration_day.year}. gada 1. jūnijam, "
            "jo gūti ienākumi no saimnieciskās darbības.",
            days_ago=ago(declaration_day),
            opened_by="martins",
        ),
        DemoMessage(
            "ozols-vat",
            "vid",
            f"company:{OZOLS_TECH.registration_number}",
            "Paziņojums par PVN deklarācijas iesniegšanas termiņu",
            'SIA "Ozols Tech" nav iesniegusi pievienotās vērtības nodokļa deklarāciju par '
            "iepriekšējo mēnesi. Lūdzam to iesniegt 5 darba dienu laikā vai sniegt paskaidrojumu.",
            days_ago=6,
            opened_by="martins",
            reply_from="martins",
            reply_body="Labdien! Deklarācija iesniegta šodien; kavējums radās grāmatvedes "
            "prombūtnes dēļ. Ar cieņu, Mārtiņš Ozols, valdes loceklis.",
        ),
        DemoMessage(
            "baltic-refund",
            "vid",
            f"company:{BALTIC_TIMBER.registration_number}",
            "Lēmums par nodokļa pārmaksas atmaksu",
            'Ar šo lēmumu AS "Baltic Timber" tiek atmaksāta uzņēmumu ienākuma nodokļa '
            "pārmaksa. Lēmumu var apstrīdēt mēneša laikā no tā spēkā stāšanās dienas.",
            days_ago=2,
            pdf="Lemums par parmaksas atmaksu Nr. 21.3/7781",
        ),
        DemoMessage(
            f"valdis-pension-{indexation_day.year}",
            "vsaa",
            "valdis",
            "Paziņojums par vecuma pensijas pārrēķinu",
            "Jūsu vecuma pensija ir pārrēķināta saskaņā ar ikgadējo indeksāciju. Jaunais "
            f"pensijas apmērs tiks izmaksāts no {indexation_day.year}. gada 1. oktobra.",
            days_ago=ago(indexation_day),
            opened_by="valdis",
        ),
        # Emīls was born three weeks ago (the sandbox's T−21).
        DemoMessage(
            "laura-benefit",
            "vsaa",
            "laura",
            "Lēmums par vecāku pabalsta piešķiršanu",
            "Jums piešķirts vecāku pabalsts par bērnu Emīlu. Lēmums pievienots pielikumā.",
            days_ago=9,
            opened_by="laura",
            pdf="Lemums par vecaku pabalstu",
        ),
        # Pierre does not live in Latvia: no residence permit, no resident's duties.
        DemoMessage(
            "pierre-enquiry",
            "pmlp",
            "pierre",
            "Atbilde uz jūsu jautājumu par uzturēšanos Latvijā",
            "Labdien!\n\nKā Eiropas Savienības pilsonis Latvijā varat uzturēties līdz trim "
            "mēnešiem bez reģistrācijas. Ja plānojat uzturēties ilgāk, reģistrējieties "
            "Pilsonības un migrācijas lietu pārvaldē un saņemiet reģistrācijas apliecību; tad "
            "jums piešķirs arī personas kodu.\n\nAr cieņu,\nPilsonības un migrācijas lietu "
            "pārvalde",
            days_ago=0,
        ),
    ]
    if overdue is not None and overdue + timedelta(days=7) <= today:
        reminded = overdue + timedelta(days=7)
        found.append(
            DemoMessage(
                f"martins-property-tax-overdue-{overdue.isoformat()}",
                "riga",
                "martins",
                "Atgādinājums par nekustamā īpašuma nodokļa nokavēto maksājumu",
                "Labdien!\n\nMaksājums par nekustamā īpašuma nodokli 105,00 EUR apmērā, "
                f"kura termiņš bija {overdue:%d.%m.%Y}., nav saņemts. Par katru nokavēto "
                "dienu tiek aprēķināta nokavējuma nauda 0,05 % apmērā no nesamaksātās summas. "
                "Lūdzam samaksāt parādu.\n\nAr cieņu,\nRīgas valstspilsētas pašvaldība",
                days_ago=ago(reminded),
            )
        )
    return tuple(found)  # fmt: skip


def minimal_pdf(title: str) -> bytes:
    """A small valid one-page PDF (ASCII text) with a correct cross-reference table."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


async def _person_id(persona: Persona) -> uuid.UUID:
    """The persona's person row, made by `seed.people.seed_people` beforehand (found by personal
    code or eIDAS identifier: whichever provider they log in through)."""
    column, value = (
        (Person.personal_code, persona.personal_code)
        if persona.personal_code
        else (Person.eidas_id, persona.eidas_id)
    )
    row = await Person.select(Person.id).where(column == value).first().run()
    if row is None:
        raise RuntimeError(f"seed the people first: no person row for {persona.slug}")
    return uuid.UUID(str(row["id"]))


async def _institution_ids() -> dict[str, uuid.UUID]:
    ids = {}
    for slug, (name, number) in INSTITUTIONS.items():
        row = await institution_by_registration(number)
        if row is None:
            # Its secret is discarded: register your own client with `vienuviet institution add`.
            ids[slug] = (await register_institution(name, number)).id
        else:
            ids[slug] = uuid.UUID(str(row["id"]))
    return ids


async def seed_eaddress(settings: Settings, blobs: BlobStore) -> int:
    """Create what is missing; returns how many messages were added."""
    people = {p.slug: await _person_id(p) for p in PERSONAS}
    for slug, person_id in people.items():
        if slug not in WITHOUT_EADDRESS:
            await activate_person(person_id)
    for company in (OZOLS_TECH, BALTIC_TIMBER):
        await ensure_company_account(company.registration_number)
    institutions = await _institution_ids()
    added = 0
    for demo in demo_messages(riga_today()):
        added += await _seed_message(demo, people, institutions, settings, blobs)
    return added


async def _seed_message(
    demo: DemoMessage,
    people: dict[str, uuid.UUID],
    institutions: dict[str, uuid.UUID],
    settings: Settings,
    blobs: BlobStore,
) -> int:
    message_id = uuid.uuid5(SEED_NAMESPACE, f"message:{demo.key}")
    if await Message.exists().where(Message.id == message_id).run():
        return 0
    subject_key = demo.to if demo.to.startswith("company:") else f"person:{people[demo.to]}"
    account = await account_by_subject(subject_key)
    assert account is not None
    attachments = []
    if demo.pdf:
        stored = await blobs.put(minimal_pdf(demo.pdf))
        filename = demo.pdf.replace("/", "-") + ".pdf"
        attachments.append(AttachmentDraft(filename, "application/pdf", stored.sha256, stored.size))
    sent_at = utcnow() - timedelta(days=demo.days_ago, hours=2)
    draft = MessageDraft(
        id=message_id,
        thread_id=message_id,
        in_reply_to=None,
        account_id=account.id,
        account_subject_key=subject_key,
        institution_id=institutions[demo.institution],
        direction="in",
        subject=demo.subject,
        body_text=demo.body,
        body_html=None,
        sent_at=sent_at,
        deemed_delivered_on=deemed_delivered_on(
            sent_at, settings.eaddress.deemed_delivery_working_days
        ),
        owner_key=f"institution:{institutions[demo.institution]}",
        attachments=attachments,
    )
    await write_message(draft)
    if demo.opened_by:
        opened_at = sent_at + timedelta(hours=5)
        await record_opened(message_id, people[demo.opened_by], as_delegate=False, at=opened_at)
    if demo.reply_from and demo.reply_body:
        await _seed_reply(draft, people[demo.reply_from], demo.reply_body)
    return 1


async def _seed_reply(original: MessageDraft, author: uuid.UUID, body: str) -> None:
    reply = MessageDraft(
        id=uuid.uuid5(SEED_NAMESPACE, f"reply:{original.id}"),
        thread_id=original.thread_id,
        in_reply_to=original.id,
        account_id=original.account_id,
        account_subject_key=original.account_subject_key,
        institution_id=original.institution_id,
        direction="out",
        subject=f"Re: {original.subject}",
        body_text=body,
        body_html=None,
        sent_at=original.sent_at + timedelta(days=1),
        deemed_delivered_on=None,
        owner_key=original.account_subject_key,
        author_person_id=author,
    )
    await write_message(reply)
