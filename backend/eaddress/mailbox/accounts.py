"""Who has an active e-address, and turning a person's on and off.

Addresses are how institutions name a recipient: `pc:<personal code>`, `eidas:<identifier>` or
`company:<registration number>`. A company's e-address is mandatory: it exists (and is active)
from the moment the company is known. A person's is voluntary, from age 14, and may be
deactivated and activated again; both moments are kept and each change is an event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from backend.auth.people import PersonRecord, get_person
from backend.eaddress.tables import Account
from backend.events.service import record_event
from backend.lib import identifiers
from backend.lib.db import transaction, unique_violation
from backend.lib.errors import NotFound, Unprocessable
from backend.lib.time import as_utc, riga_today, utcnow

RecipientType = Literal["personal_code", "eidas_id", "company"]
MIN_AGE = 14


@dataclass(frozen=True)
class AccountInfo:
    id: uuid.UUID
    address: str
    subject_key: str
    kind: str
    activated_at: datetime
    deactivated_at: datetime | None

    @property
    def active(self) -> bool:
        return self.deactivated_at is None


def _info(row: dict[str, Any]) -> AccountInfo:
    return AccountInfo(
        id=row["id"] if isinstance(row["id"], uuid.UUID) else uuid.UUID(str(row["id"])),
        address=row["address"],
        subject_key=row["subject_key"],
        kind=row["kind"],
        activated_at=as_utc(row["activated_at"]),
        deactivated_at=as_utc(row["deactivated_at"]) if row["deactivated_at"] else None,
    )


RECIPIENT_WORDS: dict[str, str] = {
    "personal_code": "a valid Latvian personal code",
    "eidas_id": "a valid eIDAS identifier",
    "company": "a valid company registration number",
}


def recipient_address(kind: RecipientType, value: str) -> str:
    """The address for an institution's recipient; Unprocessable(`invalid_recipient`) if the
    identifier is malformed (wrong format or check digit)."""
    value = value.strip()
    if kind == "personal_code":
        try:
            return "pc:" + identifiers.normalise_personal_code(value)
        except ValueError:
            pass
    elif kind == "eidas_id" and identifiers.is_eidas_identifier(value):
        return "eidas:" + value
    elif kind == "company" and identifiers.is_company_number(value):
        return "company:" + value
    raise Unprocessable(
        f"The recipient is not {RECIPIENT_WORDS.get(kind, 'a valid identifier')}.",
        code="invalid_recipient",
    )


async def account_by_address(address: str) -> AccountInfo | None:
    row = await Account.select().where(Account.address == address).first().run()
    return _info(row) if row else None


async def account_by_subject(subject_key: str) -> AccountInfo | None:
    row = await Account.select().where(Account.subject_key == subject_key).first().run()
    return _info(row) if row else None


def account_from_row(row: dict[str, Any]) -> AccountInfo | None:
    """The account in a joined row with `account_id` and the account's other columns."""
    if row.get("account_id") is None:
        return None
    return _info({**row, "id": row["account_id"]})


async def recipient_account(address: str) -> AccountInfo:
    """The active account behind `address`, or a 422 telling the institution what to do."""
    return check_recipient(address, await account_by_address(address))


def check_recipient(address: str, account: AccountInfo | None) -> AccountInfo:
    """`account` if it may receive, else the 422 that tells the institution what to do."""
    if address.startswith("company:") and account is None:
        raise Unprocessable("No company with this registration number.", code="unknown_recipient")
    if account is None or not account.active:
        raise Unprocessable(
            "The recipient has no active e-address; send the document on paper.",
            code="no_active_eaddress",
        )
    return account


async def ensure_company_account(registration_number: str) -> AccountInfo:
    """The company's e-address, created when the company first becomes known (idempotent)."""
    if not identifiers.is_company_number(registration_number):
        raise Unprocessable("Not a company registration number.", code="invalid_recipient")
    address = subject = f"company:{registration_number}"
    if existing := await account_by_address(address):
        return existing
    now = utcnow()
    async with transaction(Account._meta.db):
        await (
            Account.insert(
                Account(address=address, subject_key=subject, kind="company", activated_at=now)
            )
            .on_conflict(target=Account.address, action="DO NOTHING")
            .run()
        )
    found = await account_by_address(address)
    assert found is not None
    return found


def _person_address(person: PersonRecord) -> str:
    if person.personal_code:
        return "pc:" + person.personal_code
    if person.eidas_id:
        return "eidas:" + person.eidas_id
    raise Unprocessable("A person needs a personal code or an eIDAS identity.", code="no_identity")


def _old_enough(personal_code: str | None, today: date) -> bool:
    born = identifiers.birth_date_from_personal_code(personal_code) if personal_code else None
    if born is None:
        return True  # the birth-date-free code (and eIDAS) carries no age: the login vouched
    had_birthday = (today.month, today.day) >= (born.month, born.day)
    return today.year - born.year - (0 if had_birthday else 1) >= MIN_AGE


async def activate_person(person_id: uuid.UUID) -> AccountInfo:
    """Activate (or re-activate) the person's e-address; returns the account."""
    person = await get_person(person_id)
    if person is None:
        raise NotFound("No such person.", code="person_not_found")
    if not _old_enough(person.personal_code, riga_today()):
        raise Unprocessable("An e-address can be activated from age 14.", code="too_young")
    address, subject = _person_address(person), f"person:{person_id}"
    now = utcnow()
    async with transaction(Account._meta.db):
        current = await Account.select().where(Account.subject_key == subject).first().run()
        if current is None:
            async with unique_violation(
                "Another e-address holds this identifier.", code="address_taken"
            ):
                await Account.insert(
                    Account(address=address, subject_key=subject, kind="person", activated_at=now)
                ).run()
        elif current["deactivated_at"] is not None:
            await (
                Account.update({Account.activated_at: now, Account.deactivated_at: None})
                .where(Account.id == current["id"])
                .run()
            )
        else:
            return _info(current)  # already active: nothing changes, no event
        account = await Account.select().where(Account.subject_key == subject).first().run()
        assert account is not None
        await record_event(
            "eaddress.account_activated", subject, {"account_id": str(account["id"])}
        )
    return _info(account)


async def deactivate_person(person_id: uuid.UUID) -> AccountInfo:
    """Deactivate the person's e-address: institutions must send on paper from now on."""
    subject = f"person:{person_id}"
    async with transaction(Account._meta.db):
        current = await Account.select().where(Account.subject_key == subject).first().run()
        if current is None:
            raise NotFound("This person has no e-address.", code="no_eaddress")
        if current["deactivated_at"] is not None:
            return _info(current)
        now = utcnow()
        await Account.update({Account.deactivated_at: now}).where(Account.id == current["id"]).run()
        await record_event(
            "eaddress.account_deactivated", subject, {"account_id": str(current["id"])}
        )
        current["deactivated_at"] = now
    return _info(current)
