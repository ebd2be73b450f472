"""Identity and access: OpenID Connect login, sessions, subjects, delegations, audit."""
