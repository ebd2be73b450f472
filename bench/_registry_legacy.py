"""The registry decoding that `integrations.registries.record` replaced (issue 14), kept only
as `bench/registry_decode.py`'s baseline: `json.loads`, then a hand-written `read()` per record
over the strict `Reader`. A frozen copy of `integrations/registries/_parse.py` and the models'
`read()` methods as of commit bb1f8cd; nothing in the product imports it."""

# ruff: noqa

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TypeVar

from backend.lib.identifiers import normalise_personal_code
from integrations.registries.errors import MalformedPayload

T = TypeVar("T")
S = TypeVar("S", bound=str)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONEY = re.compile(r"^-?\d{1,12}(\.\d{1,2})?$")


class Reader:
    """A JSON object with the path that led to it, for error messages."""

    def __init__(self, data: object, path: str = "$") -> None:
        if not isinstance(data, dict):
            raise MalformedPayload(path, "expected an object")
        self._data: dict[str, Any] = data
        self.path = path

    def _raw(self, key: str, *, optional: bool) -> Any:
        if key not in self._data:
            raise MalformedPayload(f"{self.path}.{key}", "missing")
        value = self._data[key]
        if value is None and not optional:
            raise MalformedPayload(f"{self.path}.{key}", "must not be null")
        return value

    def _typed(self, key: str, kind: type[T], what: str, *, optional: bool) -> T | None:
        value = self._raw(key, optional=optional)
        if value is None:
            return None
        # bool is an int subclass: a registry sending true for a count is wrong, not 1.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise MalformedPayload(f"{self.path}.{key}", f"expected {what}")
        return value

    def text(self, key: str) -> str:
        value = self._typed(key, str, "a string", optional=False)
        assert value is not None
        if not value.strip():
            raise MalformedPayload(f"{self.path}.{key}", "must not be empty")
        return value

    def personal_code(self, key: str) -> str:
        try:
            return normalise_personal_code(self.text(key))
        except ValueError:
            raise MalformedPayload(f"{self.path}.{key}", "not a personal code") from None

    def opt_personal_code(self, key: str) -> str | None:
        if self._raw(key, optional=True) is None:
            return None
        return self.personal_code(key)

    def opt_text(self, key: str) -> str | None:
        if self._raw(key, optional=True) is None:
            return None
        return self.text(key)

    def integer(self, key: str) -> int:
        value = self._typed(key, int, "an integer", optional=False)
        assert value is not None
        return value

    def flag(self, key: str) -> bool:
        value = self._typed(key, bool, "a boolean", optional=False)
        assert value is not None
        return value

    def day(self, key: str) -> date:
        text = self._typed(key, str, "a date string", optional=False)
        assert text is not None
        if not _DATE.match(text):
            raise MalformedPayload(f"{self.path}.{key}", "expected a YYYY-MM-DD date")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise MalformedPayload(f"{self.path}.{key}", "not a calendar date") from None

    def opt_day(self, key: str) -> date | None:
        if self._raw(key, optional=True) is None:
            return None
        return self.day(key)

    def money(self, key: str) -> Decimal:
        text = self._typed(key, str, "a decimal string", optional=False)
        assert text is not None
        if not _MONEY.match(text):
            raise MalformedPayload(f"{self.path}.{key}", "expected a decimal amount")
        return Decimal(text)

    def opt_money(self, key: str) -> Decimal | None:
        if self._raw(key, optional=True) is None:
            return None
        return self.money(key)

    def choice(self, key: str, allowed: tuple[S, ...]) -> S:
        value = self.text(key)
        for option in allowed:
            if value == option:
                return option
        raise MalformedPayload(f"{self.path}.{key}", "not one of the allowed values")

    def opt_choice(self, key: str, allowed: tuple[S, ...]) -> S | None:
        if self._raw(key, optional=True) is None:
            return None
        return self.choice(key, allowed)

    def opt_obj(self, key: str) -> Reader | None:
        value = self._raw(key, optional=True)
        return None if value is None else Reader(value, f"{self.path}.{key}")

    def records(self, key: str, parse: Callable[[Reader], T]) -> tuple[T, ...]:
        """Each element must be an object; `parse` turns its reader into a model."""
        value = self._typed(key, list, "a list", optional=False)
        assert value is not None
        return tuple(parse(Reader(item, f"{self.path}.{key}[{i}]")) for i, item in enumerate(value))

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._typed(key, list, "a list", optional=False)
        assert value is not None
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item:
                raise MalformedPayload(f"{self.path}.{key}[{i}]", "expected a string")
        return tuple(value)


def items(parse: Callable[[Reader], T]) -> Callable[[object], tuple[T, ...]]:
    """A parser for the collection envelope every registry uses: `{"items": [...]}`."""

    def parse_items(data: object) -> tuple[T, ...]:
        return Reader(data).records("items", parse)

    return parse_items


def one(parse: Callable[[Reader], T]) -> Callable[[object], T]:
    """A parser for a single top-level object."""

    def parse_one(data: object) -> T:
        return parse(Reader(data))

    return parse_one


# --- population_register -----------------------------------------------------

