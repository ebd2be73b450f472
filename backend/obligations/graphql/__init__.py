"""Obligations, opportunities, reminders marks and calendar feeds over GraphQL."""
