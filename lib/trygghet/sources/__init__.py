"""Stage 1, sources: one module per source, from a raw file to a tidy table with a contract.

Each reader validates against its pandera schema and names file, row and column
in Swedish when the input is wrong. ``processed`` reads back what ingest wrote.
Sources import only the house (config, paths, kommuner, errors, atomic, privacy).
"""
