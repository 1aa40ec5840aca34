"""Personal data in documents at ingest: which pages of a file hold details about a case.

A trainer may upload a real case file by mistake. :func:`page_findings` runs the same guard as
the chat on every page or slide; authors and theorists a document cites score low and are not
reported. :func:`held_back_lines` words the report for the person running the ingest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.documents import Document

from assistant.guards.privacy.findings import Finding
from assistant.guards.privacy.guard import configured_rules, find_personal_data

#: Web addresses ("www.basw.co.uk/2021/06/..."): their paths are not case references.
_URL = re.compile(r"(?:https?://|www\.)\S+|\S*\w\.(?:uk|com|org|net|gov|int)/\S*", re.I)
#: Kinds that are contact details: personal only beside a person's name.
CONTACT = frozenset({"phone", "email", "address", "postcode"})
#: Contact details that may belong to an office rather than a person: a landline, an email.
OFFICE_CONTACT = frozenset({"phone", "email"})
#: A finding's text is shown at most this long in the report (the report is itself a record).
_SHOWN = 3


@dataclass(frozen=True)
class PageFindings:
    """Likely personal data on one page (or slide) of a file."""

    page: int | None
    label: str
    findings: tuple[Finding, ...]


def _where(doc: Document) -> tuple[int | None, str]:
    meta = doc.metadata
    if meta.get("slide") is not None:
        return int(meta["slide"]), f"slide {meta['slide']}"
    if meta.get("page") is not None:
        return int(meta["page"]), f"page {meta['page']}"
    return None, "text"


def page_findings(docs: Sequence[Document]) -> list[PageFindings]:
    """Pages of a loaded file with likely personal data about a case, in page order.

    A page counts when it holds an identifier of a person (NHS or NI number, date of birth, case
    reference), or a person's own contact details (a mobile, an address or postcode, an email
    naming them: :func:`_personal`) beside the name of someone in a case: teaching material names
    the fictional people of its vignettes and prints its publisher's and staff's contact details,
    a real case file identifies people. Only a date marked as a date of birth ("DOB", "born on")
    counts: histories put dates beside names ("a letter by ..., 20 September 1972"), so a date
    near a name is not read as a birth date here.
    """
    rules = configured_rules() - {"dates_near_names"}
    pages: list[PageFindings] = []
    for doc in docs:
        text = _URL.sub(lambda m: " " * len(m.group()), doc.page_content)
        findings = find_personal_data(text, rules=rules)
        kinds = {f.kind for f in findings}
        names = [f.text for f in findings if f.kind == "name"]
        personal = any(f.kind in CONTACT and _personal(f, names) for f in findings)
        if kinds - CONTACT - {"name"} or (names and personal):
            page, label = _where(doc)
            pages.append(PageFindings(page, label, tuple(findings)))
    return pages


def _personal(contact: Finding, names: Sequence[str]) -> bool:
    """Whether contact details beside ``names`` are a person's own rather than an office's.

    Guidance names whom to contact at work ("contact Priya Shah, Training Officer, on 020 7946
    0123 or training@council.gov.uk"); a case file gives a person's mobile, home address or own
    email. So a phone number counts only when it is a mobile (07...), and an email only when its
    address carries a word of one of the names (``j.smith@...`` beside "Jane Smith").
    """
    if contact.kind not in OFFICE_CONTACT:
        return True  # an address or postcode beside a name
    if contact.kind == "phone":
        digits = re.sub(r"\D", "", contact.text)
        return digits.startswith(("07", "447"))
    local = contact.text.split("@", 1)[0].lower()
    words = {w.lower() for name in names for w in re.findall(r"[A-Za-z]{3,}", name)}
    return any(w in local for w in words)


def _mask(text: str) -> str:
    """Enough of a finding to recognise it without copying it whole into logs."""
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def held_back_lines(source: str, pages: Sequence[PageFindings]) -> list[str]:
    """Plain lines telling the trainer why ``source`` was held back, page by page."""
    lines = [f"Held back {source}: it seems to contain personal details about people in a case."]
    for p in pages:
        kinds = sorted({f.kind.replace("_", " ") for f in p.findings})
        shown = ", ".join(_mask(f.text) for f in p.findings[:4])
        lines.append(f"  {p.label}: {', '.join(kinds)} ({shown})")
    lines.append(
        "  Remove or redact the details and ingest again, or, if the file is fine to share, "
        "run `rbp-assistant ingest --allow-personal-data`."
    )
    return lines
