"""THE table of values that may change: rates, deadlines, thresholds, reminder ladders.

Every value carries where it comes from and whether it is verified (as ../shared/DOMAIN.md
marks it), so a wrong one can be found and corrected in one place. A deployment corrects
values without a code change through `OBLIGATIONS_RATES_FILE` (a TOML file; see
`load_rates`), e.g.

    [vat_return_day]
    value = 23
    source = "VID notice of 2027-01-05"
    status = "verified"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any, Generic, TypeVar

from backend.obligations.calendar import MonthDay
from backend.settings import SettingsError

T = TypeVar("T")


class Status(StrEnum):
    VERIFIED = "verified"
    NOT_VERIFIED = "not verified"
    PRODUCT = "product setting"
    """Our choice (reminder ladders, notice periods), not a rule of law."""


@dataclass(frozen=True)
class Rate(Generic[T]):
    value: T
    source: str
    status: Status

    @property
    def verified(self) -> bool:
        return self.status is not Status.NOT_VERIFIED


def _md(text: str) -> MonthDay:
    return MonthDay.parse(text)


DOMAIN = "DOMAIN.md"
V, NV, P = Status.VERIFIED, Status.NOT_VERIFIED, Status.PRODUCT


@dataclass(frozen=True)
class Rates:
    """Each field a `Rate`; `DEFAULT_RATES` holds the values, `load_rates` corrects them."""

    # --- Taxes -----------------------------------------------------------------------------
    late_interest_per_day: Rate[Decimal]
    income_declaration_opens: Rate[MonthDay]
    income_declaration_closes: Rate[MonthDay]
    income_tax_due: Rate[MonthDay]
    income_tax_parts_over: Rate[Decimal]
    income_tax_later_parts: Rate[tuple[MonthDay, ...]]
    real_estate_instalments: Rate[tuple[MonthDay, ...]]
    annual_report_months_micro_small: Rate[int]
    annual_report_months_medium_large: Rate[int]
    size_thresholds_2025: Rate[str]
    vat_return_day: Rate[int]
    vat_payment_day: Rate[int]
    employer_report_day: Rate[int]
    # --- Documents and residence -----------------------------------------------------------
    document_compulsory_age: Rate[int]
    document_apply_days: Rate[int]
    residence_declaration_months: Rate[int]
    # --- Family, age, pension --------------------------------------------------------------
    adult_age: Rate[int]
    leap_day_birthday: Rate[MonthDay]
    childbirth_benefit_apply_months: Rate[int]
    childbirth_benefit_amount: Rate[Decimal]
    family_benefit_apply_months_after_first_birthday: Rate[int]
    large_family_min_children: Rate[int]
    large_family_child_max_age: Rate[int]
    pension_age_years: Rate[int]
    pension_min_insurance_years: Rate[int]
    pension_early_years: Rate[int]
    pillar2_fund_changes_per_year: Rate[int]
    pillar2_plan_changes_per_year: Rate[int]
    # --- Product settings: when we tell people ---------------------------------------------
    horizon_days: Rate[int]
    escalate_within_days: Rate[int]
    turning_18_notice_days: Rate[int]
    turning_18_after_days: Rate[int]
    pension_notice_months: Rate[int]
    seasonal_real_estate_lead_days: Rate[int]
    study_applications: Rate[tuple[MonthDay, ...]]
    ladder_documents: Rate[tuple[int, ...]]
    ladder_vehicles: Rate[tuple[int, ...]]
    ladder_taxes: Rate[tuple[int, ...]]
    ladder_company: Rate[tuple[int, ...]]
    ladder_residence: Rate[tuple[int, ...]]

    def named(self) -> dict[str, Rate[Any]]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULT_RATES = Rates(
    # --- Taxes -----------------------------------------------------------------------------
    late_interest_per_day=Rate(
        Decimal("0.0005"), f"{DOMAIN} Taxes: late interest 0.05 % per day", V
    ),
    income_declaration_opens=Rate(_md("03-01"), f"{DOMAIN} Taxes", V),
    income_declaration_closes=Rate(_md("06-01"), f"{DOMAIN} Taxes", V),
    income_tax_due=Rate(_md("06-23"), f"{DOMAIN} Taxes: tax due by 23 June", V),
    income_tax_parts_over=Rate(
        Decimal("640"), f"{DOMAIN} Taxes: over €640 payable in three parts", V
    ),
    income_tax_later_parts=Rate(
        (_md("07-23"), _md("08-23")),
        f"{DOMAIN} says the later dates are not verified; monthly steps as in VID's 2021 "
        "notice (apollo.lv, 2021-03: 23 July, 23 August, 23 September for a 1 July deadline)",
        NV,
    ),
    real_estate_instalments=Rate(
        (_md("03-31"), _md("05-15"), _md("08-15"), _md("11-15")), f"{DOMAIN} Taxes", V
    ),
    annual_report_months_micro_small=Rate(5, f"{DOMAIN} Taxes", V),
    annual_report_months_medium_large=Rate(7, f"{DOMAIN} Taxes", V),
    size_thresholds_2025=Rate(
        "micro ≤ €450k balance / €900k turnover / 10 staff; small ≤ €5M / €10M / 50",
        f"{DOMAIN} Taxes (2025); the size class itself is read from the Enterprise Register",
        V,
    ),
    vat_return_day=Rate(20, f"{DOMAIN} Taxes: one source says the return moved to the 23rd", NV),
    vat_payment_day=Rate(23, f"{DOMAIN} Taxes", V),
    employer_report_day=Rate(17, f"{DOMAIN} Taxes", V),
    # --- Documents and residence -----------------------------------------------------------
    document_compulsory_age=Rate(15, f"{DOMAIN} Documents", V),
    document_apply_days=Rate(
        30, f"{DOMAIN} Documents: apply within 30 days of turning 15 or of expiry", V
    ),
    residence_declaration_months=Rate(1, f"{DOMAIN} Residence", V),
    # --- Family, age, pension --------------------------------------------------------------
    adult_age=Rate(18, "Civil Law: full legal capacity at 18", V),
    leap_day_birthday=Rate(
        _md("03-01"), "birthday of people born on 29 February in a common year", NV
    ),
    childbirth_benefit_apply_months=Rate(
        6, "lm.gov.lv 'Bērna piedzimšanas pabalsts': within 6 months of the birth", V
    ),
    childbirth_benefit_amount=Rate(
        Decimal("600.00"),
        "Law on State Social Benefits Art. 8 as amended for 2026: €600 per child from 1 January "
        "2026 (was €421.17; Ministry of Welfare, LETA 01.01.2026); the catalogue's "
        "childbirth-benefit entry and the application form say the same",
        V,
    ),
    family_benefit_apply_months_after_first_birthday=Rate(
        6, "latvija.lv 'Ģimenes valsts pabalsts': from birth, within 6 months of age 1", V
    ),
    large_family_min_children=Rate(3, "3+ Family card: three or more children", V),
    large_family_child_max_age=Rate(
        18, "3+ Family card counts children under 18 (older students: not checked)", NV
    ),
    pension_age_years=Rate(
        65,
        "VSAA via LV portāls (2025-11-07): from 1 January 2025 the old-age pension age is 65",
        V,
    ),
    pension_min_insurance_years=Rate(20, "VSAA (2025-11-07): at least 20 years", V),
    pension_early_years=Rate(
        2, "VSAA (2025-11-07): 2 years early (from 63) with a 30-year insurance record", V
    ),
    pillar2_fund_changes_per_year=Rate(1, f"{DOMAIN} Pension", V),
    pillar2_plan_changes_per_year=Rate(2, f"{DOMAIN} Pension", V),
    # --- Product settings: when we tell people ---------------------------------------------
    horizon_days=Rate(400, "how far ahead periodic obligations are listed", P),
    escalate_within_days=Rate(3, "a legal deadline this close and unacknowledged is escalated", P),
    turning_18_notice_days=Rate(60, "shown this long before the birthday", P),
    turning_18_after_days=Rate(30, "and this long after it", P),
    pension_notice_months=Rate(24, "shown this long before pension age", P),
    seasonal_real_estate_lead_days=Rate(14, "highlight before an instalment", P),
    study_applications=Rate(
        (_md("06-15"), _md("07-31")),
        "summer admissions to universities (first and last day of the highlight)",
        NV,
    ),
    ladder_documents=Rate((90, 30, 7, 1), "days before expiry", P),
    ladder_vehicles=Rate((30, 7, 1), "days before the due date", P),
    ladder_taxes=Rate((30, 7, 1), "days before the due date", P),
    ladder_company=Rate((14, 5, 1), "days before the due date", P),
    ladder_residence=Rate((14, 3, 1), "days before the due date", P),
)


class RatesError(SettingsError):
    """The overrides file is unreadable or names an unknown value or a wrong type."""


def _coerce(name: str, raw: Any, like: Any) -> Any:
    try:
        if isinstance(like, bool):
            raise RatesError(f"{name}: booleans are not rates")
        if isinstance(like, Decimal):
            return Decimal(str(raw))
        if isinstance(like, int):
            if not isinstance(raw, int) or isinstance(raw, bool):
                raise RatesError(f"{name}: expected a whole number")
            return raw
        if isinstance(like, MonthDay):
            return MonthDay.parse(str(raw))
        if isinstance(like, str):
            return str(raw)
        if isinstance(like, tuple):
            if not isinstance(raw, list) or not raw:
                raise RatesError(f"{name}: expected a non-empty list")
            return tuple(_coerce(name, item, like[0]) for item in raw)
    except (InvalidOperation, ValueError) as exc:
        if isinstance(exc, RatesError):
            raise
        raise RatesError(f"{name}: {exc}") from None
    raise RatesError(f"{name}: unsupported value type")  # pragma: no cover - table bug


def with_overrides(base: Rates, overrides: dict[str, Any]) -> Rates:
    """`base` with values replaced from a parsed TOML document (one table per value)."""
    current = base.named()
    changes: dict[str, Rate[Any]] = {}
    for name, entry in overrides.items():
        if name not in current:
            raise RatesError(f"unknown rate {name!r}")
        if not isinstance(entry, dict) or "value" not in entry or "source" not in entry:
            raise RatesError(f"{name}: give at least `value` and `source`")
        try:
            status = Status(entry.get("status", Status.NOT_VERIFIED.value))
        except ValueError:
            raise RatesError(f"{name}: status must be one of {[s.value for s in Status]}") from None
        value = _coerce(name, entry["value"], current[name].value)
        changes[name] = Rate(value, str(entry["source"]), status)
    return replace(base, **changes)


def load_rates(path: Path | None) -> Rates:
    """The built-in table, corrected by the TOML file at `path` when one is given."""
    if path is None:
        return DEFAULT_RATES
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RatesError(f"cannot read the rates file: {type(exc).__name__}") from None
    return with_overrides(DEFAULT_RATES, document)
