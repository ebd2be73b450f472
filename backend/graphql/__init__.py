"""The GraphQL API: one schema for the PWA's pages and for API clients."""
