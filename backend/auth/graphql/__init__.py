"""Identity in GraphQL: `me` (the viewer, subjects, delegations), acting-as and delegations."""
