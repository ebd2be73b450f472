"""Where "Do it" goes: the exact e-service of the catalogue entry that fulfils a rule.

A rule names its institution's site as a fallback (`action_url`); people then had to find the
e-service on an agency's home page. The catalogue (`Services.catalogue`, backend/catalogue)
keeps reviewed service descriptions whose e-service channel is the exact page (for one,
latvija.gov.lv/Services/12209 for declaring a residence), so the link is taken from there
whenever the rule has a catalogue entry and that entry has an e-service.
"""

from __future__ import annotations

from backend.catalogue.model import ChannelKind
from backend.catalogue.service import CatalogueService

# Rule id → catalogue service id (backend/catalogue/content/services/<id>.yaml).
RULE_SERVICES: dict[str, str] = {
    "income_declaration.file": "income-declaration",
    "income_tax.pay": "income-declaration",
    "real_estate_tax.instalment": "real-estate-tax-payment",
    "company.annual_report": "annual-report",
    "company.employer_report": "employer-monthly-report",
    "vehicle.inspection": "roadworthiness-test",
    "vehicle.insurance": "octa-check",
    "residence.declare": "declare-residence",
    "pension.fund_change": "pension-second-pillar-change",
    "life.pension_age": "old-age-pension",
    "family.childbirth_benefit": "childbirth-benefit",
    "family.state_benefit": "family-state-benefit",
}


def action_url(catalogue: CatalogueService, rule: str, fallback: str) -> str:
    """The e-service page for `rule` from its catalogue entry, else the rule's own link."""
    service_id = RULE_SERVICES.get(rule)
    service = catalogue.service_by_id(service_id) if service_id else None
    if service is None:
        return fallback
    for channel in service.channels:
        if channel.kind is ChannelKind.ESERVICE and channel.url:
            return str(channel.url)
    return fallback
