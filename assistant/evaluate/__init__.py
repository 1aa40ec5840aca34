"""Evaluate: score retrieval and answers on question sets, and fit the fitted parts (abstention
model, answer weights) on them."""
