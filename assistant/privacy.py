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

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

KINDS = (
    "name",
    "dob",
    "address",
    "postcode",
    "nhs_number",
    "ni_number",
    "phone",
    "email",
    "case_ref",
)
"""Every kind of finding, in the order reports list them."""

LABELS = {
    "name": "[name removed]",
    "dob": "[date of birth removed]",
    "address": "[address removed]",
    "postcode": "[postcode removed]",
    "nhs_number": "[NHS number removed]",
    "ni_number": "[NI number removed]",
    "phone": "[phone number removed]",
    "email": "[email removed]",
    "case_ref": "[reference removed]",
}
"""What ``redact`` puts in place of each kind of finding."""


@dataclass(frozen=True)
class Finding:
    """One likely piece of personal data: its kind and the ``text[start:end]`` span it covers."""

    kind: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# --- allow-list: theorists, authors, public inquiries -------------------------------------------
THEORISTS = _words(
    """
    Kadushin Tronto Hochschild Ruch Noddings Kittay Biestek Halmos Rogers Saleebey Ferguson
    Lefevre Gilbert Bowlby Ainsworth Winnicott Bion Klein Freud Munro Laming Trevithick Howe
    Hollinrake Dix Meade Harkness Hughes Pengelly Morrison Wonnacott Hawkins Shohet Kolb
    Schön Schon Gibbs Fook Gardner Turney Featherstone White Broadhurst Wastell Parton
    Cooper Lees Ingram Smale Winter Folgheraiter Donati Megele Main Crittenden Fonagy
    Bateman Heron Egan Maslow Erikson Piaget Vygotsky Bronfenbrenner Rutter Brandon
    Sidebotham Daniel Wassell Gilligan Fahlberg Perry Siegel Porges Karpman Berne Menzies
    Lyth Obholzer Roberts Hingley-Jones Mandin Beresford Croisdale Sennett Honneth Fraser
    Bourdieu Foucault Goffman Habermas Freire Dominelli Thompson Payne Adams Dickens Beckett
    Taylor Cree Wilson Mattison Kahn Agass Preston-Shoot Beddoe Davys Grant Kinman Rajan-
    Rankin Sudbery Seden Koprowska Lishman Kadushin's Tronto's Ruch's Kittay's Hochschild's
    Munro's Bowlby's Winnicott's
    """
)
"""Well-known social-work and psychology theorists; single surnames are enough."""

PUBLIC_CASES = frozenset(
    {
        "Victoria Climbié",
        "Victoria Climbie",
        "Peter Connelly",
        "Baby P",
        "Daniel Pelka",
        "Arthur Labinjo-Hughes",
        "Star Hobson",
        "Khyra Ishaq",
        "Jasmine Beckford",
        "Maria Colwell",
        "Kimberley Carlile",
        "Tyra Henry",
        "Dennis O'Neill",
        "Hamzah Khan",
        "Climbié",
        "Climbie",
        "Connelly",
        "Pelka",
        "Labinjo-Hughes",
        "Hobson",
        "Colwell",
        "Beckford",
        "Carlile",
        "Victoria",
        "Peter",
        "Arthur",
        "Star",
        "Khyra",
        "Jasmine",
        "Maria",
        "Daniel",
    }
)
"""Children named in public inquiries and reviews: discussed in study, not personal data here."""

