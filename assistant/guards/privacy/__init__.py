"""Personal-data guard: spot likely details about service users in a question, and remove them.

Pure text, no model. Identifiers with a fixed shape are checked with maintained libraries where
one exists offline (``python-stdnum`` for the NHS number checksum, ``phonenumbers`` for UK phone
numbers); the rest are compiled regular expressions. Names are the hard part: a capitalised word
is only reported as a name when the text around it says it is someone in a case ("my client
Sarah Jones", "Mrs Patel told me", "a boy called Tom", "Jayden (7)") or when it is a common first
name. Theorists and authors (Kadushin, Tronto, Ruch...) are never reported by the weaker rules:
they are in an allow-list built from a built-in list plus the names found in the bundled corpus.

    >>> [f.kind for f in find_personal_data("My client Sarah Jones, DOB 12/03/2015, LS6 3AB")]
    ['name', 'dob', 'postcode']
"""

from __future__ import annotations

from assistant.guards.privacy.findings import KINDS, LABELS, Finding, findings_json, redact
from assistant.guards.privacy.guard import find_personal_data
from assistant.guards.privacy.names import (
    PUBLIC_CASES,
    THEORISTS,
    corpus_names,
    default_allow_names,
)
from assistant.guards.privacy.scoring import KindScore, score_labelled

__all__ = [
    "KINDS",
    "LABELS",
    "PUBLIC_CASES",
    "THEORISTS",
    "Finding",
    "KindScore",
    "corpus_names",
    "default_allow_names",
    "find_personal_data",
    "findings_json",
    "redact",
    "score_labelled",
]
