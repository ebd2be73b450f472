"""The holder's mailbox in GraphQL: `mailbox(subjectId)` and its mutations, a thin shell over
`backend/eaddress/service.py`."""
