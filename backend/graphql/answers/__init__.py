"""Kept GraphQL answers for the warm dashboard: see cache.py (why and when it is correct) and
eligible.py (which documents qualify)."""