# Common first names in England and Wales, without the ones that are also ordinary words
# ("Will", "May", "Grace", "Hope", "Mark", "Rose"...), which would raise false alarms.
FIRST_NAMES = _words(
    """
    Aaliyah Aaron Abdul Abigail Adam Adrian Ahmed Aiden Aisha Alex Alexander Alfie Ali Alice
    Alicia Amelia Amir Amy Andrew Angela Anna Anne Anthony Archie Arjun Ava Ayesha Barbara
    Becky Ben Benjamin Bethany Billy Bradley Brandon Brian Callum Caroline Carl Carol
    Caitlin Charlie Charlotte Chelsea Chloe Chris Christine Christopher Claire Colin Connor
    Courtney Craig Daisy Dale Damian Danielle Darren David Dean Debbie Declan Demi Denise
    Derek Dylan Eddie Edward Eleanor Elijah Ella Ellie Emily Emma Ethan Evie Fatima Finley
    Freddie Freya Gary Gemma George Georgia Graham Hannah Harley Harper Harris Harrison
    Harry Hassan Hayley Heather Helen Henry Holly Ibrahim Imran Isaac Isabella Isla Isobel
    Jack Jacob Jade Jake James Jamie Jane Jasmine Jason Jay Jayden Jenny Jessica Joanne Joe
    John Jordan Joseph Joshua Julie Justin Kai Karen Kate Katie Kayden Kayleigh Keith Kelly
    Kerry Kevin Khadija Kieran Kirsty Kyle Laura Lauren Layla Leah Lee Leo Lewis Liam Lily
    Linda Lisa Logan Louis Louise Lucas Lucy Luke Mason Matthew Maya Megan Melissa Mia
    Michael Michelle Mohammed Mohammad Muhammad Molly Nadia Natalie Nathan Niamh Nicola
    Nicole Noah Oliver Olivia Oscar Owen Paige Paul Phoebe Poppy Priya Rachel Rebecca Reece
    Rhys Riley Robert Ruby Ryan Saima Sam Samantha Samuel Sandra Sarah Scott Shane Shannon
    Sharon Shauna Sienna Sophia Sophie Stacey Stephen Steven Stuart Susan Tanya Theo Thomas
    Tom Tommy Toby Tracey Tyler Tyrone Usman Wayne William Yasmin Zainab Zak Zara Zoe Zoë
    Kyra Keeley Jodie Leanne Kim Tina Sean Jermaine Kofi Precious Ama Chidi Oluwaseun Tunde
    Amara Krystal Brooke Skye Ashley Casey Danny Kane Marcus
    """
)
"""First names common enough that, outside the allow-list, they are worth a warning on their own."""

# Capitalised words that are not names even where a name rule would otherwise fire.
NOT_NAMES = _words(
    """
    I I'm I've I'd A An The This That These Those There Then Than He She They We You It His
    Her Hers Him Their Them Our Us My Me Your Its Who Whom Whose What Which When Where Why
    How Is Are Was Were Be Been Do Does Did Has Have Had Can Could Should Would Will May
    Might Must Shall Not No Yes And But Or If So As At By For From In Into Of On To With
    Without About After Before Since Until Also Today Tomorrow Yesterday Tonight Monday
    Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July
    August September October November December Mum Mummy Dad Daddy Nan Nana Nanny Gran
    Granny Grandma Grandad Grandpa Auntie Aunty Uncle Baby Sir Madam Miss Mrs Mr Ms Mx Dr
    Social Worker Workers Work Section Chapter Page Pages Table Figure Slide Part Article
    Schedule Step Stage Level Year Years Tier Standard Standards Act Appendix Court Council
    Police School College University Team Service Services Care Children Child Adults Adult
    Family Families Health Hospital Trust England Wales Scotland Ireland Britain British
    English Welsh Scottish Irish London UK Christmas Easter Ramadan Eid God Please Thanks
    Hello Hi Dear Okay OK Help Question Answer Note Update Case Client Referral Assessment
    Plan Meeting Conference Strategy Review Report Local Authority Government Department
    Office Centre Home Sure Still Just Only Even Now Here Some Any All Every Each Both
    Either Neither One Two Three Four Five Six Seven Eight Nine Ten Most Many Much More Less
    Few First Second Third Last Next New Old Young Little Big Good Bad Best
    Protection Order Orders Proceedings Involvement Centred Led Voice Participation Panel Board
    Safeguarding Practice Partnership Rights Group Commissioner Ofsted Cafcass Childline Samaritans
    Barnardo's Shelter Refuge Mind Aid Women's Action Network
    """
)

_NAME = r"[A-Z][A-Za-z\u00C0-\u017F'’\-]*[a-z\u00C0-\u017F]"
"""A capitalised word of at least two letters (O'Connor, Labinjo-Hughes, Zoë)."""


def _token_ok(token: str) -> bool:
    token = token.replace("’", "'")
    return token not in NOT_NAMES and token.rstrip("'’s") not in NOT_NAMES


