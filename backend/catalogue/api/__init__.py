"""`/api/catalogue/v1`: the published catalogue for other sites (open to anyone) and the
institutions' publishing API (client credentials, scope `catalogue:write`)."""
