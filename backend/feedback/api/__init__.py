"""`/api/feedback/v1`: feedback on an institution's own pages, for that institution (client
credentials, scope `feedback:read`, the client linked to its catalogue institution)."""
