"""Feedback pages: the answer to the widget every page carries, and `/statistics`."""
