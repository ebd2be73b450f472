"""The dashboard in GraphQL: `me { dashboard }` (a person's or a company's registry data, its
sources' freshness, changes, consent, the data-access log) and its mutations."""
