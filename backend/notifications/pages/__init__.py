"""The notification centre's pages: `/notifications` (the in-app list) and
`/settings/notifications` (channels per subject and category, contacts, devices)."""
