"""Adapters to the personal-data guard and the safeguarding signposting.

The chat calls these; when those modules are not installed the adapters find nothing, so the chat
still works. Kept separate so the chat code does not depend on their exact return types.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """A likely piece of personal data: its kind (``'NHS number'``) and the matched text."""

    kind: str
    text: str


#: How each kind of finding from :mod:`assistant.privacy` is named to the user.
KIND_NAMES = {
    "name": "a name",
    "dob": "a date of birth",
    "address": "an address",
    "postcode": "a postcode",
    "nhs_number": "an NHS number",
    "ni_number": "a National Insurance number",
    "phone": "a phone number",
    "email": "an email address",
    "case_ref": "a case or reference number",
}


def find_personal_data(text: str) -> list[Finding]:
    """Likely personal data in ``text`` (empty when the privacy module is absent)."""
    try:
        from assistant import privacy
    except ImportError:
        return []
    return [
        Finding(kind=KIND_NAMES.get(f.kind, "a personal detail"), text=f.text)
        for f in privacy.find_personal_data(text)
    ]


def redact(text: str) -> str:
    """``text`` with personal data replaced by labels such as "[name removed]"."""
    try:
        from assistant import privacy
    except ImportError:
        return text
    return privacy.redact(text, privacy.find_personal_data(text))


def risk_signposting(text: str) -> str | None:
    """Signposting (trusted Markdown written by :mod:`assistant.safeguarding`, never containing
    the user's words) when ``text`` discloses a current risk of harm, else None."""
    try:
        from assistant import safeguarding
    except ImportError:
        return None
    signal = safeguarding.detect_risk(text)
    return None if signal is None else safeguarding.signposting_message(signal)
