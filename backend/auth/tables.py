"""People who have logged in, the delegations they give and receive, and the audit trail."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    UUID,
    Date,
    ForeignKey,
    OnDelete,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Person(Table, tablename="auth_person"):
    """Someone known to us, whatever provider they log in through (their `PersonIdentity`
    rows). One row per human: keyed by the personal code, else the eIDAS identifier."""

    id = UUID(primary_key=True)
    person_key = Varchar(length=600, unique=True)
    """`pc:<personal code>`, else `eidas:<identifier>`, else (a provider that asserts neither)
    `sub:<issuer> <sub>` of the first identity: see `backend.auth.people.person_key`."""
    personal_code = Varchar(length=12, null=True, default=None, unique=True)
    eidas_id = Varchar(length=300, null=True, default=None, unique=True)
    given_name = Varchar(length=200)
    family_name = Varchar(length=200)
    birth_date = Date(null=True, default=None)
    """From the `birthdate` claim: personal codes issued since 2017 carry no birth date."""
    locale = Varchar(length=5, default="lv")
    created_at = Timestamptz(default=TimestamptzNow())
    last_login_at = Timestamptz(null=True, default=None)


class PersonIdentity(Table, tablename="auth_identity"):
    """One way a person logs in: a provider (`issuer`) and the provider's `sub` for them.

    `sub` is only unique per provider, so (issuer, subject) is unique (index in the second
    migration); a person has as many identities as providers they have used.
    """

    id = UUID(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, null=False)
    """Cascade: an identity means nothing without its person."""
    issuer = Varchar(length=300)
    subject = Varchar(length=300)
    created_at = Timestamptz(default=TimestamptzNow())
    last_login_at = Timestamptz(null=True, default=None)


class Delegation(Table, tablename="auth_delegation"):
    """A company representative lets another person act for the company, scoped and timed."""

    id = UUID(primary_key=True)
    company_number = Varchar(length=11, index=True)
    company_name = Varchar(length=300)
    """The company's name when granted, so lists read well even while the registry is down."""
    grantor = ForeignKey(references=Person, on_delete=OnDelete.restrict)
    grantee_personal_code = Varchar(length=12, index=True)
    scopes = Varchar(length=200)
    """Comma-separated `DelegationScope` values, sorted."""
    valid_from = Timestamptz(default=TimestamptzNow())
    valid_until = Timestamptz()
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)
    revoked_by = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=True, default=None)


class AuditEvent(Table, tablename="auth_audit_event"):
    """Who did what for whom: grants, uses and revocations of delegations, logins, logouts.

    `detail` holds identifiers and scopes only, never message content or registry data.
    """

    id = UUID(primary_key=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
    actor = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=True, default=None)
    subject_key = Varchar(length=60, index=True)
    """`person:<uuid>` or `company:<registration number>`: on whose behalf."""
    action = Varchar(length=64)
    object_id = Varchar(length=64, null=True, default=None)
    detail = JSON(default="{}")
