"""`vienuviet seed`: demo data for the personas (`demo.py` runs each feature's part)."""
