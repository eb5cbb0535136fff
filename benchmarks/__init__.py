"""Benchmarks: the scale harness (`python -m benchmarks`) and single-purpose scripts.

`python -m benchmarks generate` fills a database with a generated organisation;
`python -m benchmarks run` drives a real `polydesk serve` over it with `wrk`.
The scripts beside them (`sla_breach_scan.py`, `knowledge_search.py`,
`sla_due_dates.py`) still run on their own: `python benchmarks/<script>.py`.
"""
