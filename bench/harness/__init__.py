"""The benchmark harness behind ``bench/run``: starts the sandboxes, runs each comparison's
programs interleaved for several rounds, and reports medians and ratios (see BENCHMARKS.md)."""
