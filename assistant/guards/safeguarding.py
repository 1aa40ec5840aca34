"""Safeguarding signposting: notice a message about a current risk of harm, and reply calmly.

A study question about abuse ("how should I respond to a disclosure?", "what is the threshold for a
section 47 enquiry?") is answered from the course materials as usual. A message that describes a
real person at risk now ("I think the baby is being hurt", "she told me her partner hits her") is
not a study question: the assistant points the user to their supervisor or manager, their local
safeguarding procedures and, when someone is in immediate danger, to 999.

Two layers, either of which raises the signal:

1. A rule with compiled regular expressions: a message is a disclosure when it names a harm, a
   person it happens to, and a sign that it is real and current (the user saw, heard, suspects or
   was told it, it is someone they work with, a definite person is being harmed, or it is happening
   today or tonight), and that sign is not inside a hypothetical ("if a child tells me...");
   or it is the person at risk writing about themselves ("I cut again tonight", "he hit me").
   No rule fires on a message about a vignette, a case study or a role-play.
2. :class:`RiskClassifier`: logistic regression over the sentence embeddings the assistant already
   computes, fitted at first use on the shipped examples (``assistant/data``). It catches the many
   phrasings no rule lists ("the 4 yr old had a burn and mum's story keeps changing"), unless the
   message is plainly a study question or framed as one (a vignette, an exam, a past case).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.guards.triage import EnglishShares, triage
from assistant.settings import default as default_setting

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

#: Labelled messages (``text``, ``risk``) the classifier learns from.
EXAMPLES = Path(__file__).parents[1] / "data" / "safeguarding_examples.jsonl"

_I = re.IGNORECASE

_HARM = re.compile(
    r"\b(?:hit(?:s|ting)?|hurt(?:s|ing)?|beat(?:s|ing|en)?|punch(?:ed|es|ing)?|kick(?:ed|s|ing)?|"
    r"slap(?:s|ped|ping)?|smack(?:s|ed|ing)?|shook|shak(?:es|en|ing)|push(?:ed|es|ing)?|"
    r"grab(?:s|bed|bing)|threw|thrown|dragg?(?:ed|ing)|pinned|bit(?:ten)?|scald\w*|"
    r"strangl\w*|chok(?:ed|es|ing)|throat|burn(?:s|t|ed)?|bruis\w*|welts?|black eye|"
    r"broken\s+(?:arm|leg|ribs?|bones?|wrist)|fractur\w*|injur\w*|marks on|sores|"
    r"abus(?:e|ed|es|ing|ive)|rap(?:e|ed|ing)|touch(?:es|ed|ing)\s+(?:her|him|them)|"
    r"comes?\s+into\s+(?:her|his|their)\s+(?:room|bed)|molest\w*|groom(?:ed|ing)|exploit\w*|"
    r"neglect(?:ed|ing)?|starv\w*|(?:hasn't|has not|haven't|have not)\s+been\s+fed|no food|"
    r"stopped eating|not eating|left\s+(?:alone|on\s+(?:their|his|her)\s+own|home alone)|"
    r"leaving (?:the|her|his|their) (?:\w+ ){0,2}(?:with|alone)|out all night|"
    r"crying for hours|no one (?:is )?answering|made to (?:sleep|stay|stand)|forced to|"
    r"lock(?:s|ed|ing)?\s+(?:\w+\s+)?(?:in|up|out)\b|ties? (?:her|him|them)|tied (?:her|him|them)|"
    r"handprint|fingertip|stab\w*|carry drugs|county lines|for sex|nothing to eat|"
    r"jump(?:ing)? (?:off|in front)|hang (?:him|her|them)sel(?:f|ves)|"
    r"won't let (?:her|him|them) (?:leave|out|go)|threat(?:en\w*)?|"
    r"kill\w*|suicid\w*|end (?:his|her|their|my) (?:own )?life|wants? to die|can't go on|"
    r"(?:doesn't|does not|don't) want to (?:live|be here)|rope|pills|"
    r"self[- ]harm\w*|cut(?:ting|s)? (?:him|her|them)sel(?:f|ves)|overdose|knife|weapon|gun|"
    r"(?:scared|afraid|frightened|terrified) (?:of (?:him|her|them|his|her|their|the)\b|"
    r"to go home)|unsafe|not safe|in danger|"
    r"(?:takes?|took|has) (?:his|her|their) (?:money|pension|benefits|passport|bank card)|"
    r"money (?:is )?going missing|(?:going|gone|been|goes) missing|sleeping at .{0,30}man's|"
    r"gives? (?:her|him) (?:alcohol|drugs))",
    _I,
)
_SELF = re.compile(
    r"\b(?:kill (?:him|her|them)sel(?:f|ves)|suicid\w*|end (?:his|her|their) (?:own )?life|"
    r"wants? to die|can't go on|self[- ]harm\w*|cut(?:ting|s)? (?:him|her|them)sel(?:f|ves)|"
    r"overdose|pills|rope|jump(?:ing)? (?:off|in front)|hang (?:him|her|them)sel(?:f|ves)|"
    r"hurt (?:him|her|them)sel(?:f|ves))",
    _I,
)
_CHILD = re.compile(
    r"\b(?:baby|babies|newborn|child|children|kids?|toddler|infant|son|daughter|girl|boy|"
    r"teenager|teen|young person|pupil|\d{1,2}[- ]?(?:year|yr)s?[- ]?old|twins|siblings|"
    r"little one|step-?(?:son|daughter)|care leaver)\b",
    _I,
)
_ACTOR = re.compile(
    r"\b(?:he|she|they|him|her|them|his|their|baby|child|children|kids?|toddler|son|daughter|"
    r"girl|boy|teenager|mum|mother|dad|father|step-?dad|partner|husband|wife|boyfriend|ex|"
    r"grandad|gran|nan|resident|client|service user|man|woman|lady|gentleman|someone|"
    r"neighbour'?s?|young person|family|carer|little one|twins|patient)\b",
    _I,
)
_TOLD = re.compile(
    r"\b(?:told|disclosed(?:\s+to)?|confided in|admitted(?:\s+to)?|texted|messaged|rang|said to|"
    r"showed)\s+(?:me|us)\b"
    r"|\b(?:been told|(?:a |had a )?(?:message|text|call|email) from|received a|rang to say|"
    r"called to say|saying (?:she|he|they)|reported that)\b"
    r"|\b(?:he|she|they|mum|dad|the\s+(?:[\w']+[\s-]+){0,3}?[\w']+|my\s+\w+(?:\s+user)?)\s+"
    r"(?:has\s+)?(?:just\s+)?"
    r"(?:said|says|told|disclosed|admitted|is saying|keeps saying)\b"
    r"|\bkeeps (?:messaging|texting|ringing|calling) (?:me|us)\b",
    _I,
)
_PERCEIVED = re.compile(
    r"\bI(?:'ve|'m| have| am)?\s+(?:just\s+|really\s+)?(?:saw|seen|noticed|found|heard|"
    r"can hear|could hear|witnessed|think|suspect|believe|fear|worried|concerned|"
    r"scared for|frightened for)\b",
    _I,
)
_MY_CASE = re.compile(
    r"\b(?:someone|somebody|a|an|the|one)\s+(?:[\w-]+\s+){0,2}?(?:I|we)(?:'m| am| are)?\s+"
    r"(?:support|supporting|work with|working with|visit|visiting|see|seeing|look after|"
    r"care for|am allocated to|'m allocated to)\b"
    r"|\b(?:on|in) (?:my|our) (?:caseload|case load|team's caseload)\b"
    r"|\bmy (?:client|service user|supervisee|student)(?:'s)?\b",
    _I,
)
_DEFINITE = (
    r"(?:\b(?:the|my|her|his|their|our|this)\s+(?:[\w-]+\s+){0,2}?(?:baby|child|kids?|children|"
    r"toddler|infant|son|daughter|girl|boy|teenager|young person|partner|husband|wife|boyfriend|"
    r"ex|dad|father|mum|mother|step-?dad|uncle|carer|foster carer|client|service user|resident|"
    r"grandad|gran|nan|neighbour|little one|twins|nephew|niece)|(?-i:\b(?:Dad|Mum|Mummy|Daddy))|"
    r"\b(?:he|she))\b"
)
_SPECIFIC_PERSON = re.compile(_DEFINITE, _I)
_SPECIFIC = re.compile(rf"{_DEFINITE}[^.?!]{{0,60}}?{_HARM.pattern}", _I)
_NOW = re.compile(
    r"\b(?:tonight|right now|at the moment|currently|today|this (?:morning|afternoon|evening|week"
    r"end)|last night|yesterday|just now|outside the (?:house|door|flat)|"
    r"(?:on|during|at|after) (?:my|the|a|our) (?:home )?(?:visit|contact)|at contact|"
    r"when I (?:visited|arrived|got there|called)|this afternoon|"
    r"just (?:come|got) (?:out|back)|turned up)\b",
    _I,
)
_IMMEDIATE = re.compile(
    r"\b(?:tonight|right now|now|at the moment|outside|knife|weapon|gun|going to (?:kill|hurt)|"
    r"about to|plan to|plans to|has a plan|taken an overdose|overdose|pills|rope|can't go on|"
    r"can't breathe|unconscious|screaming|refusing to go to hospital|crying for hours|"
    r"kill (?:him|her|them)sel(?:f|ves)|wants to die|threatening to kill|"
    r"no one (?:is )?answering)\b",
    _I,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|suppose|supposing|imagine|hypothetical(?:ly)?|scenario|vignette|case study|"
    r"role[- ]?play|for example|in the (?:deck|primer|handout|slides?|course|reading|video))\b",
    _I,
)
_STUDY_OPENER = re.compile(
    r"^\W*(?:what|how|why|which|who|whom|whose|when|where|explain|describe|define|summari[sz]e|"
    r"list|compare|give|outline|is|are|does|do|can|could|should|would|tell me about)\b",
    _I,
)
#: The classifier judges messages of at least this many words ("hello?" describes nobody), by
#: default (``Settings.safeguarding_min_words``).
MIN_WORDS: int = default_setting("safeguarding_min_words")
_WORDS = re.compile(r"[^\W\d_]{2,}")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|me|my|we|our|us)\b", _I)


@dataclass(frozen=True)
class RiskSignal:
    """A message that seems to describe a current risk of harm.

    ``about`` is "child", "adult" or "self-harm" (a risk to the person's own life); ``immediate``
    is True when someone may be in danger now; ``cues`` are the phrases that triggered it.
    """

    about: str
    immediate: bool
    cues: tuple[str, ...]


def _first_signal(text: str) -> re.Match[str] | None:
    """The earliest sign that the harm is real and current, if any."""
    found = [m for p in (_TOLD, _PERCEIVED, _MY_CASE, _SPECIFIC, _NOW) if (m := p.search(text))]
    return min(found, key=lambda m: m.start()) if found else None


def _is_study_question(text: str) -> bool:
    """A question about the subject ("What are the signs of neglect?"), not about a person."""
    return bool(_STUDY_OPENER.search(text)) and not _FIRST_PERSON.search(text)


#: Teaching material: a message about it is no disclosure, wherever the word stands ("In the
#: angry father vignette, what was behind the reported neglect?"); the rule checks this too.
_FICTION_WORDS = (
    r"vignette|case study|role[- ]?play|fictional|fictitious|in the (?:deck|primer|handout|slides?)"
)
_FICTION = re.compile(rf"\b(?:{_FICTION_WORDS})\b", _I)
#: Explicit study framings that overrule the classifier (the rule checks its own).
_FRAMED_AS_STUDY = re.compile(
    rf"\b(?:{_FICTION_WORDS}|hypothetical(?:ly)?|scenario|exam|essay|assignment|dissertation|"
    r"years ago|in the reading)\b",
    _I,
)


class RiskClassifier:
    """Logistic regression over sentence embeddings of the shipped labelled examples.

    Fitted once, on first use (about a second for the bundled examples). ``threshold`` is the
    probability above which a message counts as a disclosure; messages of fewer than
    ``min_words`` words are not judged. ``english`` are the thresholds of the triage that
    :func:`detect_risk` runs first (the pipeline's, so both sort a message alike).
    """

    def __init__(
        self,
        embeddings: Embeddings,
        examples: Path = EXAMPLES,
        threshold: float = 0.5,
        min_words: int = MIN_WORDS,
        english: EnglishShares | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.examples = examples
        self.threshold = threshold
        self.min_words = min_words
        self.english = english
        self._model: object | None = None
        self._lock = threading.Lock()

    def _fit(self) -> object:
        from sklearn.linear_model import LogisticRegression

        rows = [json.loads(line) for line in self.examples.read_text("utf-8").splitlines() if line]
        vectors = self.embeddings.embed_documents([r["text"] for r in rows])
        labels = [bool(r["risk"]) for r in rows]
        return LogisticRegression(max_iter=2000, class_weight="balanced").fit(vectors, labels)

    def probability(self, text: str, vector: list[float] | None = None) -> float:
        """Probability that ``text`` is a disclosure (pass its embedding if you have it)."""
        with self._lock:
            if self._model is None:
                self._model = self._fit()
        vec = vector if vector is not None else self.embeddings.embed_query(text)
        return float(self._model.predict_proba([vec])[0][1])  # type: ignore[attr-defined]

    def is_disclosure(self, text: str, vector: list[float] | None = None) -> bool:
        if _is_study_question(text) or _FRAMED_AS_STUDY.search(text):
            return False
        if len(_WORDS.findall(text)) < self.min_words:  # too short to describe anyone's situation
            return False
        return self.probability(text, vector) >= self.threshold


def detect_risk(
    text: str, classifier: RiskClassifier | None = None, vector: list[float] | None = None
) -> RiskSignal | None:
    """Return a RiskSignal if ``text`` describes a current risk of harm to someone, else None.

    Without ``classifier`` only the rule runs (no model needed); with it, a message the rule
    misses is still flagged when the classifier recognises a disclosure. Messages that triage
    sorts out first (empty, emoji only, instructions to the assistant, other languages) are
    never disclosures: they get their own reply.
    """
    english = classifier.english if classifier is not None else None
    if triage(text, shares=english).outcome != "question":
        return None
    signal = _rule_signal(text)
    if signal is None and classifier is not None and classifier.is_disclosure(text, vector):
        signal = RiskSignal(
            about=_about(text),
            immediate=bool(_IMMEDIATE.search(text)),
            cues=("similar to a disclosure",),
        )
    return signal


def _about(text: str) -> str:
    if _SELF.search(text):
        return "self-harm"
    if _CHILD.search(text):
        return "child"
    return "adult"


#: The person at risk writing about themselves, which the third-person rule below does not see:
#: harm to themselves ("I cut again tonight", "the pills are ready") ...
_SELF_HARM_FIRST = re.compile(
    r"\bI(?:'m|'ve| am| have)?\s+(?:just\s+|been\s+|keep\s+)?(?:cut|cutting|burn(?:ed|t|ing)?|"
    r"hurt(?:ing)?|harm(?:ed|ing)?)\s+(?:my\s*self|again|my\s+(?:arms?|legs?|wrists?|skin))\b"
    r"|\bI\s+(?:want|wanna|am going|'m going|plan)\s+to\s+(?:kill myself|end (?:it|my life)|die)\b"
    r"|\bwon'?t stop bleeding\b"
    r"|\b(?:took|taken|swallowed)\s+(?:all\s+)?(?:the\s+|my\s+)?(?:pills|tablets)\b"
    r"|\b(?:pills|tablets)\s+(?:are\s+)?(?:ready|in front of me)\b",
    _I,
)
#: ... or harm done to them ("my partner strangled me", "I don't feel safe").
_HARMED_FIRST = re.compile(
    r"\b(?:he|she|they|my\s+[\w-]+)\s+(?:hit|hits|hurt|hurts|beat|beats|strangled|choked|raped|"
    r"kicked|punched|slapped|threatened)\s+me\b"
    r"|\bI\s+(?:don'?t|do not|dont)\s+feel\s+safe\b",
    _I,
)


def _first_person_signal(text: str) -> RiskSignal | None:
    """Someone writing about harm to themselves, unless the message is a question about the
    subject or a hypothetical comes first ("what do I say if a client tells me 'I want to die'")."""
    found = [
        (m, kind)
        for p, kind in ((_SELF_HARM_FIRST, "self-harm"), (_HARMED_FIRST, "adult"))
        if (m := p.search(text))
    ]
    if not found or _STUDY_OPENER.search(text):
        return None
    harm, about = min(found, key=lambda f: f[0].start())
    hypothetical = _HYPOTHETICAL.search(text)
    if hypothetical and hypothetical.start() < harm.start():
        return None
    if _SELF.search(text):
        about = "self-harm"
    return RiskSignal(about=about, immediate=True, cues=(harm.group(0),))


def _rule_signal(text: str) -> RiskSignal | None:
    """The rule layer (see the module docstring)."""
    first = _first_person_signal(text)
    if first is not None:
        return first
    harm = _HARM.search(text)
    if not harm or not _ACTOR.search(text) or _is_study_question(text):
        return None
    if not any(p.search(text) for p in (_SPECIFIC_PERSON, _MY_CASE, _TOLD)):
        return None  # "when a child discloses abuse": nobody in particular
    signal = _first_signal(text)
    if signal is None:
        return None
    hypothetical = _HYPOTHETICAL.search(text)
    if (hypothetical and hypothetical.start() < signal.start()) or _FICTION.search(text):
        return None
    cues = tuple(dict.fromkeys(m.group(0) for m in (harm, signal)))
    return RiskSignal(about=_about(text), immediate=bool(_IMMEDIATE.search(text)), cues=cues)


_EMERGENCY = "If anyone is in immediate danger, call 999 now."
_SELF_HARM = (
    "If the person may act on thoughts of suicide or self-harm, they can also call NHS 111 "
    "(option 2 for mental health crisis in England) or Samaritans on 116 123, any time."
)


def signposting_message(signal: RiskSignal) -> str:
    """Calm UK signposting for a message that describes a risk of harm (Markdown)."""
    lines = [
        "It sounds as though you may be describing a real situation in which someone could be at "
        "risk of harm. I'm a study assistant, so I can't advise on a live case, and this is too "
        "important to answer from course notes.",
        "",
    ]
    if signal.immediate:
        lines += [f"**{_EMERGENCY}**", ""]
    lines += [
        "Please:",
        "- talk to your supervisor or manager today, or the duty manager if they are not "
        "available;",
        "- follow your organisation's and your local safeguarding procedures (your local "
        "safeguarding children partnership or safeguarding adults board), and make a referral "
        "to children's or adult social care if one is needed;",
        "- out of hours, contact your local authority's emergency duty team;",
        "- write down what you saw or were told, in the person's own words, with the date and "
        "time.",
    ]
    if not signal.immediate:
        lines.append(f"- {_EMERGENCY}")
    if signal.about == "self-harm":
        lines.append(f"- {_SELF_HARM}")
    lines += [
        "",
        "If you would like to, you can still look at what the course materials say about this "
        "topic separately, as a study question.",
    ]
    return "\n".join(lines)
