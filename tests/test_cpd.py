"""CPD records: prefilled facts only, the user's own reflection, privacy checks, Markdown, PDF."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from assistant.cli import app
from assistant.records import Answer, Citation
from assistant.teach.cpd import (
    ACTIVITY_TYPES,
    DEFAULT_ACTIVITY,
    PROMPTS,
    REFLECTIVE_FIELDS,
    STANDARD_BY_CODE,
    STANDARDS,
    CPDError,
    CPDRecord,
    SourceRef,
    missing_fields,
    personal_data_warnings,
    prefill,
    remove_personal_data,
    session_answers,
    to_markdown,
    validate,
)
from assistant.teach.cpd_export import save_record, to_pdf
from assistant.ui.chat import Session
from assistant.ui.cpd_tab import Draft, check_and_save, from_session, warnings_html

ANSWER_TEXT = "Transference is when feelings are transferred onto the worker [1]."


def _cite(
    n: int, file: str, page: int | None = None, slide: int | None = None, section: str = ""
) -> Citation:
    return Citation(n, f"{file}#{n}", file, file, "Doc", page, slide, section, "snippet", 0.5)


def _session() -> Session:
    """A chat session: two answers, an abstention, a risk disclosure and a flagged question."""
    s = Session()
    s.answers[1] = Answer(
        "What is transference?",
        ANSWER_TEXT,
        [
            _cite(1, "rbp-primer.pdf", page=9, section="Transference"),
            _cite(2, "rbp-slides.pptx", slide=15),
        ],
    )
    s.answers[3] = Answer(
        "What is containment?",
        "Containment is ... [1]",
        [
            _cite(1, "rbp-primer.pdf", page=9, section="Transference"),
            _cite(2, "rbp-primer.pdf", page=9, section="Containment"),
        ],
    )
    s.answers[5] = Answer(
        "Boiling point of mercury?", "Not covered.", [_cite(1, "x.pdf", page=1)], abstained=True
    )
    s.answers[7] = Answer(
        "I think the baby is being hurt",
        "Please talk to your manager.",
        [_cite(1, "y.pdf", page=2)],
        note="signposting",
    )
    s.answers[9] = Answer(
        "My client Sarah Jones shouts: what is splitting?",
        "Splitting is ...",
        [_cite(1, "rbp-primer.pdf", page=8)],
    )
    s.flagged.add(9)
    return s


# --- standards -----------------------------------------------------------------------------------
def test_standards_are_well_formed_and_include_the_cpd_standard() -> None:
    codes = [s.code for s in STANDARDS]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[1-6]\.\d{1,2}", c) for c in codes)
    assert {f"4.{i}" for i in range(1, 9)} <= set(codes)  # all of standard 4 (CPD)
    assert "research" in STANDARD_BY_CODE["4.3"].title.lower()
    assert "reflect" in STANDARD_BY_CODE["4.6"].title.lower()
    assert codes == sorted(codes, key=lambda c: tuple(map(int, c.split("."))))
    assert DEFAULT_ACTIVITY == "self-directed learning" and DEFAULT_ACTIVITY in ACTIVITY_TYPES


# --- prefilling ----------------------------------------------------------------------------------
def test_prefill_has_facts_only_and_never_the_reflection() -> None:
    answers = session_answers(_session().answers, _session().flagged)
    record = prefill(answers, today=date(2026, 3, 4), terms=["Transference", "Containment"])
    assert record.date == date(2026, 3, 4) and record.activity_type == "self-directed learning"
    assert (
        record.title
        == "Self-directed learning: relationship-based practice (Transference, Containment)"
    )
    assert all(getattr(record, name) == "" for name in REFLECTIVE_FIELDS)
    assert record.questions == [
        "What is transference?",
        "What is containment?",
        "Boiling point of mercury?",
        "My client [name removed] shouts: what is splitting?",
    ]
    # distinct sources, first-cited order; nothing from the abstention or the risk disclosure
    assert [s.label() for s in record.sources] == [
        "rbp-primer.pdf, page 9 - Transference",
        "rbp-slides.pptx, slide 15 - Doc",
        "rbp-primer.pdf, page 9 - Containment",
        "rbp-primer.pdf, page 8 - Doc",
    ]
    text = to_markdown(record)
    assert ANSWER_TEXT not in text and "baby" not in text and "Sarah" not in text
    assert text.count("(not written yet)") == 3


def test_from_session_uses_the_glossary_for_the_title() -> None:
    record = from_session(_session(), lambda q: ["Transference"] if "transference" in q else [])
    assert record.title.endswith("(Transference)") and record.date == date.today()
    assert from_session(Session()).questions == []


# --- privacy and validation ----------------------------------------------------------------------
def _record(**kw: object) -> CPDRecord:
    data: dict[str, object] = {
        "title": "Learning about containment",
        "date": date(2026, 5, 6),
        "description": "I read about containment because supervision felt rushed.",
        "learnt": "Bion’s idea of containment — taking in and returning feelings — costs £0.",
        "impact": "I now pause before responding to a distressed parent.",
        "standards": ["4.3", "4.6"],
        "questions": ["What is containment?"],
        "sources": [
            SourceRef("rbp-primer.pdf", 9, None, "Containment"),
            SourceRef("rbp-slides.pptx", None, 17),
        ],
    }
    data.update(kw)
    return CPDRecord(**data)  # type: ignore[arg-type]


def test_personal_data_in_reflection_is_found_and_removed() -> None:
    record = _record(impact="My client Sarah Jones, DOB 12/03/2015, lives at LS6 3AB.")
    warnings = personal_data_warnings(record)
    assert {(w.field, w.kind) for w in warnings} >= {
        ("impact", "name"),
        ("impact", "dob"),
        ("impact", "postcode"),
    }
    assert "Sarah Jones" in warnings[0].message() and warnings[0].message().startswith("Impact")
    cleaned = remove_personal_data(record)
    assert "Sarah" not in cleaned.impact and "[name removed]" in cleaned.impact
    assert personal_data_warnings(cleaned) == []
    assert cleaned.learnt == record.learnt  # other fields untouched
    assert personal_data_warnings(_record()) == []  # theorists (Bion) are not personal data
    assert "<script>" not in warnings_html(
        personal_data_warnings(_record(impact="My client <script>Amy Brown"))
    )


def test_validate_and_missing_fields() -> None:
    with pytest.raises(CPDError, match="title"):
        validate(_record(title="  "))
    with pytest.raises(CPDError, match="9.9"):
        validate(_record(standards=["9.9"]))
    with pytest.raises(CPDError, match="longer"):
        validate(_record(learnt="x" * 6000))
    assert missing_fields(_record()) == []
    assert missing_fields(_record(learnt="", impact=" ")) == [
        "What I learnt",
        "Impact on my practice and on the people I work with",
    ]


# --- exports -------------------------------------------------------------------------------------
def test_markdown_export_has_every_field_and_is_inert() -> None:
    text = to_markdown(
        _record(peer_reflection="Talked with my supervisor.\n\nWe agreed to try it.")
    )
    for part in (
        "# Learning about containment",
        "**Date:** 2026-05-06",
        "**Type of activity:** self-directed learning",
        "4.3 Research, theories and frameworks in my practice",
        "## What I learnt",
        "Bion’s idea of containment — taking in and returning feelings — costs £0.",
        "## Reflection with a peer",
        "We agreed to try it.",
        "- rbp-primer.pdf, page 9 - Containment",
        "- rbp-slides.pptx, slide 17",
    ):
        assert part in text, part
    # reflection with a peer is optional: left out when empty
    assert "## Reflection with a peer" not in to_markdown(_record())
    evil = to_markdown(_record(learnt="<img src=x onerror=alert(1)> [x](javascript:1)"))
    assert re.search(r"(?<!\\)<img", evil) is None and re.search(r"(?<!\\)\]\(", evil) is None


def test_pdf_export_text_round_trips_through_pypdf(tmp_path: Path) -> None:
    path = to_pdf(
        _record(peer_reflection="A “peer” said: 50–60% of time is recording."), tmp_path / "r.pdf"
    )
    reader = PdfReader(str(path))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for part in (
        "Learning about containment",
        "Date: 06 May 2026",
        "Type of activity: self-directed learning",
        "4.6 Reflection on learning and its impact on practice",
        "What I learnt",
        "Bion’s idea of containment — taking in and returning feelings — costs £0.",
        "Reflection with a peer",
        "A “peer” said: 50–60% of time is recording.",
        "What is containment?",
        "rbp-primer.pdf, page 9 - Containment",
        "rbp-slides.pptx, slide 17",
    ):
        assert part in flat, part
    assert reader.metadata is not None and reader.metadata.title == "Learning about containment"
    fonts = str(reader.pages[0]["/Resources"]["/Font"])
    assert "DejaVuSans" in fonts or any(
        "DejaVu" in str(f) for f in reader.pages[0]["/Resources"]["/Font"].values()
    )


def test_nothing_is_written_until_saved(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "cpd"
    record = prefill(session_answers(_session().answers), today=date(2026, 1, 1))
    to_markdown(record)
    assert not (tmp_path / "data").exists()
    record.description, record.learnt, record.impact = "Why", "What", "Impact"
    paths = save_record(record, folder)
    assert [p.suffix for p in paths] == [".md", ".pdf"] and all(p.parent == folder for p in paths)
    assert paths[0].name.startswith("2026-01-01-self-directed-learning")
    again = save_record(record, folder, ("md",))
    assert again[0] != paths[0] and again[0].name.endswith("-2.md")  # never overwrites
    with pytest.raises(CPDError):
        save_record(record, folder, ("docx",))


# --- the tab's logic (no browser) ----------------------------------------------------------------
def test_check_and_save_warns_then_saves_anyway(tmp_path: Path) -> None:
    draft = Draft(title="Containment", when="2026-02-03", learnt="I met my client Sarah Jones.")
    first = check_and_save(draft, tmp_path / "cpd")
    assert first.paths == [] and first.warnings and not (tmp_path / "cpd").exists()
    second = check_and_save(draft, tmp_path / "cpd", anyway=True)
    assert [p.suffix for p in second.paths] == [".md", ".pdf"]
    assert "Still to write" in second.message
    bad = check_and_save(Draft(title="x", when="31/31/2026"), tmp_path / "cpd")
    assert bad.paths == [] and "Date" in bad.message
    ok = check_and_save(
        Draft(title="x", when="03/02/2026", description="a", learnt="b", impact="c"), tmp_path / "k"
    )
    assert ok.message == "Saved. Download your record below." and ok.paths[0].name.startswith(
        "2026-02-03"
    )


def test_prompts_are_hints_not_content() -> None:
    assert set(PROMPTS) == set(REFLECTIVE_FIELDS)
    record = prefill([], today=date(2026, 1, 1))
    text = to_markdown(record)
    assert not any(prompt in text for prompt in PROMPTS.values())


# --- CLI -----------------------------------------------------------------------------------------
def test_cli_template_then_pdf_export(tmp_path: Path) -> None:
    runner = CliRunner()
    template = runner.invoke(app, ["cpd", "--template"])
    assert template.exit_code == 0
    data = json.loads(template.output)
    assert data["activity_type"] == "self-directed learning" and data["learnt"] == ""
    assert "4.3" in data["_standards"] and set(data["_prompts"]) == set(REFLECTIVE_FIELDS)

    data.update(_record().to_dict())
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "record.pdf"
    result = runner.invoke(app, ["cpd", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(out)).pages)
    assert "Bion’s idea of containment — taking in and returning feelings — costs £0." in text
    assert "rbp-primer.pdf, page 9 - Containment" in text

    md = runner.invoke(app, ["cpd", str(path)])
    assert md.exit_code == 0 and md.output.startswith("# Learning about containment")


def test_cli_warns_about_personal_data_and_rejects_bad_records(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "r.json"
    path.write_text(
        json.dumps(_record(impact="My client Sarah Jones was calmer.").to_dict()), encoding="utf-8"
    )
    result = runner.invoke(app, ["cpd", str(path), "--out", str(tmp_path / "r.md")])
    assert (
        result.exit_code == 0
        and "Check for personal data" in result.output
        and "Sarah Jones" in result.output
    )
    path.write_text(json.dumps(_record(standards=["7.1"]).to_dict()), encoding="utf-8")
    bad = runner.invoke(app, ["cpd", str(path)])
    assert bad.exit_code == 1 and "7.1" in bad.output
    path.write_text("{not json", encoding="utf-8")
    assert runner.invoke(app, ["cpd", str(path)]).exit_code == 1
