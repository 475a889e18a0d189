"""Benchmarks of the data layer on large generated databases."""
