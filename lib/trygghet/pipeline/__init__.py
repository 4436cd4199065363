"""Stage 5, the pipeline: ingest, fetch, run the notebooks, provenance, index pages, CLI.

The pipeline may import every stage below it; nothing imports the pipeline.
"""
