"""Benchmarks run by `vienuviet bench NAME`; each prints ratios measured side by side."""


def report_line(label: str, value: str) -> str:
    return f"  {label:<22} {value}"
