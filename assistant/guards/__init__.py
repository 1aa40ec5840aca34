"""Guards: decide when not to answer (abstention, triage, safeguarding) and keep personal data out
(``privacy``)."""
