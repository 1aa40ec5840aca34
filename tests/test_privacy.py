"""Personal-data guard: each kind, the allow-list, redaction, the labelled set and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.guards.privacy import (
    THEORISTS,
    Finding,
    corpus_names,
    find_personal_data,
    redact,
    score_labelled,
)
from tests.conftest import DEV_QUESTIONS, REPO

LABELLED = Path(__file__).parent / "data" / "privacy_labelled.jsonl"
CASES = Path(__file__).parent / "data" / "privacy_cases.jsonl"


def kinds(text: str, allow: set[str] | None = None) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_personal_data(text, allow)]


def load_cases() -> list[dict]:
    cases = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    dev = [json.loads(line) for line in DEV_QUESTIONS.read_text(encoding="utf-8").splitlines()]
    return cases + [{"id": q["id"], "text": q["question"], "expected": []} for q in dev if q]


# --- kinds ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My client Sarah Jones keeps cancelling", [("name", "Sarah Jones")]),
        ("Mrs Patel told me she feels judged", [("name", "Mrs Patel")]),
        ("a boy called Tom won't talk to me", [("name", "Tom")]),
        ("Jayden (7) refuses contact", [("name", "Jayden")]),
        ("The Henderson family have had six workers", [("name", "Henderson")]),
        ("Zbigniew told me he is scared", [("name", "Zbigniew")]),
    ],
)
def test_names_in_case_context(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "What are the three functions of supervision in Kadushin's model?",
        "According to Ruch (2005), why does relationship-based practice matter?",
        "What does Harry Ferguson mean by intimate child protection practice?",
        "What did Laming say about Victoria Climbié in 2003?",
        "How does John Bowlby's work influence fostering?",
        "What is the threshold for a Section 47 enquiry under the Children Act 1989?",
        "What does the 80:20 campaign ask for, and what percentage is paperwork?",
        "Summarise pages 12-15 of the handout for a 7-year-old.",
    ],
)
def test_study_questions_have_no_findings(text: str) -> None:
    assert find_personal_data(text) == []


def test_theorist_is_allowed_unless_marked_as_a_client() -> None:
    assert find_personal_data("Kadushin said supervision has three functions") == []
    assert kinds("my client Kadushin told me") == [("name", "Kadushin")]


def test_vignette_first_names_allowed_only_in_study_framing() -> None:
    allow = {"Leanne", "Marcus"}
    assert find_personal_data("In the vignette, why does Leanne stay calm?", allow) == []
    assert kinds("I am working with Leanne who misses visits", allow) == [("name", "Leanne")]
    assert kinds("I am working with Leanne who misses visits", set()) == [("name", "Leanne")]


def test_nhs_number_needs_a_valid_checksum() -> None:
    assert kinds("NHS number 943 476 5919") == [("nhs_number", "943 476 5919")]
    assert kinds("NHS number 943 476 5918") == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("NI number AB 12 34 56 C", True),
        ("her NINO is JT123456A", True),
        ("code DA123456C", False),  # D is never a first letter
        ("code BG123456C", False),  # BG is not allocated
        ("code AO123456C", False),  # O is never a second letter
        ("code AB123456E", False),  # suffix is A-D
        ("ni no. QQ123456C", True),  # labelled: any two letters and six digits
    ],
)
def test_national_insurance_number_rules(text: str, found: bool) -> None:
    assert any(f.kind == "ni_number" for f in find_personal_data(text)) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("mum's mobile is 07700 900123", True),
        ("landline (0113) 496 0123", True),
        ("call +44 7700 900456", True),
        ("Childline is 0800 1111", False),
        ("Samaritans on 116 123", False),
        ("the 2011-2012 review, pp. 123-145", False),
    ],
)
def test_phone_numbers_of_people_not_helplines(text: str, found: bool) -> None:
    assert any(f.kind == "phone" for f in find_personal_data(text)) is found


def test_identifiers() -> None:
    text = (
        "DOB 14/02/2017, lives at 22 Acacia Avenue, LS6 3AB, email dave.m82@gmail.com, "
        "case ref 12345/AB, also LAC-2024-0012"
    )
    assert kinds(text) == [
        ("dob", "14/02/2017"),
        ("address", "22 Acacia Avenue"),
        ("postcode", "LS6 3AB"),
        ("email", "dave.m82@gmail.com"),
        ("case_ref", "12345/AB"),
        ("case_ref", "LAC-2024-0012"),
    ]


def test_full_date_next_to_a_name_is_a_date_of_birth() -> None:
    assert kinds("My client Priya Sharma 02/09/1988 refuses") == [
        ("name", "Priya Sharma"),
        ("dob", "02/09/1988"),
    ]
    assert kinds("How many children were in care on 31 March 2023?") == []


def test_redact_replaces_spans() -> None:
    text = "My client Sarah Jones, DOB 12/03/2015, is at LS6 3AB."
    assert redact(text, find_personal_data(text)) == (
        "My client [name removed], DOB [date of birth removed], is at [postcode removed]."
    )
    assert redact("nothing here", []) == "nothing here"


def test_findings_are_typed_spans() -> None:
    text = "Mrs Patel told me"
    (finding,) = find_personal_data(text)
    assert (finding.kind, finding.start, finding.end, finding.text) == ("name", 0, 9, "Mrs Patel")
    assert isinstance(finding, Finding) and 0.5 <= finding.score <= 1.0
    assert text[finding.start : finding.end] == finding.text


# --- allow-list ----------------------------------------------------------------------------------
def test_corpus_names_harvests_authors_not_ordinary_words() -> None:
    names = corpus_names(
        [
            "Supervision has three functions (Kadushin, 1976). As Gillian Ruch argues, the "
            "relationship matters; Trevithick and Howe (2012) agree.",
            "term: Emotional labour\nsource: the work of Hochschild on flight attendants",
        ]
    )
    assert {"Kadushin", "Ruch", "Trevithick", "Howe", "Hochschild"} <= names
    assert {"Supervision", "The", "As"}.isdisjoint(names)


def test_builtin_theorists_cover_the_brief() -> None:
    assert {"Kadushin", "Tronto", "Hochschild", "Ruch", "Bowlby", "Winnicott", "Munro"} <= THEORISTS


def test_bundled_corpus_names_raise_no_alarm() -> None:
    """Every concept of the bundled glossary, asked as a question, is not personal data."""
    concepts = REPO / "corpus" / "src" / "concepts.yaml"
    if not concepts.exists():
        pytest.skip("corpus glossary not built yet")
    import yaml

    entries = (yaml.safe_load(concepts.read_text(encoding="utf-8")) or {}).get("concepts", [])
    texts = [f"What is {c['term']}?" for c in entries if isinstance(c, dict) and "term" in c]
    texts += [c["definition"] for c in entries if isinstance(c, dict) and "definition" in c]
    flagged = [t for t in texts if find_personal_data(t)]
    assert len(flagged) <= 0.05 * max(len(texts), 1), flagged


# --- measured ------------------------------------------------------------------------------------
def test_labelled_set_size() -> None:
    cases = load_cases()
    with_data = [c for c in cases if c["expected"]]
    without = [c for c in cases if not c["expected"]]
    assert len(with_data) >= 40
    assert len(without) >= 80
    assert len({c["expected"][0]["kind"] for c in with_data}) >= 8


def test_recall_and_false_positive_targets() -> None:
    overall = score_labelled(load_cases())["overall"]
    assert overall.recall >= 0.90, overall
    assert overall.fp_rate <= 0.05, overall


def test_score_labelled_counts() -> None:
    cases = [
        {"text": "My client Sarah Jones", "expected": [{"kind": "name", "text": "Sarah Jones"}]},
        {"text": "call 07700 900123", "expected": [{"kind": "email", "text": "07700 900123"}]},
        {"text": "What is containment?", "expected": []},
        {"text": "Mrs Patel asked about containment", "expected": []},
    ]
    scores = score_labelled(cases)
    assert (scores["name"].expected, scores["name"].true_positives) == (1, 1)
    assert scores["email"].recall == 0.0  # found as a phone, not an email
    assert scores["overall"].recall == 1.0
    assert scores["overall"].fp_rate == 0.5
    assert scores["phone"].precision == 0.0


# --- CLI -----------------------------------------------------------------------------------------
def test_cli_check_privacy_prints_json_and_exits_zero() -> None:
    from assistant.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["check-privacy", "Mrs Patel's mobile is 07700 900123"])
    assert result.exit_code == 0
    found = json.loads(result.output)
    assert [{k: f[k] for k in ("kind", "start", "end", "text")} for f in found] == [
        {"kind": "name", "start": 0, "end": 9, "text": "Mrs Patel"},
        {"kind": "phone", "start": 22, "end": 34, "text": "07700 900123"},
    ]
    assert 0.0 < found[0]["score"] <= 1.0 and found[1]["score"] == 1.0
    clean = runner.invoke(app, ["check-privacy", "What is over-intervening?"])
    assert clean.exit_code == 0
    assert json.loads(clean.output) == []


def test_cli_check_privacy_reads_stdin() -> None:
    from assistant.cli import app

    result = CliRunner().invoke(app, ["check-privacy", "-"], input="NHS no 943 476 5919\n")
    assert result.exit_code == 0
    assert [f["kind"] for f in json.loads(result.output)] == ["nhs_number"]


def test_cli_help_lists_check_privacy() -> None:
    from assistant.cli import app

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "check-privacy" in result.output


# --- model and context ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my client aisha begum is 16 and keeps going missing", "aisha begum"),
        ("had a hard session with darius who is 15", "darius"),
        ("Tomasz Kowalczyk keeps shouting at me on home visits", "Tomasz Kowalczyk"),
    ],
)
def test_names_the_lists_do_not_hold_are_found(text: str, name: str) -> None:
    assert name in [f.text for f in find_personal_data(text) if f.kind == "name"]


def test_own_cases_test_split_meets_targets() -> None:
    rows = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()]
    test = [r for r in rows if r["split"] == "test"]
    assert len(rows) >= 150 and sum(1 for r in rows if r["expected"]) >= 75
    flags = [bool(find_personal_data(r["text"])) for r in test]
    pos = [f for f, r in zip(flags, test, strict=True) if r["expected"]]
    neg = [f for f, r in zip(flags, test, strict=True) if not r["expected"]]
    assert len(pos) >= 100 and len(neg) >= 100
    assert sum(pos) / len(pos) >= 0.93, sum(pos)  # measured 0.950 (bench/privacy.py)
    assert sum(neg) / len(neg) <= 0.04, sum(neg)  # measured 0.020


def test_document_pages_with_case_data_are_reported() -> None:
    from langchain_core.documents import Document

    from assistant.guards.privacy.documents import held_back_lines, page_findings

    docs = [
        Document("Ruch (2005) argues that containment matters.", metadata={"page": 1}),
        Document(
            "Case study: Sarah Okoro, NHS number 943 476 5919, mobile 07700 900123.",
            metadata={"page": 2},
        ),
    ]
    pages = page_findings(docs)
    assert [p.page for p in pages] == [2]
    assert {f.kind for f in pages[0].findings} >= {"nhs_number", "phone"}
    assert "page 2" in "\n".join(held_back_lines("case.pdf", pages))


def test_a_dated_history_page_is_not_held_back_but_a_marked_birth_date_is() -> None:
    from langchain_core.documents import Document

    from assistant.guards.privacy.documents import page_findings

    history = Document(
        "The campaign began when Mrs Ilse Brandauer wrote to the council on 14 March 1968.",
        metadata={"page": 1},
    )
    record = Document(
        "Referral: Tomasz Wierzbicki, DOB 14/03/2011, lives with his grandmother.",
        metadata={"page": 2},
    )
    pages = page_findings([history, record])
    assert [p.page for p in pages] == [2]
    assert "dob" in {f.kind for f in pages[0].findings}


def test_a_staff_contact_is_not_held_back_but_a_persons_own_is() -> None:
    from langchain_core.documents import Document

    from assistant.guards.privacy.documents import page_findings

    texts = [
        "For more information contact Priya Shah, Training Officer, on 020 7946 0123 or "
        "training@council.gov.uk.",
        "Case study: Chidinma Okafor-Reyes lives with her son. Her mobile is 07700 900123.",
        "Referral: Jayden Clarke lives with mum Kelly Clarke, 0113 496 0456, "
        "kelly.clarke88@example.com.",
    ]
    docs = [Document(t, metadata={"page": n}) for n, t in enumerate(texts, 1)]
    assert [p.page for p in page_findings(docs)] == [2, 3]


# --- ingest hold-back ----------------------------------------------------------------------------
def _case_study_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawString(72, 760, "Supervision notes: Ruch (2005) on containment.")
    pdf.showPage()
    pdf.drawString(72, 760, "Case study: Chidinma Okafor-Reyes, NHS number 943 476 5919.")
    pdf.drawString(72, 740, "Her mobile is 07700 900123 and she lives with her son.")
    pdf.showPage()
    pdf.save()
    return path


def test_case_study_is_held_back_unless_allowed(tmp_path: Path, settings) -> None:
    from assistant.ingest.run import ingest
    from tests.fakes import KeywordEmbeddings

    folder = tmp_path / "docs"
    folder.mkdir()
    _case_study_pdf(folder / "case-study.pdf")
    (folder / "theory.md").write_text(
        "# Theory\n\nKadushin's model has three functions; Bowlby (1969) on attachment.\n"
    )
    report = ingest([folder], settings, embeddings=KeywordEmbeddings(["care", "attachment"]))
    assert report.ingested == ["theory.md"]
    ((source, pages),) = report.held_back
    assert source == "case-study.pdf" and [p.page for p in pages] == [2]
    again = ingest(
        [folder],
        settings,
        embeddings=KeywordEmbeddings(["care", "attachment"]),
        allow_personal_data=True,
    )
    assert again.ingested == ["case-study.pdf"] and not again.held_back
