"""VAT returns and payments, monthly or quarterly by the company's VAT period (State Revenue
Service): the return by the 20th and the payment by the 23rd of the month after the period
(both days in the rates table; the return day is not verified)."""

from __future__ import annotations

from backend.lib.texts import N_, Text
from backend.obligations.calendar import add_months, day_of_month, deadline, periods_reported_from
from backend.obligations.rules.base import (
    CompanyContext,
    Finding,
    Obligation,
    SkipReason,
    SkipRule,
    need,
    stable_id,
)

RETURN = "vat.return"
PAYMENT = "vat.payment"
SOURCE = "srs"
LAW = Text(N_("Value Added Tax Law"))
EDS_URL = "https://eds.vid.gov.lv/"
MONTHS = {"monthly": 1, "quarterly": 3}
FILES = {
    "monthly": N_(
        "The company files VAT monthly (State Revenue Service); the amount is what the return "
        "shows."
    ),
    "quarterly": N_(
        "The company files VAT quarterly (State Revenue Service); the amount is what the "
        "return shows."
    ),
}


def vat(ctx: CompanyContext) -> list[Finding]:
    status = need(ctx.facts.tax_status, SOURCE, Text(N_("the company's VAT registration")))
    if status is None or not status.vat_payer:
        return []
    if status.vat_period not in MONTHS:
        raise SkipRule(
            SkipReason.INCONSISTENT,
            SOURCE,
            Text(
                N_(
                    "We could not check VAT deadlines: the company is a VAT payer without a VAT "
                    "period."
                )
            ),
        )
    months = MONTHS[status.vat_period]
    rates = ctx.rates
    findings: list[Finding] = []
    for period in periods_reported_from(ctx.today, months, 15 // months + 1):
        month = add_months(period.first, months)
        for rule, day, what in (
            (RETURN, rates.vat_return_day.value, N_("VAT return for {period:for}")),
            (PAYMENT, rates.vat_payment_day.value, N_("VAT payment for {period:for}")),
        ):
            statutory = day_of_month(month, day)
            due = deadline(statutory)
            if not ctx.today <= due <= ctx.horizon:
                continue
            findings.append(
                Obligation(
                    id=stable_id(rule, ctx.subject_key, period.label),
                    rule=rule,
                    subject_key=ctx.subject_key,
                    title=Text(what, period=period.text),
                    description=Text(FILES[status.vat_period]),
                    due_date=due,
                    statutory_date=statutory if statutory != due else None,
                    window_opens=day_of_month(month, 1),
                    legal_basis=LAW,
                    action_url=EDS_URL,
                    state_confirms=False,
                    ladder=rates.ladder_company.value,
                )
            )
    return findings
