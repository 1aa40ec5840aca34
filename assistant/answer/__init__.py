"""Answer: compose a cited answer from the retrieved passages (:mod:`assistant.answer.base` holds
the registry that picks a back-end)."""
