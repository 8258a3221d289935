"""copydesk benchmarks: `python -m bench [--quick]` prints the figures and writes them as JSON to bench/results/."""
