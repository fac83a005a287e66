"""Runnable benchmark scripts (``python -m benchmarks.<name>``)."""
