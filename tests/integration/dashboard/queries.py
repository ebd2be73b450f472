"""GraphQL documents the dashboard tests send."""

from __future__ import annotations

SOURCES = "sources { name status asOf reason explanation }"

PERSON = """
query($subject: ID) { me { dashboard(subjectId: $subject) {
  __typename
  ... on ForbiddenError { code message }
  ... on StepUpRequired { requiredLevel }
  ... on PersonDashboard {
    subjectId name
    __SOURCES__
    declaredAddress { address declaredSince }
    declaredAtMyProperties { propertyAddress name personalCode declaredOn legalBasis }
    identityDocuments { type number validUntil }
    children { name personalCode birthDate }
    pension { balance fundManager investmentPlan valuationDate lastFundChangeDate }
    familyDoctor { doctorName practiceName registeredSince }
    vehicles { plate technicalInspectionDue insuranceValidUntil }
    drivingLicence { categories validUntil }
    properties { address kind share manager { name } }
    taxAccount { balance currency }
    realEstateTax { year total instalments { dueDate paid } }
    incomeDeclaration { year status }
    companies { role representation company { name registrationNumber } }
  }
} } }""".replace("__SOURCES__", SOURCES)

COMPANY = """
query($subject: ID) { me { dashboard(subjectId: $subject) {
  __typename
  ... on ForbiddenError { code }
  ... on StepUpRequired { requiredLevel }
  ... on CompanyDashboard {
    subjectId name
    __SOURCES__
    company { registrationNumber name legalForm status address sizeClass employees
              financialYearEnd }
    officers { name role representation personalCode }
    taxStatus { vatPayer vatNumber vatPeriod employer taxAccountBalance }
  }
} } }""".replace("__SOURCES__", SOURCES)

REFRESH = """
mutation { refreshDashboard {
  __typename
  ... on RefreshRateLimited { code retryAfterSeconds }
  ... on DashboardRefreshed { dashboard { __typename ... on PersonDashboard { __SOURCES__ } } }
} }""".replace("__SOURCES__", SOURCES)

CHANGES = """
{ me { dashboard { ... on PersonDashboard {
  changes { seenUpTo newCount entries { id kind item change source detectedAt isNew
                                        facts { name value } } }
} } } }"""

MARK_SEEN = "mutation($upTo: DateTime) { markDashboardSeen(upTo: $upTo) { seenUpTo } }"

CONSENTS = """
{ me { dashboard { ... on PersonDashboard {
  consents { source granted changedAt history { granted at } }
} } } }"""

SET_CONSENT = """
mutation($source: DashboardSource!, $granted: Boolean!) {
  setSourceConsent(source: $source, granted: $granted) {
    consent { source granted changedAt history { granted } }
  }
}"""

PAGE = (
    "entries { id at source purpose onBehalf actorId actorName outcome } "
    "pageInfo { hasNextPage endCursor }"
)
ACCESS = """
query($first: Int!, $after: String, $subject: ID) { me { dashboard(subjectId: $subject) {
  __typename
  ... on ForbiddenError { code }
  ... on PersonDashboard { dataAccess(first: $first, after: $after) { __PAGE__ } }
  ... on CompanyDashboard { dataAccess(first: $first, after: $after) { __PAGE__ } }
} } }""".replace("__PAGE__", PAGE)


def dashboard(body: dict[str, object]) -> dict[str, object]:
    """`data.me.dashboard` of an answer (asserting there were no errors)."""
    assert "errors" not in body, body
    data = body["data"]
    assert isinstance(data, dict)
    found: dict[str, object] = data["me"]["dashboard"]
    return found


def by_source(board: dict[str, object]) -> dict[str, dict[str, object]]:
    sources = board["sources"]
    assert isinstance(sources, list)
    return {entry["name"]: entry for entry in sources}
