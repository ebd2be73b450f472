"""Identity documents: expiry notices, and "no valid eID card" from age 15.

Legal basis: the Personal Identification Documents Law (Personu apliecinošu dokumentu likums)
as amended on 23 February 2023, and PMLP's guidance
(https://www.pmlp.gov.lv/lv/personu-apliecinosu-dokumentu-noformesana): for a Latvian citizen
or non-citizen from age 15 the eID card (personas apliecība) is THE compulsory identity
document; a passport is optional. The transitional provisions let a person who was issued only
a passport up to 30 April 2023 use it until it expires; from then an eID card is compulsory.
A person without the compulsory document applies within 30 days (of turning 15, or of being
left without one). A validity end is not a procedural deadline and is never moved to a working
day; the 30-day application deadline is.

Not modelled: the groups the transitional provisions give until 31 December 2030 (people above
working age, with group I disability, in long-term social care, politically repressed, or
declared abroad), because the register answer does not say who belongs to them.
"""

from __future__ import annotations

from datetime import date, timedelta

from backend.lib.texts import N_, Text, joined
from backend.obligations.calendar import age_on, anniversary, deadline
from backend.obligations.rules.base import (
    Finding,
    Obligation,
    PersonContext,
    Skipped,
    SkipReason,
    SkipRule,
    need,
    stable_id,
)
from integrations.registries.population_register.models import IdentityDocument

EXPIRY = "identity_document.expiry"
NONE_VALID = "identity_document.none_valid"
SOURCE = "population_register"
LAW = Text(N_("Personal Identification Documents Law"))
ACT_URL = "https://www.pmlp.gov.lv/lv/personu-apliecinosu-dokumentu-noformesana"
COMPULSORY = ("passport", "eid_card")
"""Identity documents in the sense of the law (a residence permit is not one of them)."""
PASSPORT_ALONE_ISSUED_BEFORE = date(2023, 5, 1)
"""A passport issued before this day serves alone until it expires (transitional provisions of
the 23 February 2023 amendments); one issued later does not replace the eID card."""
# Whole sentences per document type: in Latvian and Russian the document's name changes form
# with its place in the sentence, so it cannot be a parameter.
EXPIRES = {
    "passport": N_("Your passport expires"),
    "eid_card": N_("Your eID card expires"),
    "residence_permit": N_("Your residence permit expires"),
}
VALID_UNTIL = {
    "passport": N_(
        "Your passport is valid until {date}. Applying takes about 10 working days (2 when "
        "expedited)."
    ),
    "eid_card": N_(
        "Your eID card is valid until {date}. Applying takes about 10 working days (2 when "
        "expedited)."
    ),
    "residence_permit": N_(
        "Your residence permit is valid until {date}. Applying takes about 10 working days (2 "
        "when expedited)."
    ),
}
INCONSISTENT = {
    "passport": N_(
        "We could not check one passport: the register says it expires before it was issued."
    ),
    "eid_card": N_(
        "We could not check one eID card: the register says it expires before it was issued."
    ),
    "residence_permit": N_(
        "We could not check one residence permit: the register says it expires before it was "
        "issued."
    ),
}
COVERED = N_("Your valid eID card keeps you covered, so renewing the passport is up to you.")
THEN_EID = N_(
    "Once it expires, the eID card is your compulsory identity document: apply for one within "
    "{days} days of that day."
)
BIRTH_IN_FUTURE = N_("Your birth date lies in the future.")


def _consistent(ctx: PersonContext, documents: list[IdentityDocument]) -> list[Finding]:
    notes: list[Finding] = []
    for document in documents:
        if document.valid_until < document.issued_on:
            notes.append(
                Skipped(
                    EXPIRY,
                    SkipReason.INCONSISTENT,
                    SOURCE,
                    Text(INCONSISTENT[document.type]),
                )
            )
    return notes


