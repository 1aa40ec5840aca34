"""The personal-data guard and safeguarding signposting, in the words the chat shows users."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.guards import privacy, safeguarding


@dataclass(frozen=True)
class Finding:
    """A likely piece of personal data: its kind (``'NHS number'``) and the matched text."""

    kind: str
    text: str


#: How each kind of finding from :mod:`assistant.guards.privacy` is named to the user.
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
    """Likely personal data in ``text``, named for the user."""
    return [
        Finding(kind=KIND_NAMES.get(f.kind, "a personal detail"), text=f.text)
        for f in privacy.find_personal_data(text)
    ]


def redact(text: str) -> str:
    """``text`` with personal data replaced by labels such as "[name removed]"."""
    return privacy.redact(text, privacy.find_personal_data(text))


def risk_signposting(
    text: str, classifier: safeguarding.RiskClassifier | None = None
) -> str | None:
    """Signposting (trusted Markdown written by :mod:`assistant.guards.safeguarding`, never
    containing the user's words) when ``text`` discloses a current risk of harm, else None."""
    signal = safeguarding.detect_risk(text, classifier)
    return None if signal is None else safeguarding.signposting_message(signal)