DocumentType = Literal["passport", "eid_card", "residence_permit"]
DOCUMENT_TYPES: tuple[DocumentType, ...] = ("passport", "eid_card", "residence_permit")


@dataclass(frozen=True)
class DeclaredAddress:
    address: str
    declared_since: date

    @classmethod
    def read(cls, r: Reader) -> DeclaredAddress:
        return cls(address=r.text("address"), declared_since=r.day("declared_since"))


@dataclass(frozen=True)
class DeclaredPerson:
    """Someone whose residence is declared at a property the asking person owns."""

    property_address: str
    name: str
    personal_code: str
    declared_on: date
    legal_basis: str
    """Registry code, e.g. `lease`, `kinship`, `marriage`, `ownership`, `owner_consent`."""

    @classmethod
    def read(cls, r: Reader) -> DeclaredPerson:
        return cls(
            property_address=r.text("property_address"),
            name=r.text("name"),
            personal_code=r.personal_code("personal_code"),
            declared_on=r.day("declared_on"),
            legal_basis=r.text("legal_basis"),
        )


@dataclass(frozen=True)
class IdentityDocument:
    type: DocumentType
    number: str
    issued_on: date
    valid_until: date
    issuer: str

    @classmethod
    def read(cls, r: Reader) -> IdentityDocument:
        return cls(
            type=r.choice("type", DOCUMENT_TYPES),
            number=r.text("number"),
            issued_on=r.day("issued_on"),
            valid_until=r.day("valid_until"),
            issuer=r.text("issuer"),
        )


@dataclass(frozen=True)
class Child:
    name: str
    personal_code: str
    birth_date: date

    @classmethod
    def read(cls, r: Reader) -> Child:
        return cls(
            name=r.text("name"),
            personal_code=r.personal_code("personal_code"),
            birth_date=r.day("birth_date"),
        )


# --- ssia --------------------------------------------------------------------


@dataclass(frozen=True)
class PensionAccount:
    """The 2nd pension pillar account."""

    balance: Decimal
    currency: str
    fund_manager: str
    investment_plan: str
    contributions_this_year: Decimal
    valuation_date: date
    last_fund_change_date: date | None
    """None: the fund manager was never changed (it may be changed once per calendar year)."""

    @classmethod
    def read(cls, r: Reader) -> PensionAccount:
        return cls(
            balance=r.money("balance"),
            currency=r.text("currency"),
            fund_manager=r.text("fund_manager"),
            investment_plan=r.text("investment_plan"),
            contributions_this_year=r.money("contributions_this_year"),
            valuation_date=r.day("valuation_date"),
            last_fund_change_date=r.opt_day("last_fund_change_date"),
        )


# --- nhs ---------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyDoctor:
    doctor_name: str
    practice_name: str
    address: str
    phone: str
    registered_since: date

    @classmethod
    def read(cls, r: Reader) -> FamilyDoctor:
        return cls(
            doctor_name=r.text("doctor_name"),
            practice_name=r.text("practice_name"),
            address=r.text("address"),
            phone=r.text("phone"),
            registered_since=r.day("registered_since"),
        )


# --- csdd --------------------------------------------------------------------


@dataclass(frozen=True)
class Vehicle:
    plate: str
    make: str
    model: str
    first_registered_year: int
    technical_inspection_due: date
    insurance_valid_until: date | None
    """None: no valid compulsory third-party insurance (OCTA) is known."""

    @classmethod
    def read(cls, r: Reader) -> Vehicle:
        return cls(
            plate=r.text("plate"),
            make=r.text("make"),
            model=r.text("model"),
            first_registered_year=r.integer("first_registered_year"),
            technical_inspection_due=r.day("technical_inspection_due"),
            insurance_valid_until=r.opt_day("insurance_valid_until"),
        )


@dataclass(frozen=True)
class DrivingLicence:
    number: str
    categories: tuple[str, ...]
    issued_on: date
    valid_until: date

    @classmethod
    def read(cls, r: Reader) -> DrivingLicence:
        return cls(
            number=r.text("number"),
            categories=r.texts("categories"),
            issued_on=r.day("issued_on"),
            valid_until=r.day("valid_until"),
        )


# --- land_service ------------------------------------------------------------

PropertyKind = Literal["apartment", "house", "land", "non_residential"]
PROPERTY_KINDS: tuple[PropertyKind, ...] = ("apartment", "house", "land", "non_residential")


@dataclass(frozen=True)
class PropertyManager:
    name: str
    phone: str
    email: str

    @classmethod
    def read(cls, r: Reader) -> PropertyManager:
        return cls(name=r.text("name"), phone=r.text("phone"), email=r.text("email"))


@dataclass(frozen=True)
class Property:
    cadastral_number: str
    address: str
    kind: PropertyKind
    share: str
    """The person's ownership share as a fraction, e.g. `1/1`, `1/2`."""
    manager: PropertyManager | None
    """Who manages the building; None for property the owners manage themselves."""

    @classmethod
    def read(cls, r: Reader) -> Property:
        manager = r.opt_obj("manager")
        return cls(
            cadastral_number=r.text("cadastral_number"),
            address=r.text("address"),
            kind=r.choice("kind", PROPERTY_KINDS),
            share=r.text("share"),
            manager=None if manager is None else PropertyManager.read(manager),
        )


