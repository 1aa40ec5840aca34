"""Rendering an evaluation run (see :mod:`assistant.evaluate.run`): Markdown report, chart, console.

Everything here reads the ``summary`` and ``per_question`` records that ``results.json`` holds, so
a report can be re-rendered from a saved run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: Answer metrics in report order, with their labels.
ANSWER_METRICS = {
    "keyword_coverage": "Keyword coverage",
    "citation_accuracy": "Citation accuracy",
    "abstention_precision": "Abstention precision",
    "abstention_recall": "Abstention recall",
    "false_abstention_rate": "False-abstention rate",
    "latency_p50_ms": "Latency p50 (ms)",
    "latency_p95_ms": "Latency p95 (ms)",
    "kw": "Key facts anywhere (kw)",
    "kw40": "Key facts in the first 40 words (kw40)",
    "first": "First sentence holds a key fact (first)",
    "median_words": "Median answer words",
    "opens_with_heading_share": "Answers opening with a heading, title or date",
    "has_heading_share": "Answers holding a heading",
    "has_fragment_share": "Answers holding a sentence fragment",
    "has_source_line_share": 'Answers holding a "Source:" line',
}
#: Answer-quality figures per retrieval mode and answerer (``summary['answer_quality']``).
QUALITY_METRICS = (
    "kw",
    "kw40",
    "first",
    "median_words",
    "opens_with_heading_share",
    "has_heading_share",
    "has_fragment_share",
    "has_source_line_share",
)
#: Questions detailed at the end of the report.
MAX_DETAILS = 15


def metric_label(name: str) -> str:
    """``recall@5`` -> ``R@5``, ``mrr@10`` -> ``MRR@10``, ``ndcg@10`` -> ``nDCG@10``."""
    base, _, cut = name.partition("@")
    short = {"recall": "R", "mrr": "MRR", "ndcg": "nDCG"}.get(base, base)
    return f"{short}@{cut}" if cut else short


def method_label(method: str, summary: dict[str, Any]) -> str:
    return f"{method} (baseline)" if method == summary["run"].get("baseline") else method


def metric_names(summary: dict[str, Any]) -> list[str]:
    for scores in summary["retrieval"].values():
        return [n for n in scores["overall"] if n != "n"]
    return []


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3f}"
    return str(value)


def _fmt_ms(value: Any) -> str:
    return "n/a" if value is None else f"{float(value):.0f}"


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


# --- ordering ------------------------------------------------------------------------------------
def badness(rec: dict[str, Any], modes: Sequence[str]) -> float:
    """How badly the system did on a question (higher is worse), for "worst first" ordering.

    Answerable: ``1 - mean reciprocal rank over the modes`` (a miss counts 0) plus, when answers
    were run, ``1 - keyword coverage``, 0.5 for citing no expected page and 1 for abstaining.
    Unanswerable: 2 when it was answered instead of abstaining, else 0.
    """
    if not rec["answerable"]:
        return 2.0 if rec.get("abstained") is False else 0.0
    ranks = [rec["rank"].get(m) for m in modes]
    rrs = [1.0 / r if r else 0.0 for r in ranks]
    score = 1.0 - (sum(rrs) / len(rrs) if rrs else 0.0)
    if "answer" in rec:
        score += 1.0 - rec["keyword_coverage"]
        score += 0.0 if rec["cites_expected"] else 0.5
        score += 1.0 if rec["abstained"] else 0.0
    return score


def worst_first(per_question: Sequence[dict[str, Any]], modes: Sequence[str]) -> list[dict]:
    return sorted(per_question, key=lambda r: (-badness(r, modes), r["id"]))


# --- Markdown ------------------------------------------------------------------------------------
def markdown(summary: dict[str, Any], per_question: Sequence[dict[str, Any]]) -> str:
    """The whole ``report.md``."""
    run = summary["run"]
    methods = list(summary["retrieval"])
    lines = ["# Evaluation report", ""]
    lines += _header(summary)
    lines += ["", "## Retrieval", ""]
    lines += [
        f"Means over the {summary['answerable']} answerable questions. A hit matches when its file "
        "and page/slide are expected; a question's rank is the position of the first matching hit "
        f"in the top {run['k']} as returned (R@k: rank <= k).",
        "",
    ]
    names = metric_names(summary)
    rows = [
        [method_label(m, summary)] + [_fmt(summary["retrieval"][m]["overall"][n]) for n in names]
        for m in methods
    ]
    lines += _table(["method", *map(metric_label, names)], rows)
    lines += ["", "## Retrieval by kind of question", ""]
    lines += _by_kind(summary, methods, names)
    if "answers" in summary:
        lines += ["", "## Answers", ""]
        lines += _answers(summary)
    lines += ["", "## Questions, worst first", ""]
    ordered = worst_first(per_question, run["modes"])
    lines += _question_table(ordered, methods, "answers" in summary)
    details = [r for r in ordered if badness(r, run["modes"]) > 0][:MAX_DETAILS]
    if details:
        lines += ["", "## Details of the weakest questions", ""]
        for rec in details:
            lines += _details(rec, methods)
    return "\n".join(lines) + "\n"


def _header(summary: dict[str, Any]) -> list[str]:
    run = summary["run"]
    lines = [
        f"- Test set: `{run['test_set']}`: {summary['questions']} questions "
        f"({summary['answerable']} answerable, {summary['unanswerable']} not answered by the "
        "documents)",
        f"- Corpus: `{run['corpus']}`" if run.get("corpus") else "- Corpus: the main index",
    ]
    if run.get("index"):
        lines.append(f"- Index: `{run['index']}`")
    if run.get("baseline_corpus"):
        lines.append(f"- Baseline ({run['baseline']}) built from `{run['baseline_corpus']}`")
    if run.get("answerer"):
        lines.append(f"- Answerer: {run['answerer']}")
    if run.get("missing_sources"):
        lines.append(f"- **Warning:** {missing_warning(run['missing_sources'])}")
    lines.append(f"- Started {run['started']}, took {run['seconds']} s")
    return lines


def _by_kind(summary: dict[str, Any], methods: Sequence[str], names: Sequence[str]) -> list[str]:
    rows = []
    kinds = sorted({k for m in methods for k in summary["retrieval"][m]["by_kind"]})
    for kind in kinds:
        for m in methods:
            scores = summary["retrieval"][m]["by_kind"].get(kind)
            if scores:
                rows.append(
                    [kind, scores["n"], method_label(m, summary)] + [_fmt(scores[n]) for n in names]
                )
    return _table(["kind", "n", "method", *map(metric_label, names)], rows)


def _answers(summary: dict[str, Any]) -> list[str]:
    answers = summary["answers"]
    rows = [[label, _answer_value(key, answers)] for key, label in ANSWER_METRICS.items()]
    notes = [
        "",
        "Keyword coverage: share of a question's answer keywords found in the answer, averaged "
        "over answerable questions. Citation accuracy: share of answered questions citing an "
        "expected page/slide. Abstention precision/recall: over questions the documents do not "
        "answer. False-abstention rate: share of answerable questions that got no answer.",
    ]
    return _table(["metric", "value"], rows) + notes + _quality(summary)


def _quality(summary: dict[str, Any]) -> list[str]:
    """Answer quality per answerer and retrieval mode, when the run measured it."""
    quality = summary.get("answer_quality") or {}
    rows = [
        [answerer, mode, str(figures.get("n", 0)), *(_fmt(figures.get(k)) for k in QUALITY_METRICS)]
        for answerer, by_mode in quality.items()
        for mode, figures in by_mode.items()
    ]
    if not rows:
        return []
    return [
        "",
        *_table(["answerer", "mode", "n", *QUALITY_METRICS], rows),
        "",
        "kw: share of a question's key facts anywhere in the answer; kw40: in its first 40 "
        "words; first: share of answers whose first sentence holds a key fact; the shares count "
        'answers holding a heading or title, a cut sentence or a "Source:" line (answered '
        "answerable questions only).",
    ]


def _answer_value(key: str, answers: dict[str, Any]) -> str:
    value = answers.get(key)
    return _fmt_ms(value) if key.endswith("_ms") else _fmt(value)


def _where(rec: dict[str, Any]) -> str:
    exp = rec["expected"]
    if exp["source"] is None:
        return "(not in the documents)"
    return f"{exp['source']} p{','.join(str(p) for p in exp['pages'])}"


def _question_table(
    ordered: Sequence[dict[str, Any]], methods: Sequence[str], answers: bool
) -> list[str]:
    header = ["id", "kind", "expected", *(f"rank {m}" for m in methods)]
    if answers:
        header += ["keywords", "cites expected", "abstained", "ms"]
    header.append("question")
    rows = []
    for rec in ordered:
        row: list[Any] = [rec["id"], rec["kind"], _where(rec)]
        row += [_rank(rec, m) for m in methods]
        if answers:
            row += [
                _fmt(rec.get("keyword_coverage")),
                {True: "yes", False: "no", None: "-"}[rec.get("cites_expected")],
                "yes" if rec.get("abstained") else "no",
                _fmt_ms(rec.get("latency_ms")),
            ]
        row.append(rec["question"])
        rows.append(row)
    return _table(header, rows)


def _rank(rec: dict[str, Any], method: str) -> str:
    if not rec["answerable"]:
        return "-"
    rank = rec["rank"].get(method)
    return "miss" if rank is None else str(rank)


def _details(rec: dict[str, Any], methods: Sequence[str]) -> list[str]:
    lines = [f"### {rec['id']} ({rec['kind']})", "", f"> {rec['question']}", ""]
    lines.append(f"- Expected: {_where(rec)}")
    for m in methods:
        top = rec["retrieved"].get(m, [])[:3]
        shown = ", ".join(f"{h['source']} p{h['page']}" for h in top) or "nothing"
        lines.append(f"- Top 3 {m} (rank {_rank(rec, m)}): {shown}")
    if "answer" in rec:
        text = " ".join(str(rec["answer"]).split())
        short = text if len(text) <= 400 else text[:400] + "..."
        flag = " (abstained)" if rec["abstained"] else ""
        lines.append(f"- Answer{flag}: {short}")
        cited = ", ".join(f"{c['source']} p{c['page']}" for c in rec["citations"]) or "none"
        lines.append(f"- Cited: {cited}")
    return lines + [""]


# --- chart ---------------------------------------------------------------------------------------
def chart(summary: dict[str, Any], path: Path) -> None:
    """Grouped bars of the retrieval metrics per method (plus answer rates when present)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    answers = summary.get("answers")
    panels = 2 if answers else 1
    fig = Figure(figsize=(6.5 * panels, 4.2), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, panels, squeeze=False)[0]
    names = metric_names(summary)
    methods = list(summary["retrieval"])
    width = 0.8 / max(1, len(methods))
    for i, method in enumerate(methods):
        values = [summary["retrieval"][method]["overall"][n] for n in names]
        xs = [j + (i - (len(methods) - 1) / 2) * width for j in range(len(names))]
        hatch = "//" if method == summary["run"].get("baseline") else None
        bars = axes[0].bar(xs, values, width, label=method_label(method, summary), hatch=hatch)
        axes[0].bar_label(bars, fmt="%.2f", fontsize=6, padding=1)
    axes[0].set_xticks(range(len(names)), [metric_label(n) for n in names])
    axes[0].set_ylim(0, 1.22)
    axes[0].set_title(f"Retrieval ({summary['answerable']} answerable questions)")
    axes[0].legend(fontsize=8, loc="upper center", ncols=len(methods), frameon=False)
    if answers:
        rates = [k for k in list(ANSWER_METRICS)[:5] if answers.get(k) is not None]
        bars = axes[1].bar(range(len(rates)), [answers[k] for k in rates], color="tab:gray")
        axes[1].bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
        labels = [ANSWER_METRICS[k].replace(" ", "\n", 1) for k in rates]
        labels = [f"{lb}\n(lower is better)" if "false" in lb.lower() else lb for lb in labels]
        axes[1].set_xticks(range(len(rates)), labels, fontsize=8)
        axes[1].set_ylim(0, 1.1)
        axes[1].set_title(f"Answers ({summary['run'].get('answerer') or 'default answerer'})")
    fig.savefig(path, dpi=120)


