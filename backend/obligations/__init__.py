"""Obligations, deadlines and opportunities: rules over registry facts, reminders, calendars."""
