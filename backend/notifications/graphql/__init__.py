"""The notification centre in GraphQL: settings, the in-app list, and their mutations."""
