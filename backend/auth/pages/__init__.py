"""The identity pages: `/account` (who I am, whom I act for, delegations)."""
