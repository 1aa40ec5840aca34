"""Ingest: read files (``loaders``), split them into chunks and record what was indexed."""
