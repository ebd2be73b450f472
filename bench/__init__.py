"""Benchmarks run by `vienuviet bench NAME`; each prints ratios measured side by side."""
