"""The obligations page: `/obligations` (deadlines and opportunities, marks, calendar feeds)."""
