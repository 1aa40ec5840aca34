"""Index: embed chunks and keep them searchable (Chroma, BM25, token vectors)."""
