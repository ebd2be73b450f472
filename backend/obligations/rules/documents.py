"""Identity documents: expiry notices, and "no valid document" from age 15.

From age 15 a valid passport or eID card is compulsory; a person without one must apply within
30 days of turning 15 or of the last document expiring. A validity end is not a procedural
deadline and is never moved to a working day; the 30-day application deadline is.
"""

from __future__ import annotations

from datetime import timedelta

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
ACT_URL = "https://www.pmlp.gov.lv/"
COMPULSORY = ("passport", "eid_card")
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
COVERED = N_("Your other valid document keeps you covered, so renewing this one is up to you.")
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
        covered = document.type in COMPULSORY and any(
            other.type in COMPULSORY and other.valid_until > document.valid_until for other in valid
        )
        valid_until = Text(VALID_UNTIL[document.type], date=document.valid_until)
        findings.append(
            Obligation(
                id=stable_id(EXPIRY, ctx.subject_key, document.type, document.number),
                rule=EXPIRY,
                subject_key=ctx.subject_key,
                title=Text(EXPIRES[document.type]),
                description=joined(valid_until, Text(COVERED)) if covered else valid_until,
                due_date=document.valid_until,
                legal_basis=LAW,
                action_url=ACT_URL,
                legal_deadline=False,
                ladder=() if covered else ctx.rates.ladder_documents.value,
            )
        )
    if any(d.type in COMPULSORY for d in valid):
        return findings
    if any(d.type in COMPULSORY and d not in usable for d in documents):
        return findings  # an unreadable passport or eID card: no "none valid" date from it
    findings.extend(_none_valid(ctx, [d for d in usable if d.type in COMPULSORY]))
    return findings


def _none_valid(ctx: PersonContext, expired: list[IdentityDocument]) -> list[Finding]:
    """No valid passport or eID card: from 15 one is compulsory."""
    born = ctx.facts.birth_date
    if born is None:
        raise SkipRule(
            SkipReason.MISSING_FACT,
            None,
            Text(
                N_(
                    "We could not check whether you need a passport or eID card: your birth "
                    "date is unknown."
                )
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
            title=Text(N_("Apply for a passport or eID card")),
            description=Text(
                N_(
                    "From age 15 a valid passport or eID card is compulsory; the register shows "
                    "none valid for you. Apply within {days} days of turning 15 or of the last "
                    "one expiring."
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
