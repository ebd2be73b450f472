"""The notification centre opened to institutions: templates, notices, status (issue 18)."""
