"""Company reports: the annual report (5 or 7 months after the financial year by size) and the
employer's monthly report (the 17th of the following month).

We cannot see whether a report was filed, so past ones are not listed and the company marks
upcoming ones done.
"""

from __future__ import annotations

from backend.lib.texts import N_, Text
from backend.obligations.calendar import (
    MonthDay,
    add_months,
    day_of_month,
    deadline,
    periods_reported_from,
)
from backend.obligations.rules.base import (
    CompanyContext,
    Finding,
    Obligation,
    SkipReason,
    SkipRule,
    need,
    stable_id,
)

ANNUAL = "company.annual_report"
EMPLOYER = "company.employer_report"
EDS_URL = "https://eds.vid.gov.lv/"
SIZES = {
    "micro": N_("A micro company"),
    "small": N_("A small company"),
    "medium": N_("A medium-sized company"),
    "large": N_("A large company"),
}


def annual_report(ctx: CompanyContext) -> list[Finding]:
    company = need(
        ctx.facts.company, "enterprise_register", Text(N_("the company's register entry"))
    )
    if company is None:
        raise SkipRule(
            SkipReason.MISSING_FACT,
            "enterprise_register",
            Text(
                N_(
                    "We could not check the annual report: the Enterprise Register has no such "
                    "company."
                )
            ),
        )
    if company.status == "excluded":
        return []
    try:
        year_end = MonthDay.parse(company.financial_year_end)
    except ValueError:
        raise SkipRule(
            SkipReason.INCONSISTENT,
            "enterprise_register",
            Text(N_("We could not check the annual report: the financial year end is not a date.")),
        ) from None
    rates = ctx.rates
    small = company.size_class in ("micro", "small")
    months = (
        rates.annual_report_months_micro_small if small else rates.annual_report_months_medium_large
    ).value
    this_year = year_end.in_year(ctx.today.year)
    latest = this_year if this_year < ctx.today else year_end.in_year(ctx.today.year - 1)
    findings: list[Finding] = []
    for ended in (latest, year_end.in_year(latest.year + 1)):
        if ended < company.registered_on:
            continue
        statutory = add_months(ended, months)
        due = deadline(statutory)
        if not ctx.today <= due <= ctx.horizon:
            continue
        findings.append(
            Obligation(
                id=stable_id(ANNUAL, ctx.subject_key, ended.isoformat()),
                rule=ANNUAL,
                subject_key=ctx.subject_key,
                title=Text(N_("Annual report for the year ending {date}"), date=ended),
                description=Text(
                    N_(
                        "{size} (Enterprise Register) files its annual report to the State "
                        "Revenue Service within {months} months of the financial year's end."
                    ),
                    size=Text(SIZES.get(company.size_class, N_("A company"))),
                    months=months,
                ),
                due_date=due,
                statutory_date=statutory if statutory != due else None,
                window_opens=ended,
                legal_basis=Text(
                    N_("Annual Financial Statements and Consolidated Financial Statements Law")
                ),
                action_url=EDS_URL,
                state_confirms=False,
                ladder=rates.ladder_company.value,
            )
        )
    return findings


def employer_report(ctx: CompanyContext) -> list[Finding]:
    status = need(ctx.facts.tax_status, "srs", Text(N_("the company's employer registration")))
    if status is None or not status.employer:
        return []
    rates = ctx.rates
    findings: list[Finding] = []
    for period in periods_reported_from(ctx.today, 1, 15):
        report_month = add_months(period.first, 1)
        statutory = day_of_month(report_month, rates.employer_report_day.value)
        due = deadline(statutory)
        if not ctx.today <= due <= ctx.horizon:
            continue
        findings.append(
            Obligation(
                id=stable_id(EMPLOYER, ctx.subject_key, period.label),
                rule=EMPLOYER,
                subject_key=ctx.subject_key,
                title=Text(N_("Employer's report for {period:for}"), period=period.text),
                description=Text(
                    N_(
                        "Employers report each month's employees, income and social insurance "
                        "contributions to the State Revenue Service."
                    )
                ),
                due_date=due,
                statutory_date=statutory if statutory != due else None,
                legal_basis=Text(N_("Law on State Social Insurance; Law on Personal Income Tax")),
                action_url=EDS_URL,
                state_confirms=False,
                ladder=rates.ladder_company.value,
            )
        )
    return findings
