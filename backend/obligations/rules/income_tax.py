"""The annual income declaration (1 March – 1 June) and paying what it shows (23 June; over
€640 in three parts).

Filing is confirmed by the State Revenue Service (the declaration's status); payment is not
(the declaration carries no "paid" flag), so payments are marked done by the person and shown
only until they fall due: after that, the unified tax account is the authority on any debt.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from backend.lib.texts import N_, Money, Text
from backend.obligations.calendar import deadline
from backend.obligations.rules.base import (
    Finding,
    Obligation,
    PersonContext,
    SkipReason,
    SkipRule,
    need,
    stable_id,
)

FILE = "income_declaration.file"
PAY = "income_tax.pay"
SOURCE = "srs"
LAW = Text(N_("Law on Personal Income Tax"))
EDS_URL = "https://eds.vid.gov.lv/"
CENT = Decimal("0.01")


def split_in_parts(amount: Decimal, parts: int) -> list[Decimal]:
    """Equal parts in whole cents; the last part takes the remainder."""
    share = (amount / parts).quantize(CENT, rounding=ROUND_DOWN)
    return [share] * (parts - 1) + [amount - share * (parts - 1)]


def income_declaration(ctx: PersonContext) -> list[Finding]:
    declaration = need(
        ctx.facts.income_declaration, SOURCE, Text(N_("your annual income declaration"))
    )
    if declaration is None:
        return []  # the State Revenue Service expects none
    tax_year = ctx.today.year - 1
    if declaration.year != tax_year:
        raise SkipRule(
            SkipReason.INCONSISTENT,
            SOURCE,
            Text(
                N_(
                    "We could not check your income declaration: the answer was for {got}, not "
                    "{year}."
                ),
                got=declaration.year,
                year=tax_year,
            ),
        )
    payable, refundable = declaration.amount_payable, declaration.amount_refundable
    if (payable is not None and payable < 0) or (refundable is not None and refundable < 0):
        raise SkipRule(
            SkipReason.INCONSISTENT,
            SOURCE,
            Text(N_("Your income declaration shows a negative amount.")),
        )
    if payable and refundable:
        raise SkipRule(
            SkipReason.INCONSISTENT,
            SOURCE,
            Text(N_("Your income declaration shows both tax to pay and a refund.")),
        )
    rates = ctx.rates
    filing_year = tax_year + 1
    if declaration.status == "not_filed":
        statutory = rates.income_declaration_closes.value.in_year(filing_year)
        due = deadline(statutory)
        return [
            Obligation(
                id=stable_id(FILE, ctx.subject_key, tax_year),
                rule=FILE,
                subject_key=ctx.subject_key,
                title=Text(N_("Submit your income declaration for {year}"), year=tax_year),
                description=Text(
                    N_(
                        "The State Revenue Service expects your annual income declaration for "
                        "{year} and has not received it."
                    ),
                    year=tax_year,
                ),
                due_date=due,
                statutory_date=statutory if statutory != due else None,
                window_opens=rates.income_declaration_opens.value.in_year(filing_year),
                legal_basis=LAW,
                action_url=EDS_URL,
                ladder=rates.ladder_taxes.value,
            )
        ]
    if not payable:
        return []
    return _payments(ctx, tax_year, payable)


def _payments(ctx: PersonContext, tax_year: int, payable: Decimal) -> list[Finding]:
    rates = ctx.rates
    days = [rates.income_tax_due.value]
    if payable > rates.income_tax_parts_over.value:
        days += list(rates.income_tax_later_parts.value)
    amounts = split_in_parts(payable, len(days)) if len(days) > 1 else [payable]
    findings: list[Finding] = []
    for index, (day, amount) in enumerate(zip(days, amounts, strict=True), start=1):
        statutory = day.in_year(tax_year + 1)
        due = deadline(statutory)
        if due < ctx.today:
            continue
        if len(days) > 1:
            title = Text(
                N_("Pay income tax for {year} (part {part} of {parts})"),
                year=tax_year,
                part=index,
                parts=len(days),
            )
            description = Text(
                N_(
                    "Your declaration for {year} shows {amount} to pay; over {threshold} it may "
                    "be paid in {parts} parts."
                ),
                year=tax_year,
                amount=Money(payable),
                threshold=Money(rates.income_tax_parts_over.value),
                parts=len(days),
            )
        else:
            title = Text(N_("Pay income tax for {year}"), year=tax_year)
            description = Text(
                N_("Your declaration for {year} shows {amount} to pay."),
                year=tax_year,
                amount=Money(payable),
            )
        findings.append(
            Obligation(
                id=stable_id(PAY, ctx.subject_key, tax_year, index),
                rule=PAY,
                subject_key=ctx.subject_key,
                title=title,
                description=description,
                due_date=due,
                statutory_date=statutory if statutory != due else None,
                amount=amount,
                legal_basis=LAW,
                action_url=EDS_URL,
                state_confirms=False,
                ladder=rates.ladder_taxes.value,
            )
        )
    return findings
