"""The analysis report, built once as a small document and rendered twice: ``report.md``
(plots linked beside it) and a self-contained ``report.html`` (plots inlined as base64)."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

from medtune.analysis.error_types import ERROR_TYPES
from medtune.analysis.summary import Summary
from medtune.medical.specialty import DISPLAY_NAMES

SNIPPET_CHARS = 400
PLOT_CAPTIONS = {
    "metric_distributions.png": "Per-example metric distributions, fine-tuned vs base (dashed: means).",
    "error_types.png": "Share of examples with each error type.",
    "specialties.png": "Mean primary metric per specialty, with example counts.",
    "lengths.png": "Prediction vs reference length; dotted lines mark the too-short/too-long thresholds.",
}


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Image:
    path: Path
    caption: str


@dataclass
class Quote:
    label: str
    text: str


Block = str | Table | Image | Quote


@dataclass
class Section:
    title: str
    blocks: list[Block]


def _num(value: float | None, digits: int = 4) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(count: int, n: int) -> str:
    return f"{count} ({100 * count / n:.0f}%)" if n else str(count)


def _snippet(text: str) -> str:
    text = " ".join(text.split()) or "(empty)"
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS] + " …"


def build(summary: Summary, plots: list[Path], source: Path) -> list[Section]:
    """The report's sections."""
    s = summary
    base = bool(s.n_baseline)
    overview: list[Block] = [
        f"Predictions: `{source}` ({s.n_examples} examples"
        + (f", {s.n_baseline} with a baseline prediction)." if base else ", no baseline)."),
        f"Primary metric (ranks examples and specialties): `{s.primary_metric or 'none in the file'}`.",
    ]
    if s.metric_means:
        header = ["metric", "fine-tuned", *(["base", "delta"] if base else [])]
        rows = []
        for name, (tuned, b) in s.metric_means.items():
            extra = [_num(b), _num(None if b is None else tuned - b)] if base else []
            rows.append([name, _num(tuned), *extra])
        overview.append(Table(header, rows))

    header = ["error type", "fine-tuned", *(["base", "fixed", "introduced"] if base else []), "rule"]
    rows = []
    for t in ERROR_TYPES:
        extra = (
            [
                _pct(s.baseline_error_counts[t.name], s.n_baseline),
                str(s.fixed[t.name]),
                str(s.introduced[t.name]),
            ]
            if base
            else []
        )
        rows.append([t.title, _pct(s.error_counts[t.name], s.n_examples), *extra, t.rule])
    errors: list[Block] = [Table(header, rows)]
    if base:
        errors.insert(
            0,
            "Fixed: the base prediction had the error and the fine-tuned one does not; introduced: "
            "the reverse (same examples).",
        )

    if s.answers_to_review:
        named = ", ".join(f"{name} ({count})" for name, count in list(s.review_medications.items())[:10])
        share = _pct(s.answers_to_review, s.n_examples)
        errors.append(
            f"For review, not counted as errors: {share} of the answers name a medication found in "
            f"neither the question nor the reference: {named}."
        )

    metric = s.primary_metric
    scored = [f"mean {metric}", *(["base"] if base else [])] if metric else []
    header = ["specialty", "examples", *scored, "with errors"]
    rows = []
    for st in s.specialties:
        values = [_num(st.score), *([_num(st.baseline_score)] if base else [])] if metric else []
        rows.append([DISPLAY_NAMES[st.specialty], str(st.count), *values, f"{100 * st.error_share:.0f}%"])
    specialties: list[Block] = [
        "Specialty of each question (the reference answer as secondary evidence), routed by the rules in "
        "`medtune/medical/specialty.py`.",
        Table(header, rows),
    ]

    worst: list[Block] = []
    for r in s.worst:
        score = f"{s.primary_metric} {_num(r.scores.get(s.primary_metric))}; " if s.primary_metric else ""
        specialty = DISPLAY_NAMES.get(r.specialty, r.specialty)
        worst.append(f"**{r.id}** ({specialty}; {score}errors: {', '.join(r.errors) or 'none'})")
        worst += [Quote("question", _snippet(r.question)), Quote("prediction", _snippet(r.prediction))]
        worst.append(Quote("reference", _snippet(r.reference)))

    figures: list[Block] = [Image(p, PLOT_CAPTIONS.get(p.name, p.stem)) for p in plots]
    return [
        Section("Overview", overview),
        Section("Error types", errors),
        Section("Specialties", specialties),
        Section("Worst examples", worst),
        Section("Plots", figures),
    ]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(title: str, sections: list[Section]) -> str:
    """Markdown with plots linked by file name (they sit beside the report)."""
    out = [f"# {title}", ""]
    for section in sections:
        out += [f"## {section.title}", ""]
        for block in section.blocks:
            if isinstance(block, Table):
                out.append("| " + " | ".join(block.header) + " |")
                out.append("|" + "---|" * len(block.header))
                out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            elif isinstance(block, Image):
                out.append(f"![{block.caption}]({block.path.name})")
            elif isinstance(block, Quote):
                out.append(f"> *{block.label}:* {block.text}")
            else:
                out.append(block)
            out.append("")
    return "\n".join(out)


def _inline(text: str) -> str:
    """Escape text, then render the two inline marks the report uses: `code` and **bold**."""
    parts = html.escape(text).split("`")
    text = "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
    parts = text.split("**")
    return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))


_CSS = """body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}td,th{border:1px solid #ccc;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f2f2f2}img{max-width:100%}figure{margin:1.5em 0}
blockquote{margin:0.3em 0 0.3em 1em;padding-left:0.8em;border-left:3px solid #ccc;color:#444}"""


def to_html(title: str, sections: list[Section]) -> str:
    """One self-contained HTML page: every plot embedded as a base64 PNG."""
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for section in sections:
        out.append(f"<h2>{html.escape(section.title)}</h2>")
        for block in section.blocks:
            if isinstance(block, Table):
                head = "".join(f"<th>{_inline(h)}</th>" for h in block.header)
                body = "".join(
                    "<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in block.rows
                )
                out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
            elif isinstance(block, Image):
                data = base64.b64encode(block.path.read_bytes()).decode("ascii")
                alt = html.escape(block.caption)
                out.append(
                    f'<figure><img src="data:image/png;base64,{data}" alt="{alt}">'
                    f"<figcaption>{alt}</figcaption></figure>"
                )
            elif isinstance(block, Quote):
                out.append(
                    f"<blockquote><em>{html.escape(block.label)}:</em> {html.escape(block.text)}</blockquote>"
                )
            else:
                out.append(f"<p>{_inline(block)}</p>")
    out.append("</body></html>")
    return "\n".join(out)
