"""Query: read a question before retrieval: framing, page and slide references, spelling,
follow-ups."""
