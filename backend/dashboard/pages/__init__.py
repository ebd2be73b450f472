"""The dashboard's pages: the home (`/`), `/privacy` (consent, who read my data) and `/company`
(the company workspace)."""
