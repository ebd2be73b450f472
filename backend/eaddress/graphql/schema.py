"""The e-address's part of the root schema: the holder's `mailbox` and its mutations.

The root schema (`backend/graphql/schema.py`) merges `QUERIES` and `MUTATIONS` of every
feature, in the order it lists the features."""

from __future__ import annotations

from backend.eaddress.graphql.mutations.activate_eaddress import ActivateEaddressMutation
from backend.eaddress.graphql.mutations.archive_message import ArchiveMessageMutation
from backend.eaddress.graphql.mutations.deactivate_eaddress import DeactivateEaddressMutation
from backend.eaddress.graphql.mutations.open_message import OpenMessageMutation
from backend.eaddress.graphql.mutations.reply_to_message import ReplyToMessageMutation
from backend.eaddress.graphql.query import EAddressQuery

QUERIES: tuple[type, ...] = (EAddressQuery,)
MUTATIONS: tuple[type, ...] = (
    OpenMessageMutation,
    ReplyToMessageMutation,
    ArchiveMessageMutation,
    ActivateEaddressMutation,
    DeactivateEaddressMutation,
)
