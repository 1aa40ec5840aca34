"""Answerer back-ends (see :mod:`assistant.answer` for the registry that picks one)."""
