"""Feedback: "Was this page useful?" on every page, routed to the institution responsible for
the page (services and life situations of the catalogue), an institution API
(`/api/feedback/v1`, scope `feedback:read`) and the public statistics page `/statistics`.

No personal data is asked for; free text is masked (`masking.py`) before it is stored, and the
page path is kept without its query string.
"""
