"""Small shared helpers: errors, time, database and store wiring."""
