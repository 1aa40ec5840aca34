"""Personal identifiers with a fixed shape: dates of birth, addresses, postcodes, NHS and National
Insurance numbers, phone numbers, emails and case references."""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.guards.privacy.findings import Finding
from assistant.guards.privacy.names import _NAME
from assistant.guards.privacy.words import alternation

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}}"
    rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
_DOB = re.compile(
    rf"(?i:\b(?:d\.?o\.?b\.?|date of birth|born(?:\s+on)?|birthday|b\.)\s*(?:is|was)?\s*[:\-]?\s*)"
    rf"(?P<date>{_DATE}|(?:in\s+)?{_MONTHS}\s+\d{{4}})"
)
_FULL_DATE = re.compile(rf"\b{_DATE}\b")
_POSTCODE = re.compile(
    r"\b(?:[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"\s?[0-9][ABD-HJLNP-UW-Z]{2}|GIR\s?0AA)\b",
    re.IGNORECASE,
)
_STREET_SUFFIX = alternation("privacy-street-suffixes")
_ADDRESS = re.compile(
    rf"\b(?:(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+"
    rf"(?:{_NAME}\s+){{1,3}}(?:{_STREET_SUFFIX})\b\.?"
    rf"|\b(?:Flat|Apartment|Apt)\s+\d+[A-Za-z]?\b(?:,?\s+{_NAME}(?:\s+{_NAME}){{0,3}})?"
    rf"|\b(?:lives|living|moved|staying|address is)\s+(?:on|at|in|to)?\s*"
    rf"(?P<street>{_NAME}(?:\s+{_NAME}){{0,2}}\s+(?:{_STREET_SUFFIX})\b)"
)
_EMAIL = re.compile(r"\b[\w.+\-']+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+\b")
_NINO = re.compile(
    r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
    re.IGNORECASE,
)
_NINO_LABELLED = re.compile(
    r"(?i:\b(?:NI|NINO|N\.I\.|national insurance)\s*(?:no\.?|number|num)?\s*(?:is\s+)?[:#\-]?\s*)"
    r"(?P<id>[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}(?:\s?[A-D])?)\b",
    re.IGNORECASE,
)
_NHS = re.compile(r"(?<![\d\-/])\d{3}[ \-]?\d{3}[ \-]?\d{4}(?![\d\-/])")
_REF_TOKEN = r"(?=[A-Z0-9/\-]*\d{3})[A-Z0-9][A-Z0-9/\-]{3,}[A-Z0-9]"
_CASE_REF = re.compile(
    rf"(?i:\b(?:(?:case|file|client|person|child|referral|record|mosaic|lcs|liquidlogic|eclipse|"
    rf"care first|carefirst|crime|incident|police|log)\s+(?:ref(?:erence)?|no\.?|number|id|#)"
    rf"|ref(?:erence)?\s*(?:no\.?|number|#)?|mosaic|lcs|id)\s*[:#]?\s*)(?P<id>{_REF_TOKEN})"
    rf"|\b(?P<shape>[A-Z]{{2,5}}[-/]\d{{2,4}}[-/]\d{{2,6}}|\d{{4,}}/[A-Z]{{1,4}}|"
    rf"[A-Z]{{1,4}}/\d{{2,4}}/\d{{2,6}})\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:1[89]|20)\d\d(?:[-/](?:\d\d|\d{4}))?")


def _phone_findings(text: str) -> Iterator[Finding]:
    """UK phone numbers of people: landlines (01, 02) and mobiles (07), found by ``phonenumbers``.

    Helplines and organisations' numbers (03, 08, 09, 116...) are left alone: they are not
    personal data and the course materials quote them.
    """
    import phonenumbers
    from phonenumbers import Leniency

    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=Leniency.POSSIBLE):
        number = match.number
        national = str(number.national_number)
        if number.country_code != 44 or len(national) not in (9, 10) or national[0] not in "127":
            continue
        if not match.raw_string.lstrip("(").startswith(("0", "+")):
            continue
        yield Finding("phone", match.start, match.end, match.raw_string)


def _nhs_valid(digits: str) -> bool:
    from stdnum.gb import nhs

    return bool(nhs.is_valid(digits))


def _identifier_findings(text: str) -> Iterator[Finding]:
    for m in _DOB.finditer(text):
        yield Finding("dob", m.start("date"), m.end("date"), m.group("date"))
    for m in _POSTCODE.finditer(text):
        yield Finding("postcode", m.start(), m.end(), m.group())
    for m in _ADDRESS.finditer(text):
        group = "street" if m.group("street") else 0
        yield Finding("address", m.start(group), m.end(group), m.group(group))
    for m in _EMAIL.finditer(text):
        yield Finding("email", m.start(), m.end(), m.group())
    for m in _NINO_LABELLED.finditer(text):
        yield Finding("ni_number", m.start("id"), m.end("id"), m.group("id"))
    for m in _NINO.finditer(text):
        yield Finding("ni_number", m.start(), m.end(), m.group())
    for m in _NHS.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if digits[0] != "0" and _nhs_valid(digits):
            yield Finding("nhs_number", m.start(), m.end(), m.group())
    yield from _phone_findings(text)
    for m in _CASE_REF.finditer(text):
        group = "id" if m.group("id") else "shape"
        value = m.group(group)
        if _YEAR.fullmatch(value) or (group == "id" and not re.search(r"\d", value)):
            continue
        yield Finding("case_ref", m.start(group), m.end(group), value)
