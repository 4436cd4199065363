"""Readers of the public data sources, each returning a tidy typed table."""