# --- console -------------------------------------------------------------------------------------
def print_summary(summary: dict[str, Any], files: dict[str, Path]) -> None:
    """The retrieval (and answer) tables on the terminal, then where the report is."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    names = metric_names(summary)
    table = Table(title=f"Retrieval: {summary['answerable']} answerable questions")
    table.add_column("method")
    for n in names:
        table.add_column(metric_label(n), justify="right")
    for m, scores in summary["retrieval"].items():
        table.add_row(method_label(m, summary), *(_fmt(scores["overall"][n]) for n in names))
    console.print(table)
    if "answers" in summary:
        answers = Table(title=f"Answers: {summary['run'].get('answerer') or ''}".strip(": "))
        answers.add_column("metric")
        answers.add_column("value", justify="right")
        for key, label in ANSWER_METRICS.items():
            answers.add_row(label, _answer_value(key, summary["answers"]))
        console.print(answers)
    for label, path in files.items():
        console.print(f"{label}: {path}")
    if summary["run"].get("missing_sources"):
        warning = escape(missing_warning(summary["run"]["missing_sources"]))
        console.print(f"[bold]Warning:[/bold] {warning}")


def missing_warning(sources: Sequence[str]) -> str:
    """One sentence for test-set files that are not in the index."""
    names = ", ".join(sources)
    return (
        f"the test set expects {names}, which the index does not hold, so those questions score "
        "0. Check --corpus."
    )
