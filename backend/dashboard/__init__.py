"""The personal dashboard: registry facts gathered concurrently, cached, explained."""
