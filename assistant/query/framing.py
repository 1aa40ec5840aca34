"""How people frame a question, apart from what they ask: greetings, thanks, "quick question for
my CPD log -", "can you explain", and sentences about themselves ("I'm a newly qualified AMHP.").

Practitioners type to the assistant as to a colleague. Searching for "hi", "thanks" or "CPD log"
only adds noise, and an acronym in a sentence about the asker ("AMHP", "ASYE") is not the topic:
the materials not mentioning it must not make the assistant refuse.
"""

from __future__ import annotations

import re

_SEP = r"[\s,;:!.\-\u2013\u2014]*"
#: One character of a clause that asks nothing: no question word starts at it, no end of sentence.
_NOT_ASKING = r"(?:(?!\b(?:what|which|who|whom|whose|when|where|why|how)\b)[^?.!:\u2013\u2014])"
#: How people describe their own question: "quick", "silly", "random"...
_KIND = r"quick|simple|silly|small|random|daft|odd|strange|basic|stupid|dumb|easy|general"
#: Whom a greeting is to: "Morning all", "Hey folks".
_ADDRESSEE = r"(?:there|all|everyone|everybody|folks|team|guys|again)"
#: Openings that ask nothing, removed from the start again and again: "Hey folks,", "Morning all!",
#: "Right, next one.", "Bit of a random one -", "Odd question maybe, but". Apart from a greeting,
#: an opening must end in punctuation or "but" ("Morning routines" is a topic).
_OPENERS = re.compile(
    r"^\s*(?:"
    r"(?:hi|hello|hey|hiya|greetings|good (?:morning|afternoon|evening)|dear \w+)\b(?!-\w)"
    rf"(?:,? {_ADDRESSEE}\b)?{_SEP}"
    rf"|(?:(?:morning|afternoon|evening)(?:,? {_ADDRESSEE}\b)?|right|ok|okay|anyway"
    r"|(?:the )?next one|(?:another|one more)(?: one| question| query| q)?"
    rf"|(?:a |one |another |(?:a )?bit of an? )?(?:{_KIND}) (?:one|question|query|q))"
    r"(?:,? (?:maybe|perhaps|really|here|sorry))?"
    rf"(?:\s*[,;:!.\-\u2013\u2014]|,?\s+but\b){_SEP}(?:but\b{_SEP})?"
    r")",
    re.IGNORECASE,
)
#: Greetings, thanks and requests that frame a question; removed before searching.
_FRAMING = [
    re.compile(
        rf"{_SEP}\b(?:many thanks|thanks|thank you|cheers)\b(?: (?:so much|very much|in advance|"
        r"for your help))?[\s.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:(?:a|one|another) )?(?:(?:(?:{_KIND}) )?question|(?:{_KIND}) one)"
        r"(?: (?:for|about|from) (?:my|our|a|the) [\w'\u2019 ]{1,40}?)?"
        r"\s*(?:[:\u2013\u2014]|\s-)\s*",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:(?:can|could|would) you (?:please )?(?:tell me|explain|help me (?:to )?understand)"
        r"|i (?:was|am|'m) wondering|i(?:'d| would) like to know|i want to know|please)\b",
        re.IGNORECASE,
    ),
    re.compile(  # "Sorry if this is basic but", "Apologies, "
        r"^\s*(?:sorry|apologies)\b[^?,]{0,40}?(?:\bbut\b|,(?:\s*but\b)?)\s*", re.IGNORECASE
    ),
    re.compile(  # a leading clause about the asker, with no question in it: "For my ASYE log -"
        rf"^{_NOT_ASKING}{{0,80}}?\b(?:i|my|our|me)\b{_NOT_ASKING}{{0,60}}?"
        r"(?::|\s-\s|\u2013|\u2014)\s*",
        re.IGNORECASE,
    ),
    re.compile(  # a trailing remark, not itself a question: "... - asking for my NQSW supervision"
        r"(?:\s-\s|\u2013|\u2014)[^?\-\u2013\u2014]{0,60}?\b(?:i|my|our|me)\b[^?]*$",
        re.IGNORECASE,
    ),
    re.compile(  # an aside in brackets: "(for my essay)"
        r"\([^()?]{0,60}?\b(?:i|my|our|me)\b[^()?]*\)", re.IGNORECASE
    ),
]
#: A sentence or opening clause about the asker's role or situation, not a question: "I'm a
#: newly qualified AMHP.", "My practice educator asked me this.", "As an ASYE social worker,".
_ROLE = (
    r"(?:i'm|i\u2019m|i am|i've been|i\u2019ve been|i have been)"
    r" (?:a|an|the|currently|now|new|newly|working|training|studying|doing|on|in|at)\b"
    r"|i work (?:in|at|for|as|with)\b"
    r"|my (?:supervisor|manager|team leader|practice educator|educator|tutor|lecturer|mentor|"
    r"colleague|team|assessor)\b"
    r"|we (?:are|were|work|had|have)\b"
    r"|i have (?:a|one|another|two|some) (?:quick |small |simple )?questions?\b"
)
_ABOUT_ME = re.compile(
    rf"(?:^|(?<=[.!?\n]))\s*(?:(?:{_ROLE})[^.!?\n]*[.!\n]|as an? [^,.!?\n]*,)",
    re.IGNORECASE,
)


def strip_framing(question: str) -> str:
    """``question`` without greetings, thanks and request phrases ("quick question for my CPD log
    -", "can you explain"); the question itself if nothing else is left."""
    text = question
    while (opened := _OPENERS.sub("", text, count=1)) != text:
        text = opened
    for pattern in _FRAMING:
        text = pattern.sub(" ", text)
    text = " ".join(text.split())
    return text or question.strip()


def without_asker(question: str) -> str:
    """``question`` without its sentences about the asker ("I'm a student on placement."), when
    something else is left: the part whose names and acronyms are the topic."""
    text = " ".join(_ABOUT_ME.sub(" ", question).split())
    return text or question
