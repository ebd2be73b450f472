"""Declaring a new residence within one month of moving.

No registry knows of a move before it is declared, so the move date is what the person told
us (`reportMove`); the Population Register confirms the declaration (a declared address dated
on or after the move), which ends the obligation.
"""

from __future__ import annotations

from backend.lib.texts import N_, Text
from backend.obligations.calendar import add_months, deadline
from backend.obligations.rules.base import (
    Finding,
    Obligation,
    PersonContext,
    SkipReason,
    SkipRule,
    need,
    stable_id,
)

DECLARE = "residence.declare"
SOURCE = "population_register"


def new_residence(ctx: PersonContext) -> list[Finding]:
    moved_on = ctx.moved_on
    if moved_on is None:
        return []
    if moved_on > ctx.today:
        raise SkipRule(
            SkipReason.INCONSISTENT, None, Text(N_("The move you told us of lies ahead."))
        )
    address = need(ctx.facts.declared_address, SOURCE, Text(N_("your declared address")))
    if address is not None and address.declared_since >= moved_on:
        return []  # declared: the register confirms it
    statutory = add_months(moved_on, ctx.rates.residence_declaration_months.value)
    due = deadline(statutory)
    return [
        Obligation(
            id=stable_id(DECLARE, ctx.subject_key, moved_on.isoformat()),
            rule=DECLARE,
            subject_key=ctx.subject_key,
            title=Text(N_("Declare your new residence")),
            description=Text(
                N_(
                    "You told us you moved on {date}. A new residence is declared within one "
                    "month of moving; one additional address may be declared too."
                ),
                date=moved_on,
            ),
            due_date=due,
            statutory_date=statutory if statutory != due else None,
            legal_basis=Text(N_("Declaration of Residence Law")),
            action_url="https://www.latvija.gov.lv/",
            ladder=ctx.rates.ladder_residence.value,
        )
    ]
