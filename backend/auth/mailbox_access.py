"""Who may read, answer and manage which e-address mailbox, decided by the identity layer.

Reading needs `view_mail` for the mailbox's subject, answering needs `send_mail`; managing
(activating or deactivating) is the holder's own business. A delegate's access is marked as
such, so receipts say "opened by a delegate".
"""

from __future__ import annotations

from backend.auth.people import get_person
from backend.auth.subjects import Basis, RepresentationSource, Scope, subjects_for
from backend.eaddress.mailbox.access import Grant, MailboxAction, Reader

SCOPE_FOR = {
    MailboxAction.VIEW: Scope.VIEW_MAIL,
    MailboxAction.SEND: Scope.SEND_MAIL,
}


class IdentityMailboxAccess:
    def __init__(self, representations: RepresentationSource) -> None:
        self.representations = representations

    async def grant(self, reader: Reader, action: MailboxAction) -> Grant | None:
        if action is MailboxAction.MANAGE:
            return Grant(as_delegate=False) if reader.acts_for_self else None
        person = await get_person(reader.person_id)
        if person is None:
            return None
        access = (await subjects_for(person, self.representations)).get(reader.subject_key)
        if access is None or not access.allows(SCOPE_FOR[action]):
            return None
        return Grant(as_delegate=access.basis is Basis.DELEGATED)
