"""Vienuviet: a personal workspace for people dealing with the Latvian state."""