_CAP_WORD = re.compile(_NAME)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")
_CITED_SURNAME = re.compile(
    rf"({_NAME})(?:\s+(?:and|&)\s+({_NAME}))?(?:\s+et al\.?)?,?\s*\(?(?:1[89]|20)\d\d[a-z]?\b"
)


def corpus_names(texts: Iterable[str]) -> set[str]:
    """Harvest names from corpus texts to allow: surnames, full names, and cited authors.

    Kept: every capitalised word that is not sentence-initial and not an ordinary word (Kadushin,
    Tronto...), common first names wherever they stand (the fictional people of the vignettes),
    "First Last" pairs, and authors cited as "Name (2005)". Allow-listed names are still reported
    when the text marks them as someone in a case ("my client Sam", "Sam's mum").
    """
    names: set[str] = set()
    for text in texts:
        for match in _CITED_SURNAME.finditer(text):
            names.update(n for n in match.groups() if n and _token_ok(n))
        tokens = list(_CAP_WORD.finditer(text))
        for i, match in enumerate(tokens):
            word = _strip_possessive(match.group())
            if not _token_ok(word):
                continue
            if word in FIRST_NAMES:
                names.add(word)
                nxt = tokens[i + 1] if i + 1 < len(tokens) else None
                if nxt and text[match.end() : nxt.start()] == " " and _token_ok(nxt.group()):
                    surname = _strip_possessive(nxt.group())
                    names.update((surname, f"{word} {surname}"))
            elif not _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]):
                names.add(word)
    return names


def _strip_possessive(word: str) -> str:
    return re.sub(r"['’]s$", "", word)


def corpus_texts(corpus_dir: Path) -> Iterator[str]:
    """Yield the text of the corpus's source files (Markdown, text, YAML) under ``corpus_dir``."""
    if not corpus_dir.is_dir():
        return
    for path in sorted(corpus_dir.rglob("*")):
        if path.suffix.lower() in {".md", ".txt", ".yaml", ".yml"} and path.is_file():
            yield path.read_text(encoding="utf-8", errors="replace")


DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@lru_cache(maxsize=4)
def default_allow_names(corpus_dir: Path = DEFAULT_CORPUS) -> frozenset[str]:
    """The built-in theorists and public-inquiry names plus every name harvested from the corpus."""
    return frozenset(THEORISTS | PUBLIC_CASES | corpus_names(corpus_texts(corpus_dir)))