def identity_documents(ctx: PersonContext) -> list[Finding]:
    documents = (
        need(ctx.facts.identity_documents, SOURCE, Text(N_("your identity documents"))) or []
    )
    findings = _consistent(ctx, documents)
    usable = [d for d in documents if d.valid_until >= d.issued_on]
    valid = [d for d in usable if d.valid_until >= ctx.today]
    for document in valid:
        if document.valid_until > ctx.horizon:
            continue
        # Only an eID card covers: the passport is optional beside it, never instead of it.
        covered = document.type == "passport" and any(
            other.type == "eid_card" and other.valid_until > document.valid_until for other in valid
        )
        valid_until = Text(VALID_UNTIL[document.type], date=document.valid_until)
        if covered:
            description = joined(valid_until, Text(COVERED))
        elif document.type == "passport" and _serves_alone(document):
            days = ctx.rates.document_apply_days.value
            description = joined(valid_until, Text(THEN_EID, days=days))
        else:
            description = valid_until
        findings.append(
            Obligation(
                id=stable_id(EXPIRY, ctx.subject_key, document.type, document.number),
                rule=EXPIRY,
                subject_key=ctx.subject_key,
                title=Text(EXPIRES[document.type]),
                description=description,
                due_date=document.valid_until,
                legal_basis=LAW,
                action_url=ACT_URL,
                legal_deadline=False,
                ladder=() if covered else ctx.rates.ladder_documents.value,
            )
        )
    if any(d.type == "eid_card" or _serves_alone(d) for d in valid):
        return findings
    if any(d.type in COMPULSORY and d not in usable for d in documents):
        return findings  # an unreadable passport or eID card: no "none valid" date from it
    lone_passport = any(d.type == "passport" for d in valid)
    ended = [d for d in usable if d.type in COMPULSORY and d not in valid]
    findings.extend(_none_valid(ctx, ended, lone_passport=lone_passport))
    return findings


def _serves_alone(document: IdentityDocument) -> bool:
    """A passport that still counts as the compulsory document on its own."""
    return document.type == "passport" and document.issued_on < PASSPORT_ALONE_ISSUED_BEFORE


def _none_valid(
    ctx: PersonContext, expired: list[IdentityDocument], *, lone_passport: bool
) -> list[Finding]:
    """No valid eID card (nor a passport that serves alone): from 15 one is compulsory."""
    born = ctx.facts.birth_date
    if born is None:
        raise SkipRule(
            SkipReason.MISSING_FACT,
            None,
            Text(
                N_("We could not check whether you need an eID card: your birth date is unknown.")
            ),
        )
    if born > ctx.today:
        raise SkipRule(SkipReason.INCONSISTENT, None, Text(BIRTH_IN_FUTURE))
    rates = ctx.rates
    leap = rates.leap_day_birthday.value
    if age_on(born, ctx.today, leap) < rates.document_compulsory_age.value:
        return []
    since = anniversary(born, rates.document_compulsory_age.value, leap)
    if expired:
        since = max(since, *(d.valid_until for d in expired))
    elif lone_passport:
        since = max(since, PASSPORT_ALONE_ISSUED_BEFORE)
    elif age_on(born, ctx.today, leap) > rates.document_compulsory_age.value:
        # Every adult resident has held some document: a register that lists none at all
        # does not know this person's documents, and "overdue since age 15" would be wrong.
        raise SkipRule(
            SkipReason.MISSING_FACT,
            SOURCE,
            Text(
                N_("We could not check your identity documents: the register lists none for you.")
            ),
        )
    statutory = since + timedelta(days=rates.document_apply_days.value)
    due = deadline(statutory)
    return [
        Obligation(
            id=stable_id(NONE_VALID, ctx.subject_key),
            rule=NONE_VALID,
            subject_key=ctx.subject_key,
            title=Text(N_("Apply for an eID card")),
            description=Text(
                N_(
                    "From age 15 the eID card is the compulsory identity document; a passport "
                    "is optional and does not replace it. The register shows no valid eID card "
                    "for you. Apply within {days} days of turning 15 or of your last eID card "
                    "expiring."
                )
                if lone_passport
                else N_(
                    "From age 15 the eID card is the compulsory identity document; a passport "
                    "is optional. The register shows no valid eID card or passport for you. "
                    "Apply within {days} days of turning 15 or of your last document expiring."
                ),
                days=rates.document_apply_days.value,
            ),
            due_date=due,
            statutory_date=statutory if statutory != due else None,
            legal_basis=LAW,
            action_url=ACT_URL,
            ladder=rates.ladder_documents.value,
        )
    ]
