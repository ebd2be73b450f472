"""One module per mutation of the notification centre."""