# --- name rules ----------------------------------------------------------------------------------
_FULL = rf"{_NAME}(?:[ \t]+{_NAME}){{0,2}}"
_CUE_WORDS = (
    r"client|service[ -]user|young[ -]person|child|boy|girl|baby|toddler|infant|teenager|teen|"
    r"son|daughter|step-?son|step-?daughter|mum|mother|dad|father|step-?dad|step-?mum|"
    r"step-?father|step-?mother|brother|sister|sibling|partner|ex-partner|ex|husband|wife|"
    r"boyfriend|girlfriend|nan|gran|grandmother|grandfather|grandma|grandad|aunt|auntie|uncle|"
    r"cousin|carer|foster[ -]carer|kinship[ -]carer|neighbour|pupil|patient|resident|tenant|"
    r"lodger|friend|niece|nephew|twin|man|woman|lady|gentleman|adult|person|family member|"
    r"care leaver|mother-in-law|father-in-law"
)
_DETERMINER = r"\b(?i:my|our|the|a|an|his|her|their|your|this|that|whose)\s+(?:[a-z\-]+\s+){0,2}?"
_AT_START = r"(?:^|(?<=[.!?:;(] )|(?<=\n)|(?<=\())"
_CUE = re.compile(
    # "my client Sarah Jones", "the mother, Kelly", "Service user Hannah Clarke" (sentence start),
    # "a boy called Tom", "known as Kai".
    rf"(?:(?:{_DETERMINER}(?:{_CUE_WORDS})|{_AT_START}(?i:{_CUE_WORDS}))(?:['’]s)?\s*,?\s*\(?\s*"
    rf"(?:(?:called|named|known as|who is called)\s+)?"
    rf"|\b(?:called|named|known as|name is|name's|goes by)\s+)(?P<name>{_FULL})"
)
_PLURAL_CUE = re.compile(
    # "the grandparents, Pat and Terry", "The children, Leo and Poppy"
    rf"\b(?i:the|my|our|his|her|their|two|three)\s+(?:[a-z\-]+\s+)?(?:parents|grandparents|"
    rf"children|kids|siblings|twins|carers|foster carers|boys|girls|sons|daughters|brothers|"
    rf"sisters)\s*,?\s*\(?(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})+)"
)
_TITLE = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Master)\.?[ \t]+(?P<name>{_FULL})")
_AGE = re.compile(
    # "Jayden (7)", "Kayleigh, 4,", "(Ellie-Mae, 15)", "Amelia aged 14", "Tom is 6 years old"
    rf"\b(?P<name>{_FULL})\s*(?:\(\s*(?:aged?\s*)?\d{{1,2}}\s*"
    rf"(?:yrs?|years?(?: old)?|y/?o|m|months?)?\s*\)"
    rf"|,\s*(?:aged?\s+)?\d{{1,2}}\s*(?:yrs?|years?(?: old)?|y/?o)?\s*[,)]"
    rf"|,?\s+aged?\s+\d{{1,2}}\b|\s+is\s+\d{{1,2}}\s+(?:years?|months?)\s+old)"
)
_FAMILY = re.compile(
    rf"\b(?i:the)\s+(?P<name>{_NAME})\s+(?:family|household|children|twins|siblings)\b"
)
_CASE_VERB = re.compile(
    # "Kayleigh told me", "Marcus lives with", "the Kowalczyk case", "Shanice and her kids"
    rf"\b(?P<name>{_FULL})(?=\s+(?:has\s+)?(?:just\s+)?(?:told|tells)\s+(?:me|us|her|him|them|my|the)\b"
    rf"|\s+(?:has\s+)?disclosed\b|\s+(?:said|says)\s+(?:that\s+)?(?:she|he|they|her|his|mum|dad|I)\b"
    rf"|\s+(?:lives|is living|was living|is staying|is placed|was placed|moved in)\b"
    rf"|\s+(?:is|was)\s+(?:on a child protection plan|looked after|in care|known to)\b"
    rf"|\s+case\b|\s+and\s+(?:her|his|their)\b)"
)
_POSSESSIVE = re.compile(
    # "Tyler's mum", "Sam's social worker", "Mo's phone"
    rf"\b(?P<name>{_FULL})(?=['’]s\s+(?:mum|mother|dad|father|step-?dad|step-?mum|nan|gran|grandma|"
    rf"grandad|brother|sister|partner|boyfriend|girlfriend|husband|wife|baby|son|daughter|"
    rf"foster carers?|school|teacher|nursery|social worker|GP|bedroom|house|flat|bruises?|"
    rf"injuries|behaviour|attendance|placement|allocated worker|phone|mobile|number|email|"
    rf"address)\b)"
)
_CONTACT_VERB = re.compile(
    rf"\b(?:seeing|saw|visited|visiting|met with|meeting with|working with|spoke to|spoke with|"
    rf"talked to|talking to|worried about|concerned about|supporting)\s+(?P<name>{_FULL})"
)
_AUTHORED = re.compile(
    r"['’]?s?\s+(?:review|report|inquiry|model|theory|approach|principles|framework|cycle|"
    r"triangle|scale|test|judgment|judgement)\b",
    re.IGNORECASE,
)
_FIRST = re.compile(rf"\b(?P<name>{_NAME})(?:[ \t]+(?P<surname>{_NAME}))?")


