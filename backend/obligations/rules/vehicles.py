"""Road Traffic Safety Directorate (CSDD): driving licence, technical inspection, compulsory
third-party insurance (OCTA). Validity ends never move to a working day."""

from __future__ import annotations

from datetime import timedelta

from backend.lib.texts import N_, Text
from backend.obligations.rules.base import (
    Finding,
    Obligation,
    PersonContext,
    Skipped,
    SkipReason,
    need,
    stable_id,
)
from integrations.registries.csdd.models import Vehicle

LICENCE = "driving_licence.expiry"
INSPECTION = "vehicle.inspection"
INSURANCE = "vehicle.insurance"
SOURCE = "csdd"
CSDD_URL = "https://e.csdd.lv/"
OCTA_URL = "https://www.ltab.lv/"
EXPIRED_SHOWN_DAYS = 365
"""An expired licence is shown for a year: after that the person has chosen not to drive."""


def driving_licence(ctx: PersonContext) -> list[Finding]:
    licence = need(ctx.facts.driving_licence, SOURCE, Text(N_("your driving licence")))
    if licence is None:
        return []
    if licence.valid_until < licence.issued_on:
        return [
            Skipped(
                LICENCE,
                SkipReason.INCONSISTENT,
                SOURCE,
                Text(
                    N_(
                        "We could not check your driving licence: the register says it expires "
                        "before it was issued."
                    )
                ),
            )
        ]
    if not ctx.today - timedelta(days=EXPIRED_SHOWN_DAYS) <= licence.valid_until <= ctx.horizon:
        return []
    return [
        Obligation(
            id=stable_id(LICENCE, ctx.subject_key, licence.number),
            rule=LICENCE,
            subject_key=ctx.subject_key,
            title=Text(N_("Your driving licence expires")),
            description=Text(
                N_(
                    "Your driving licence ({categories}) is valid until {date}; renewing needs a "
                    "valid health certificate."
                ),
                categories=", ".join(licence.categories),
                date=licence.valid_until,
            ),
            due_date=licence.valid_until,
            legal_basis=Text(N_("Road Traffic Law")),
            action_url=CSDD_URL,
            legal_deadline=False,
            ladder=ctx.rates.ladder_vehicles.value,
        )
    ]


def _name(vehicle: Vehicle) -> str:
    return f"{vehicle.make} {vehicle.model} ({vehicle.plate})"


def vehicles(ctx: PersonContext) -> list[Finding]:
    findings: list[Finding] = []
    for vehicle in need(ctx.facts.vehicles, SOURCE, Text(N_("your vehicles"))) or []:
        ladder = ctx.rates.ladder_vehicles.value
        if vehicle.technical_inspection_due <= ctx.horizon:
            findings.append(
                Obligation(
                    id=stable_id(INSPECTION, ctx.subject_key, vehicle.plate),
                    rule=INSPECTION,
                    subject_key=ctx.subject_key,
                    title=Text(N_("Technical inspection: {vehicle}"), vehicle=_name(vehicle)),
                    description=Text(
                        N_(
                            "The vehicle may not be driven without a valid technical "
                            "inspection; CSDD shows it due on {date}."
                        ),
                        date=vehicle.technical_inspection_due,
                    ),
                    due_date=vehicle.technical_inspection_due,
                    legal_basis=Text(
                        N_("Road Traffic Law; Cabinet regulations on technical inspection")
                    ),
                    action_url=CSDD_URL,
                    ladder=ladder,
                )
            )
        until = vehicle.insurance_valid_until
        if until is not None and until > ctx.horizon:
            continue
        findings.append(
            Obligation(
                id=stable_id(INSURANCE, ctx.subject_key, vehicle.plate),
                rule=INSURANCE,
                subject_key=ctx.subject_key,
                title=Text(N_("Compulsory insurance (OCTA): {vehicle}"), vehicle=_name(vehicle)),
                description=(
                    Text(
                        N_("CSDD shows no valid compulsory third-party insurance for this vehicle.")
                    )
                    if until is None
                    else Text(N_("The compulsory insurance is valid until {date}."), date=until)
                ),
                due_date=ctx.today if until is None else until,
                legal_basis=Text(
                    N_(
                        "Law on the Compulsory Civil Liability Insurance of Owners of Motor "
                        "Vehicles"
                    )
                ),
                action_url=OCTA_URL,
                ladder=ladder,
                immediate=until is None,
            )
        )
    return findings
