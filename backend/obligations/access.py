"""Whose obligations a person may see: themselves, and companies they may act for with the
`obligations` scope (through `backend.auth.subjects`, where every such decision is made).

A subject id the person may not act for — someone else's, a forged one, nonsense — is refused
the same way, so an answer never tells whether it exists.
"""

from __future__ import annotations

from backend.auth.assurance import Level
from backend.auth.people import PersonRecord
from backend.auth.subjects import RepresentationSource, Scope, SubjectAccess, subjects_for
from backend.lib.errors import Forbidden
from backend.obligations.service import SubjectRef

STEP_UP = "step_up_required"


async def subject_access(
    person: PersonRecord,
    subject_key: str,
    source: RepresentationSource,
    *,
    level: Level | None = None,
    company_level: Level | None = None,
) -> tuple[SubjectAccess, SubjectRef]:
    """The subject `person` asks for, if they may see its obligations; Forbidden otherwise.

    With `level` and `company_level`, a company also needs a login at least that strong (as
    acting for a company does); Forbidden with code `step_up_required` when it is weaker.
    """
    access = (await subjects_for(person, source)).get(subject_key)
    if access is None or not access.allows(Scope.OBLIGATIONS):
        raise Forbidden("You may not see obligations of that person or company.")
    if access.is_company:
        if level is not None and company_level is not None and level < company_level:
            raise Forbidden("Log in with eParaksts or an eID card to continue.", code=STEP_UP)
        number = access.company_number
        assert number is not None
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