def _trim_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop trailing ordinary capitalised words; None if nothing name-like is left."""
    tokens = list(_CAP_WORD.finditer(text, start, end))
    while tokens and not _token_ok(tokens[-1].group()):
        tokens.pop()
    while tokens and not _token_ok(tokens[0].group()):
        tokens.pop(0)
    if not tokens:
        return None
    end = tokens[-1].end()
    if text[end - 2 : end] in ("'s", "’s"):
        end -= 2
    return tokens[0].start(), end


_STUDY_FRAME = re.compile(
    r"\b(?:vignettes?|case stud(?:y|ies)|scenarios?|fictional|examples?|primer|handout|story)\b",
    re.IGNORECASE,
)


def _allowed(name: str, allow: frozenset[str] | set[str], study_frame: bool = True) -> bool:
    """A name is allowed if it or its last word (the surname) is allow-listed.

    A bare common first name (a vignette's "Sam") is allowed only when the text is framed as
    study ("in the vignette..."): a client may share the name of a fictional person.
    """
    name = _strip_possessive(name)
    if name in FIRST_NAMES and name not in THEORISTS | PUBLIC_CASES:
        return study_frame and name in allow
    return name in allow or _strip_possessive(name.split()[-1]) in allow


def _strong_span(pattern: re.Pattern[str], m: re.Match[str], text: str) -> tuple[int, int] | None:
    """The name's span for a strong-context match (with its title for "Mrs Patel")."""
    span = _trim_name(text, *m.span("name"))
    if span and pattern is _TITLE:
        span = (m.start(), span[1])
    return span


def _found(text: str, span: tuple[int, int]) -> Finding:
    return Finding("name", span[0], span[1], text[span[0] : span[1]])


def _strong_names(text: str) -> Iterator[Finding]:
    """Names the context marks as someone in a case: reported even if allow-listed."""
    for pattern in (_CUE, _TITLE, _AGE, _FAMILY):
        for m in pattern.finditer(text):
            span = _strong_span(pattern, m, text)
            if span and text[span[0] : span[1]] not in PUBLIC_CASES:
                yield _found(text, span)
    for m in _POSSESSIVE.finditer(text):
        span = _trim_name(text, *m.span("name"))
        if span and not _allowed(text[span[0] : span[1]], THEORISTS | PUBLIC_CASES):
            yield _found(text, span)
    for m in _PLURAL_CUE.finditer(text):
        for token in _CAP_WORD.finditer(text, *m.span("names")):
            if _token_ok(token.group()):
                yield _found(text, token.span())


def _weak_names(text: str, allow: frozenset[str] | set[str]) -> Iterator[Finding]:
    """Capitalised words near case verbs, and common first names, unless allow-listed."""
    study = bool(_STUDY_FRAME.search(text))
    for pattern in (_CASE_VERB, _CONTACT_VERB):
        for m in pattern.finditer(text):
            span = _trim_name(text, *m.span("name"))
            if span and not _allowed(text[span[0] : span[1]], allow, study):
                yield _found(text, span)
    for m in _FIRST.finditer(text):
        first, surname = m.group("name"), m.group("surname")
        if (
            first not in FIRST_NAMES
            or _allowed(first, allow, study)
            or _AUTHORED.match(text, m.end())
        ):
            continue
        if surname and _token_ok(surname):
            # "Harry Ferguson" is allowed; "Bethany Cole" is not just because a Cole is cited.
            full = _strip_possessive(m.group())
            if full not in allow and _strip_possessive(surname) not in THEORISTS | PUBLIC_CASES:
                yield _found(text, m.span())
        else:
            yield _found(text, (m.start(), m.start() + len(first)))


def _name_findings(text: str, allow: frozenset[str] | set[str]) -> Iterator[Finding]:
    yield from _strong_names(text)
    yield from _weak_names(text, allow)


# --- identifiers -------------------------------------------------------------------------------
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
_STREET_SUFFIX = (
    r"Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Cres|Court|Ct|Gardens|Gdns|"
    r"Place|Pl|Terrace|Grove|Walk|Row|Square|Sq|Hill|View|Rise|Mews|Parade|Estate|Park|Green|Vale|"
    r"Croft|Fold|Gate|Wharf|Chase|Meadows?|Heights|Boulevard|Approach|Lodge|House|Tower|Towers"
)
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
    r"(?i:\b(?:NI|NINO|N\.I\.|national insurance)\s*(?:no\.?|number|num)?\s*[:#\-]?\s*)"
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


_PRIORITY = {
    kind: i
    for i, kind in enumerate(
        (
            "email",
            "nhs_number",
            "ni_number",
            "dob",
            "postcode",
            "phone",
            "address",
            "case_ref",
            "name",
        )
    )
}


def _resolve(findings: Iterable[Finding]) -> list[Finding]:
    """Keep non-overlapping findings: the more specific kind first, then the longer span."""
    ranked = sorted(findings, key=lambda f: (_PRIORITY[f.kind], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for f in ranked:
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def _dates_next_to_names(text: str, names: Sequence[Finding]) -> Iterator[Finding]:
    """Full dates within a few words of a name are treated as dates of birth."""
    for m in _FULL_DATE.finditer(text):
        if any(-40 < m.start() - n.end < 40 or -40 < n.start - m.end() < 40 for n in names):
            yield Finding("dob", m.start(), m.end(), m.group())


def find_personal_data(text: str, allow_names: set[str] | None = None) -> list[Finding]:
    """Find likely personal data about service users in ``text``, ordered by position.

    ``allow_names`` replaces the default allow-list (built-in theorists and public inquiries plus
    the names harvested from the bundled corpus); names in it are not reported unless the text
    says plainly that they are someone in a case ("my client ...", "Mrs ...").
    """
    if not text or not text.strip():
        return []
    allow: frozenset[str] | set[str] = (
        default_allow_names() if allow_names is None else allow_names | PUBLIC_CASES
    )
    names = _resolve(_name_findings(text, allow))
    findings = [*names, *_identifier_findings(text), *_dates_next_to_names(text, names)]
    return _resolve(findings)


def redact(text: str, findings: Iterable[Finding]) -> str:
    """Replace each finding's span with a label such as "[name removed]"."""
    out: list[str] = []
    cursor = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < cursor:
            continue
        out.append(text[cursor : f.start])
        out.append(LABELS.get(f.kind, "[removed]"))
        cursor = f.end
    out.append(text[cursor:])
    return "".join(out)


def findings_json(findings: Iterable[Finding]) -> str:
    """Findings as a JSON list of {kind, start, end, text}."""
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2)


# --- measurement -------------------------------------------------------------------------------
@dataclass(frozen=True)
class KindScore:
    """Figures for one kind (or "overall") over a labelled set."""

    kind: str
    expected: int
    found: int
    true_positives: int
    false_alarm_texts: int
    negatives: int
    matched_findings: int

    @property
    def recall(self) -> float:
        """Expected spans overlapped by a finding of the same kind / expected spans."""
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        """Findings that overlap an expected span of the same kind / all findings."""
        return self.matched_findings / self.found if self.found else 1.0

    @property
    def fp_rate(self) -> float:
        """Texts without personal data that got a finding of this kind / such texts."""
        return self.false_alarm_texts / self.negatives if self.negatives else 0.0


def score_labelled(
    cases: Sequence[dict[str, Any]], allow_names: set[str] | None = None
) -> dict[str, KindScore]:
    """Score the guard on labelled cases ``{"text", "expected": [{"kind", "text"}, ...]}``.

    A case with an empty ``expected`` list is a negative. Returns one KindScore per kind and
    "overall" (where a finding of any kind counts for any expected span it overlaps).
    """
    kinds = (*KINDS, "overall")
    tallies = {k: [0, 0, 0, 0] for k in kinds}  # expected, found, true positives, false alarms
    hits = dict.fromkeys(kinds, 0)  # findings that overlap an expected span of their kind
    negatives = sum(1 for c in cases if not c.get("expected"))
    for case in cases:
        text = case["text"]
        findings = find_personal_data(text, allow_names)
        spans = [_expected_span(text, e) for e in case.get("expected", [])]
        for kind in kinds:
            mine = [f for f in findings if kind in ("overall", f.kind)]
            wanted = [s for s in spans if kind in ("overall", s[0])]
            tallies[kind][0] += len(wanted)
            tallies[kind][1] += len(mine)
            tallies[kind][2] += sum(1 for w in wanted if any(_overlaps(f, w) for f in mine))
            hits[kind] += sum(1 for f in mine if any(_overlaps(f, w) for w in wanted))
            if not spans and mine:
                tallies[kind][3] += 1
    return {k: KindScore(k, t[0], t[1], t[2], t[3], negatives, hits[k]) for k, t in tallies.items()}


def _expected_span(text: str, expected: dict[str, str]) -> tuple[str, int, int]:
    start = text.find(expected["text"])
    if start < 0:
        raise ValueError(f"expected span {expected['text']!r} not in {text!r}")
    return expected["kind"], start, start + len(expected["text"])


def _overlaps(f: Finding, span: tuple[str, int, int]) -> bool:
    return f.start < span[2] and span[1] < f.end
