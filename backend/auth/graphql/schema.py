"""Identity's part of the root schema: `me` and its fields, acting-as, delegations, logging out
everywhere.

The root schema (`backend/graphql/schema.py`) merges `QUERIES` and `MUTATIONS` of every
feature, in the order it lists the features."""

from __future__ import annotations

from backend.auth.graphql.mutations.grant_delegation import GrantDelegationMutation
from backend.auth.graphql.mutations.logout_everywhere import LogOutEverywhereMutation
from backend.auth.graphql.mutations.revoke_delegation import RevokeDelegationMutation
from backend.auth.graphql.mutations.switch_acting_as import SwitchActingAsMutation
from backend.auth.graphql.query import AuthQuery

QUERIES: tuple[type, ...] = (AuthQuery,)
MUTATIONS: tuple[type, ...] = (
    SwitchActingAsMutation,
    GrantDelegationMutation,
    RevokeDelegationMutation,
    LogOutEverywhereMutation,
)
