"""The institution API: `/api/eaddress/v1`, `POST /oauth/token` and the proof key set. Institutions
are OAuth2 clients (credentials, tokens); a message arrives (intake, request body), is checked
and written at once (sending, with its Idempotency-Key), and the institution follows it
(institution view). Documented at `/schema` (api_docs, api_models)."""
