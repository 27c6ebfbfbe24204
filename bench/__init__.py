"""Benchmarks: `python -m bench --size S` (see bench/suite.py and docs/benchmarks.md)."""
