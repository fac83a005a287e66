"""Benchmarks: ``python -m benchmarks`` runs the side-by-side suite against LangGraph
(see ``README.md``); ``python -m benchmarks.bench_core`` is the quick core check."""