# --- srs ---------------------------------------------------------------------

DeclarationStatus = Literal["not_filed", "filed", "accepted"]
DECLARATION_STATUSES: tuple[DeclarationStatus, ...] = ("not_filed", "filed", "accepted")
VatPeriod = Literal["monthly", "quarterly"]
VAT_PERIODS: tuple[VatPeriod, ...] = ("monthly", "quarterly")


@dataclass(frozen=True)
class TaxAccount:
    balance: Decimal
    """Negative: the person owes that much; positive: overpaid."""
    currency: str
    as_of: date

    @classmethod
    def read(cls, r: Reader) -> TaxAccount:
        return cls(balance=r.money("balance"), currency=r.text("currency"), as_of=r.day("as_of"))


@dataclass(frozen=True)
class Instalment:
    due_date: date
    amount: Decimal
    paid: bool

    @classmethod
    def read(cls, r: Reader) -> Instalment:
        return cls(due_date=r.day("due_date"), amount=r.money("amount"), paid=r.flag("paid"))


@dataclass(frozen=True)
class RealEstateTaxSchedule:
    year: int
    total: Decimal
    instalments: tuple[Instalment, ...]

    @classmethod
    def read(cls, r: Reader) -> RealEstateTaxSchedule:
        return cls(
            year=r.integer("year"),
            total=r.money("total"),
            instalments=r.records("instalments", Instalment.read),
        )


@dataclass(frozen=True)
class IncomeDeclaration:
    year: int
    status: DeclarationStatus
    amount_payable: Decimal | None
    amount_refundable: Decimal | None

    @classmethod
    def read(cls, r: Reader) -> IncomeDeclaration:
        return cls(
            year=r.integer("year"),
            status=r.choice("status", DECLARATION_STATUSES),
            amount_payable=r.opt_money("amount_payable"),
            amount_refundable=r.opt_money("amount_refundable"),
        )


@dataclass(frozen=True)
class CompanyTaxStatus:
    registration_number: str
    vat_payer: bool
    vat_number: str | None
    vat_period: VatPeriod | None
    employer: bool
    tax_account_balance: Decimal
    as_of: date

    @classmethod
    def read(cls, r: Reader) -> CompanyTaxStatus:
        return cls(
            registration_number=r.text("registration_number"),
            vat_payer=r.flag("vat_payer"),
            vat_number=r.opt_text("vat_number"),
            vat_period=r.opt_choice("vat_period", VAT_PERIODS),
            employer=r.flag("employer"),
            tax_account_balance=r.money("tax_account_balance"),
            as_of=r.day("as_of"),
        )


# --- enterprise_register -----------------------------------------------------

Role = Literal["board_member", "chair", "procurator"]
ROLES: tuple[Role, ...] = ("board_member", "chair", "procurator")
Representation = Literal["sole", "joint"]
REPRESENTATIONS: tuple[Representation, ...] = ("sole", "joint")
CompanyStatus = Literal["active", "liquidation", "insolvency", "excluded"]
STATUSES: tuple[CompanyStatus, ...] = ("active", "liquidation", "insolvency", "excluded")
SizeClass = Literal["micro", "small", "medium", "large"]
SIZE_CLASSES: tuple[SizeClass, ...] = ("micro", "small", "medium", "large")


@dataclass(frozen=True)
class Officer:
    personal_code: str | None
    """None for an officer without a Latvian personal code (a foreign national)."""
    name: str
    role: Role
    representation: Representation
    since: date

    @classmethod
    def read(cls, r: Reader) -> Officer:
        return cls(
            personal_code=r.opt_personal_code("personal_code"),
            name=r.text("name"),
            role=r.choice("role", ROLES),
            representation=r.choice("representation", REPRESENTATIONS),
            since=r.day("since"),
        )


@dataclass(frozen=True)
class CompanyRecord:
    registration_number: str
    name: str
    legal_form: str
    registered_on: date
    address: str
    status: CompanyStatus
    financial_year_end: str
    """`MM-DD`, e.g. `12-31`."""
    size_class: SizeClass
    employees: int
    officers: tuple[Officer, ...]

    @classmethod
    def read(cls, r: Reader) -> CompanyRecord:
        return cls(
            registration_number=r.text("registration_number"),
            name=r.text("name"),
            legal_form=r.text("legal_form"),
            registered_on=r.day("registered_on"),
            address=r.text("address"),
            status=r.choice("status", STATUSES),
            financial_year_end=r.text("financial_year_end"),
            size_class=r.choice("size_class", SIZE_CLASSES),
            employees=r.integer("employees"),
            officers=r.records("officers", Officer.read),
        )

    def officer(self, personal_code: str) -> Officer | None:
        return next((o for o in self.officers if o.personal_code == personal_code), None)


# --- the cache codec (backend/dashboard/codec.py) ---


def to_wire(value: Any) -> Any:
    """A model (or list, tuple, date, Decimal, scalar) as contract JSON."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_wire(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_wire(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
