"""Whose obligations a person may see: themselves, and companies they may act for with the
`obligations` scope (through `backend.auth.subjects`, where every such decision is made).

A subject id the person may not act for — someone else's, a forged one, nonsense — is refused
the same way, so an answer never tells whether it exists.
"""

from __future__ import annotations

from backend.auth.assurance import Level
from backend.auth.people import PersonRecord
from backend.auth.subjects import (
    RepresentationSource,
    Scope,
    SubjectAccess,
    authorize,
    subjects_for,
)
from backend.lib.errors import Forbidden
from backend.obligations.service import SubjectRef
from backend.settings import AuthSettings

FORBIDDEN = "You may not see obligations of that person or company."


async def subject_access(
    person: PersonRecord,
    subject_key: str,
    source: RepresentationSource,
    *,
    login: tuple[Level, AuthSettings] | None,
) -> tuple[SubjectAccess, SubjectRef]:
    """The subject `person` asks for, if they may see its obligations; Forbidden otherwise.

    `login` is the session's level and the settings: through `authorize`, a company then
    also needs a login of `AUTH_MIN_LEVEL_COMPANY` (StepUpNeeded when weaker). None only for
    what no session asks for (a calendar app reading a feed its owner made when they could).
    """
    found = (await subjects_for(person, source)).get(subject_key)
    if login is None:
        if found is None or not found.allows(Scope.OBLIGATIONS):
            raise Forbidden(FORBIDDEN)
        access = found
    else:
        level, auth = login
        access = authorize(
            found, level=level, auth=auth, scope=Scope.OBLIGATIONS, message=FORBIDDEN
        )
    number = access.company_number
    if number is not None:
        return access, SubjectRef.of_company(number)
    return access, SubjectRef.of_person(person)


async def obligation_subjects(
    person: PersonRecord, source: RepresentationSource
) -> tuple[list[SubjectRef], bool]:
    """The person and every company they may see obligations of; True when the Enterprise
    Register could not be asked (companies may be missing)."""
    access = await subjects_for(person, source)
    refs = [SubjectRef.of_person(person)]
    for subject in access.subjects:
        if subject.is_company and subject.allows(Scope.OBLIGATIONS):
            number = subject.company_number
            assert number is not None
            refs.append(SubjectRef.of_company(number))
    return refs, access.registry_unavailable
