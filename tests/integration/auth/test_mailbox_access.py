"""The identity layer decides who may read and answer which mailbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from backend.auth.people import find_by_personal_code
from backend.auth.tables import Delegation
from backend.eaddress.mailbox.access import Grant, MailboxAction, Reader
from backend.services import Services
from integrations.devstack.personas import BALTIC_TIMBER, OZOLS_TECH, persona
from tests.auth_driver import login_as
from tests.idp_driver import RunningIdP
from tests.sandbox_driver import Sandbox

OZOLS = f"company:{OZOLS_TECH.registration_number}"
TIMBER = f"company:{BALTIC_TIMBER.registration_number}"


async def person_id(http: httpx.AsyncClient, slug: str) -> object:
    await login_as(http, slug, "eparaksts")
    record = await find_by_personal_code(persona(slug).personal_code or "")
    assert record is not None
    return record.id


async def test_representatives_delegates_and_strangers(
    idp: RunningIdP, registry_sandbox: Sandbox, services: Services, base_url: str
) -> None:
    access = services.eaddress.access
    async with httpx.AsyncClient(base_url=base_url) as a, httpx.AsyncClient(base_url=base_url) as b:
        martins = await person_id(a, "martins")
        valdis = await person_id(b, "valdis")
    sole = Reader(martins, OZOLS)  # type: ignore[arg-type]
    joint = Reader(martins, TIMBER)  # type: ignore[arg-type]
    assert await access.grant(sole, MailboxAction.VIEW) == Grant(as_delegate=False)
    assert await access.grant(sole, MailboxAction.SEND) == Grant(as_delegate=False)
    assert await access.grant(joint, MailboxAction.VIEW) == Grant(as_delegate=False)
    assert await access.grant(joint, MailboxAction.SEND) is None  # joint: look, not act alone
    assert await access.grant(sole, MailboxAction.MANAGE) is None  # a company's is mandatory
    assert await access.grant(Reader.own(martins), MailboxAction.MANAGE) is not None  # type: ignore[arg-type]

    stranger = Reader(valdis, OZOLS)  # type: ignore[arg-type]
    assert await access.grant(stranger, MailboxAction.VIEW) is None
    assert await access.grant(Reader(valdis, f"person:{martins}"), MailboxAction.VIEW) is None  # type: ignore[arg-type]

    await Delegation.insert(
        Delegation(
            company_number=OZOLS_TECH.registration_number,
            company_name="Ozols Tech SIA",
            grantor=martins,
            grantee_personal_code=persona("valdis").personal_code,
            scopes="view_mail",
            valid_from=datetime.now(UTC) - timedelta(minutes=1),
            valid_until=datetime.now(UTC) + timedelta(days=1),
        )
    ).run()
    try:
        assert await access.grant(stranger, MailboxAction.VIEW) == Grant(as_delegate=True)
        assert await access.grant(stranger, MailboxAction.SEND) is None
    finally:
        await (
            Delegation.delete()
            .where(Delegation.grantee_personal_code == persona("valdis").personal_code)
            .run()
        )
