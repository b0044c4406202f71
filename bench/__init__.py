"""Benchmarks (`make bench` = `python -m bench.run`): iac's planner against Terraform's, same resources."""
