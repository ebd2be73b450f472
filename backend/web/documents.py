"""GraphQL documents shared by several pages (the dashboard panels of a person and a company)."""

from __future__ import annotations

SOURCES = "sources { name status asOf reason }"

PERSON_DASHBOARD = """
... on PersonDashboard {
  __SOURCES__
  changes(first: 10) { newCount entries { id item change source detectedAt isNew
                                          facts { name value } } }
  declaredAtMyProperties { propertyAddress name declaredOn legalBasis }
  identityDocuments { type number validUntil }
  pension { balance currency fundManager investmentPlan valuationDate }
  familyDoctor { doctorName practiceName address phone registeredSince }
  vehicles { plate make model technicalInspectionDue insuranceValidUntil }
  drivingLicence { categories validUntil }
  properties { address kind share manager { name phone email } }
  taxAccount { balance currency asOf }
  realEstateTax { municipality year total instalments { dueDate amount paid lateInterest } }
}""".replace("__SOURCES__", SOURCES)

COMPANY_DASHBOARD = """
... on CompanyDashboard {
  subjectId name
  __SOURCES__
  company { registrationNumber name legalForm registeredOn address status sizeClass employees
            financialYearEnd }
  officers { name role representation since personalCode }
  taxStatus { vatPayer vatNumber vatPeriod employer taxAccountBalance asOf }
}""".replace("__SOURCES__", SOURCES)

DASHBOARD_ERRORS = """
... on StepUpRequired { loginUrl }
... on ForbiddenError { message }"""

OBLIGATION_SUMMARY = "id title dueDate amount status daysLeft actionUrl legalDeadline"

# The subjects a person may switch to (the acting-as switch on /company and /obligations).
SUBJECTS = "actingAs { id name basis registrationNumber } " + (
    "subjects { id name basis scopes registrationNumber role validUntil }"
)


def sources_by_name(dashboard: dict[str, object]) -> dict[str, object]:
    """`{"POPULATION_REGISTER": {...status...}, …}` for the panels' freshness lines."""
    sources = dashboard.get("sources") or []
    assert isinstance(sources, list)
    return {str(source["name"]): source for source in sources}


MAIL_SUMMARY = """
query MailSummary($subject: ID) {
  mailSummary(subjectId: $subject, first: 3) {
    subjectId unreadCount contentVisible stepUpUrl
    unread { id subject sentAt deemedDeliveredOn institution { name } }
  }
}"""
"""Unopened official mail for `components/mail_summary.html`: run with `lenient_query`, as it
answers at any login level but not for a delegate without `view_mail` (then no panel)."""
