"""Retrieve: find the passages for a question and rank them (dense, BM25, fused)."""
