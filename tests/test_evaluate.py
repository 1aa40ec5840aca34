"""The eval harness: test-set loading, scoring with an injected assistant, the command end to end.

The end-to-end tests build a tiny two-PDF corpus whose rankings are exact under the keyword
embedder: every mode (and the naive baseline) ranks the five answerable questions 1, 1, 1, 2 and
"miss", so R@1 = 3/5, R@3 = 4/5, MRR@10 = (1 + 1 + 1 + 1/2 + 0) / 5 = 0.7 and
nDCG@10 = (3 + 1/log2(3)) / 5.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.evaluate import run as evaluate
from assistant.evaluate.baseline import NaiveBaseline
from assistant.evaluate.run import missing_sources, run_eval
from assistant.evaluate.testset import EvalError, Question, TestSetError, load_questions
from assistant.records import Answer, Citation, Hit
from assistant.settings import Settings
from tests.fakes import KeywordEmbeddings

VOCABULARY = ["kettle", "harbour", "violin", "meadow", "lantern", "glacier", "orchard", "compass"]
PAGES = {
    "alpha.pdf": [
        "Kettle and harbour notes.",
        "Violin and meadow notes.",
        "Orchard and compass notes.",
    ],
    "beta.pdf": ["Lantern notes here.", "Glacier notes here.", "Orchard notes here."],
}
QUESTIONS = [
    {"id": "q1", "question": "kettle harbour", "source": "alpha.pdf", "pages": [1],
     "answer_keywords": ["kettle", "harbour"], "kind": "fact"},
    {"id": "q2", "question": "violin meadow", "source": "alpha.pdf", "pages": [2],
     "answer_keywords": ["violin"], "kind": "fact"},
    {"id": "q3", "question": "lantern glacier", "source": "beta.pdf", "pages": [1, 2],
     "answer_keywords": ["lantern", "glacier"], "kind": "multi-hop"},
    {"id": "q4", "question": "orchard compass", "source": "beta.pdf", "pages": [3],
     "answer_keywords": ["orchard"], "kind": "fact"},
    {"id": "q5", "question": "kettle", "source": "gamma.pdf", "pages": [1],
     "answer_keywords": ["kettle"], "kind": "fact"},
    {"id": "q6", "question": "zeppelin", "source": None, "pages": [],
     "answer_keywords": [], "kind": "out-of-scope"},
]  # fmt: skip
EXPECTED_RETRIEVAL = {
    "recall@1": 0.6,
    "recall@3": 0.8,
    "recall@5": 0.8,
    "recall@10": 0.8,
    "mrr@10": 0.7,
    "ndcg@10": round((3 + 1 / math.log2(3)) / 5, 4),
    "n": 5,
}


def write_pdf(path: Path, pages: list[str]) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    for text in pages:
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, pages in PAGES.items():
        write_pdf(folder / name, pages)
    return folder


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def questions_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "questions.jsonl", QUESTIONS)


@pytest.fixture
def fake_embeddings(monkeypatch: pytest.MonkeyPatch) -> KeywordEmbeddings:
    """The keyword embedder wherever the eval command would load the real model."""
    fake = KeywordEmbeddings(VOCABULARY)
    monkeypatch.setattr("assistant.index.embedding.load_embeddings", lambda settings: fake)
    return fake


# --- loading the test set ------------------------------------------------------------------------
def test_load_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(QUESTIONS[2]) + "\n\n" + json.dumps(QUESTIONS[5]) + "\n")
    loaded = load_questions(path)
    assert loaded == [
        Question("q3", "lantern glacier", "beta.pdf", (1, 2), ("lantern", "glacier"), "multi-hop"),
        Question("q6", "zeppelin", None, (), (), "out-of-scope"),
    ]
    assert loaded[0].expected == [("beta.pdf", 1), ("beta.pdf", 2)]
    assert not loaded[1].answerable and loaded[1].expected == []


def test_load_csv_lists_and_null_source(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "id,question,source,pages,answer_keywords,kind\n"
        'c1,"Which two, then?",beta.pdf,2;3,lantern; glacier,multi-hop\n'
        'c2,Another,alpha.pdf,"[1, 2]","[""a b"", ""c""]",\n'
        "c3,Not covered,,,,\n"
        "c4,Also not covered,null,,,definition\n",
        encoding="utf-8",
    )
    loaded = load_questions(path)
    assert loaded[0] == Question(
        "c1", "Which two, then?", "beta.pdf", (2, 3), ("lantern", "glacier"), "multi-hop"
    )
    assert loaded[1].pages == (1, 2) and loaded[1].answer_keywords == ("a b", "c")
    assert loaded[1].kind == "other"
    assert loaded[2].source is None and loaded[3].source is None and loaded[3].kind == "definition"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "q.jsonl:2: not valid JSON"),
        ("[1, 2]", "q.jsonl:2: expected a JSON object"),
        ('{"id": "b", "source": null, "pages": []}', "q.jsonl:2: missing question"),
        ('{"question": "x", "source": null, "pages": []}', "q.jsonl:2: missing id"),
        ('{"id": "b", "question": "x", "source": "a.pdf", "pages": ["two"]}', "q.jsonl:2: pages"),
        ('{"id": "b", "question": "x", "source": "a.pdf", "pages": [0]}', "q.jsonl:2: pages"),
        ('{"id": "b", "question": "x", "source": "a.pdf", "pages": [1.5]}', "q.jsonl:2: pages"),
        ('{"id": "b", "question": "x", "source": "a.pdf", "pages": []}', "needs at least one page"),
        ('{"id": "b", "question": "x", "source": null, "pages": [2]}', "source is null"),
        ('{"id": "b", "question": "x", "source": 3, "pages": [2]}', "source must be"),
        ('{"id": "a", "question": "x", "source": null, "pages": []}', "already used on line 1"),
        (
            '{"id": "b", "question": "x", "source": null, "pages": [], "answer_keywords": "k"}',
            "answer_keywords must be a list",
        ),
    ],
)
def test_malformed_jsonl_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "q.jsonl"
    first = json.dumps({"id": "a", "question": "ok", "source": "a.pdf", "pages": [1]})
    path.write_text(first + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(TestSetError, match=message):
        load_questions(path)


def test_malformed_csv(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("id,question,source\n1,x,a.pdf\n", encoding="utf-8")
    with pytest.raises(TestSetError, match=r"q.csv:1: missing column\(s\): pages"):
        load_questions(path)
    path.write_text("id,question,source,pages\n1,x,a.pdf,2\n2,y,a.pdf,3,extra\n", encoding="utf-8")
    with pytest.raises(TestSetError, match="q.csv:3: more cells than columns"):
        load_questions(path)
    path.write_text("id,question,source,pages\n1,x,a.pdf,2\n2,y,a.pdf,p3\n", encoding="utf-8")
    with pytest.raises(TestSetError, match="q.csv:3: pages must be whole numbers"):
        load_questions(path)


def test_empty_and_missing_test_sets(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(TestSetError, match="no questions"):
        load_questions(empty)
    with pytest.raises(TestSetError, match="not found"):
        load_questions(tmp_path / "nope.jsonl")


# --- scoring with an injected assistant --------------------------------------------------------
def hit(file_name: str, page: int, score: float = 0.5) -> Hit:
    return Hit(f"{file_name}:{page}", "text", file_name, file_name, "T", page=page, score=score)


def cite(n: int, file_name: str, page: int) -> Citation:
    return Citation(n, f"{file_name}:{page}", file_name, file_name, "T", page, None, "", "s", 0.5)


class FakeAssistant:
    """Shaped like assistant.pipeline.Assistant: fixed hits per (mode, query), fixed answers."""

    answerer_label = "fake"

    def __init__(self, hits: dict[str, dict[str, list[Hit]]], answers: dict[str, Answer]) -> None:
        self.hits = hits
        self.answers = answers
        self.calls: list[tuple[str, str | None, int | None]] = []

    def search(self, query: str, mode: str | None = None, k: int | None = None) -> list[Hit]:
        self.calls.append((query, mode, k))
        return self.hits[mode or "hybrid"].get(query, [])[: k or 6]

    def ask(self, question: str, mode: str | None = None, k: int | None = None) -> Answer:
        return self.answers[question]


def fake_assistant() -> FakeAssistant:
    dense = {
        "kettle harbour": [hit("beta.pdf", 1), hit("beta.pdf", 1), hit("alpha.pdf", 1)],  # rank 3
        "violin meadow": [hit("alpha.pdf", 2)],  # rank 1
        "lantern glacier": [hit("beta.pdf", 2), hit("alpha.pdf", 1), hit("beta.pdf", 1)],
        "orchard compass": [hit("alpha.pdf", 3)],  # miss
        "kettle": [],  # miss
    }
    hybrid = {q: [hit(QUESTIONS[i]["source"] or "x.pdf", 1)] for i, q in enumerate(dense)}
    answers = {
        "kettle harbour": Answer("kettle harbour", "The Kettle. [1]", [cite(1, "alpha.pdf", 1)]),
        "violin meadow": Answer("violin meadow", "Nothing", [cite(1, "beta.pdf", 2)]),
        "lantern glacier": Answer("lantern glacier", "lantern [1]", [cite(1, "beta.pdf", 2)]),
        "orchard compass": Answer("orchard compass", "I can't find this.", [], abstained=True),
        "kettle": Answer("kettle", "kettle", []),
        "zeppelin": Answer("zeppelin", "I can't find this.", [], abstained=True),
    }
    return FakeAssistant({"dense": dense, "hybrid": hybrid}, answers)


def test_run_eval_scores_each_mode_and_answers(
    settings: Settings, questions_file: Path, tmp_path: Path
) -> None:
    run = run_eval(
        questions_file,
        settings,
        modes=["dense", "hybrid"],
        answers=True,
        assistant=fake_assistant(),
        out=tmp_path / "run",
    )
    dense = run.summary["retrieval"]["dense"]["overall"]
    # dense ranks: 3, 1, 1 (of pages 1 and 2, found at 1 and 3), miss, miss
    assert dense["recall@1"] == 0.4 and dense["recall@3"] == 0.6 and dense["n"] == 5
    assert dense["mrr@10"] == round((1 / 3 + 1 + 1) / 5, 4)
    ideal_two = 1 + 1 / math.log2(3)
    ndcg = (1 / math.log2(4) + 1 + (1 + 1 / math.log2(4)) / ideal_two) / 5
    assert dense["ndcg@10"] == round(ndcg, 4)
    by_kind = run.summary["retrieval"]["dense"]["by_kind"]
    assert by_kind["multi-hop"]["recall@1"] == 1.0 and by_kind["multi-hop"]["n"] == 1
    assert by_kind["fact"]["n"] == 4 and by_kind["fact"]["recall@1"] == 0.25
    assert "out-of-scope" not in by_kind
    # hybrid returns page 1 of the expected file: right for q1, q3 and q5, a miss for q2 and q4
    hybrid = run.summary["retrieval"]["hybrid"]["overall"]
    assert hybrid["recall@1"] == hybrid["recall@10"] == 0.6
    answers = run.summary["answers"]
    # coverage: q1 1/2 ("kettle" only: "harbour" absent), q2 0, q3 1/2, q4 0 (abstained), q5 1
    assert answers["keyword_coverage"] == 0.4
    # answered answerable: q1 (cites alpha p1: yes), q2 (beta p2: no), q3 (beta p2: yes), q5 (no)
    assert answers["citation_accuracy"] == 0.5
    assert answers["abstention_precision"] == 0.5  # q4 and q6 abstained, only q6 should
    assert answers["abstention_recall"] == 1.0
    assert answers["false_abstention_rate"] == 0.2
    assert answers["answered"] == 4
    assert answers["latency_p50_ms"] >= 0 and answers["latency_p95_ms"] >= answers["latency_p50_ms"]


def test_run_eval_per_question_records(
    settings: Settings, questions_file: Path, tmp_path: Path
) -> None:
    run = run_eval(
        questions_file, settings, modes=["dense"], answers=True, assistant=fake_assistant(), k=2
    )
    assert run.out_dir.parent == settings.data_dir / "eval" / "runs"
    data = json.loads((run.out_dir / "results.json").read_text())
    first = data["per_question"][0]
    assert first["id"] == "q1"
    assert first["expected"] == {"source": "alpha.pdf", "pages": [1]}
    # k=2 cuts the list: the relevant hit at position 3 is not retrieved
    assert first["retrieved"]["dense"] == [
        {"source": "beta.pdf", "page": 1, "score": 0.5},
        {"source": "beta.pdf", "page": 1, "score": 0.5},
    ]
    assert first["rank"]["dense"] is None
    assert first["answer"] == "The Kettle. [1]" and first["abstained"] is False
    assert first["citations"][0]["source"] == "alpha.pdf" and first["citations"][0]["page"] == 1
    assert first["latency_ms"] >= 0
    assert data["per_question"][5]["rank"] == {}  # out of scope: no retrieval score
    assert data["summary"]["run"]["k"] == 2


def test_report_lists_worst_questions_first(
    settings: Settings, questions_file: Path, tmp_path: Path
) -> None:
    run = run_eval(
        questions_file, settings, modes=["dense"], assistant=fake_assistant(), out=tmp_path / "r"
    )
    report = (tmp_path / "r" / "report.md").read_text()
    assert "| method | R@1 | R@3 | R@5 | R@10 | MRR@10 | nDCG@10 |" in report
    assert "| dense | 0.400 | 0.600 | 0.600 | 0.600 | 0.467 |" in report
    rows = [ln for ln in report.splitlines() if ln.startswith("| q")]
    order = [r.split("|")[1].strip() for r in rows]
    # misses first (q4, q5 by id), then rank 3 (q1), then rank 1 (q2, q3), unscored q6 last
    assert order == ["q4", "q5", "q1", "q2", "q3", "q6"]
    assert (tmp_path / "r" / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run.files["chart"] == tmp_path / "r" / "report.png"


def test_unknown_mode_and_baseline(settings: Settings, questions_file: Path) -> None:
    with pytest.raises(EvalError, match="Unknown mode 'sparse': choose from dense, bm25, hybrid"):
        run_eval(questions_file, settings, modes=["sparse"], assistant=fake_assistant())
    with pytest.raises(EvalError, match="Unknown baseline 'fancy': choose from naive"):
        run_eval(questions_file, settings, baseline="fancy", assistant=fake_assistant())


# --- the command end to end (real ingest, retrieval and Chroma; keyword embedder) ---------------
def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["eval", *args])
    return result.exit_code, result.stdout, result.stderr


def test_eval_command_exact_figures(
    corpus: Path, questions_file: Path, fake_embeddings: KeywordEmbeddings, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    code, stdout, stderr = invoke(
        str(questions_file), "--corpus", str(corpus), "--baseline", "naive", "--answers",
        "--out", str(out), "--json",
    )  # fmt: skip
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert list(summary["retrieval"]) == [
        "hybrid",
        "dense",
        "bm25",
        "naive",
    ]  # hybrid first: the answers use it
    for method, scores in summary["retrieval"].items():
        assert scores["overall"] == EXPECTED_RETRIEVAL, method
    assert summary["questions"] == 6 and summary["unanswerable"] == 1
    assert summary["run"]["missing_sources"] == ["gamma.pdf"]  # q5 names a file not in it
    for value in summary["answers"].values():
        assert value is None or value >= 0
    for name in ("results.json", "report.md", "report.png"):
        assert (out / name).stat().st_size > 0
    records = json.loads((out / "results.json").read_text())["per_question"]
    q4 = records[3]["retrieved"]
    assert [(h["source"], h["page"]) for h in q4["bm25"]] == [("alpha.pdf", 3), ("beta.pdf", 3)]
    assert q4["naive"][0]["score"] >= q4["naive"][1]["score"]
    assert all("answer" in r and isinstance(r["abstained"], bool) for r in records)


def test_eval_index_is_separate_and_reused(
    corpus: Path,
    questions_file: Path,
    fake_embeddings: KeywordEmbeddings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    code, _, stderr = invoke(str(questions_file), "--corpus", str(corpus), "--mode", "bm25")
    assert code == 0, stderr
    indexes = [p for p in (data / "eval").iterdir() if p.name != "runs"]
    assert len(indexes) == 1 and (indexes[0] / "index.json").is_file()
    assert not (data / "chroma").exists()  # the main index is never touched

    def no_ingest(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged corpus must not be ingested again")

    with monkeypatch.context() as patch:
        patch.setattr("assistant.ingest.run.ingest", no_ingest)
        code, stdout, stderr = invoke(
            str(questions_file), "--corpus", str(corpus), "--mode", "dense"
        )
    assert code == 0, stderr
    assert "R@1" in stdout and "report.md" in stdout.replace("\n", "")
    write_pdf(corpus / "alpha.pdf", [*PAGES["alpha.pdf"], "A new page."])
    code, _, stderr = invoke(str(questions_file), "--corpus", str(corpus), "--mode", "dense")
    assert code == 0, stderr
    # the changed corpus gets a new index, and the stale one of the same folder is dropped
    after = [p for p in (data / "eval").iterdir() if p.name != "runs"]
    assert len(after) == 1 and after != indexes and (after[0] / "index.json").is_file()


def test_eval_warns_when_the_test_set_expects_a_file_the_corpus_lacks(
    corpus: Path, questions_file: Path, fake_embeddings: KeywordEmbeddings, tmp_path: Path
) -> None:
    (corpus / "beta.pdf").rename(tmp_path / "beta.pdf")
    out = tmp_path / "run"
    code, stdout, stderr = invoke(
        str(questions_file), "--corpus", str(corpus), "--mode", "bm25", "--out", str(out)
    )
    assert code == 0, stderr
    assert "Warning" in stdout and "beta.pdf" in stdout.replace("\n", "")
    summary = json.loads((out / "results.json").read_text())["summary"]
    assert summary["run"]["missing_sources"] == ["beta.pdf", "gamma.pdf"]
    report = (out / "report.md").read_text()
    assert "**Warning:** the test set expects beta.pdf, gamma.pdf" in report


def test_missing_sources_match_by_path_or_file_name() -> None:
    questions = [
        Question("a", "?", "deck.pdf", (1,)),
        Question("b", "?", "slides/notes.pptx", (2,)),
        Question("c", "?", None, ()),
        Question("d", "?", "gone.pdf", (1,)),
    ]
    indexed = ["handouts/deck.pdf", "slides/notes.pptx"]
    assert missing_sources(questions, indexed) == ["gone.pdf"]
    assert missing_sources(questions, []) == ["deck.pdf", "gone.pdf", "slides/notes.pptx"]
    # a deck indexed as .pptx answers for its .pdf export, as in retrieval
    assert missing_sources(questions, ["deck.pptx", "slides/notes.pptx"]) == ["gone.pdf"]


def test_a_twin_in_another_format_matches_the_expected_file() -> None:
    q = Question("a", "?", "deck.pdf", (14,))
    assert q.key("deck.pptx", "slides/deck.pptx", 14) == ("deck.pdf", 14)
    assert q.key("deck.pdf", "deck.pdf", 3) == ("deck.pdf", 3)
    assert q.key("other.pptx", "other.pptx", 14) == ("other.pptx", 14)
    assert q.key("deck-notes.pdf", "deck-notes.pdf", 14) == ("deck-notes.pdf", 14)


def test_index_fingerprint_follows_files_settings_and_embedder(
    corpus: Path, settings: Settings
) -> None:
    fake = KeywordEmbeddings(VOCABULARY)
    base = evaluate.index_fingerprint(corpus, settings, fake)
    assert evaluate.index_fingerprint(corpus, settings, fake) == base
    changed = settings.model_copy(update={"chunk_target_tokens": 99})
    assert evaluate.index_fingerprint(corpus, changed, fake) != base
    assert evaluate.index_fingerprint(corpus, settings, KeywordEmbeddings(["other"])) != base
    (corpus / "notes.md").write_text("# Notes\n\nLantern.\n")
    assert evaluate.index_fingerprint(corpus, settings, fake) != base


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.jsonl"], "Error: Test set not found: missing.jsonl"),
        (["{q}", "--mode", "dense,sparse"], "Error: Unknown mode 'sparse'"),
        (["{q}", "--baseline", "fancy"], "Error: Unknown baseline 'fancy'"),
        (["{q}", "--corpus", "no-such-folder"], "Error: Corpus folder not found: no-such-folder"),
        (["{bad}"], "Error: bad.jsonl:1: not valid JSON"),
    ],
)
def test_eval_command_errors_are_one_line(
    args: list[str], message: str, questions_file: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n")
    args = [a.format(q=questions_file, bad=bad) for a in args]
    code, stdout, stderr = invoke(*args)
    assert code == 1
    assert stderr.strip().startswith(message) or message in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert "Traceback" not in stderr + stdout


def test_eval_help_lists_options() -> None:
    result = CliRunner().invoke(app, ["eval", "--help"])
    assert result.exit_code == 0
    for option in ("--corpus", "--mode", "--answers", "--baseline", "--out", "--json", "--k"):
        assert option in result.stdout


def test_eval_on_an_empty_main_index_says_what_to_do(
    questions_file: Path, fake_embeddings: KeywordEmbeddings
) -> None:
    code, _, stderr = invoke(str(questions_file), "--mode", "hybrid")
    assert code == 1
    assert "is empty: run `rbp-assistant ingest` first, or pass --corpus DIR" in stderr


def test_naive_baseline_reads_pdf_pages_and_other_formats(corpus: Path) -> None:
    (corpus / "notes.md").write_text("# Notes\n\nThe compass and the glacier.\n")
    (corpus / ".hidden.md").write_text("# Hidden\n\nCompass glacier compass glacier.\n")
    with NaiveBaseline.build(corpus, KeywordEmbeddings(VOCABULARY)) as naive:
        hits = naive.search("compass glacier", k=3)
    assert hits[0].file_name == "notes.md" and hits[0].number is not None
    # cosine with the query (compass + glacier; |q| = sqrt 2): "Glacier notes here." (glacier +
    # 2 other words: |p| = sqrt 5) gives 1/sqrt(10); "Orchard and compass notes." (|p| = sqrt 6)
    # gives 1/sqrt(12). The reported score is 1 - d/2 of Chroma's squared L2 distance d.
    assert [(h.file_name, h.number) for h in hits[1:]] == [("beta.pdf", 2), ("alpha.pdf", 3)]
    assert hits[1].score == pytest.approx(1 / math.sqrt(10), abs=1e-4)
    assert hits[2].score == pytest.approx(1 / math.sqrt(12), abs=1e-4)
    assert all(h.file_name != ".hidden.md" for h in hits)


def test_two_evals_of_one_corpus_at_once_build_its_index_once(
    corpus: Path,
    fake_embeddings: KeywordEmbeddings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading
    import time

    from assistant.ingest import run as ingest_run

    real_ingest, calls = ingest_run.ingest, []

    def slow_ingest(*args: object, **kwargs: object) -> object:
        calls.append(1)
        time.sleep(0.5)  # the second eval arrives while the first is still building
        return real_ingest(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("assistant.ingest.run.ingest", slow_ingest)
    settings = Settings(data_dir=tmp_path / "data")
    built: list[Settings] = []

    def one_eval() -> None:
        built.append(evaluate.build_eval_index(corpus, settings, fake_embeddings))

    threads = [threading.Thread(target=one_eval) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(built) == 2
    assert built[0].data_dir == built[1].data_dir
    assert (built[0].data_dir / "index.json").is_file()
