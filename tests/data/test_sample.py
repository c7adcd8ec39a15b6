"""The bundled sample: size, spread, lengths, noise, and that its generator rebuilds it."""

from __future__ import annotations

import re
from collections import Counter

import synthetic  # tools/synthetic.py (pytest puts tools/ on the path)

from medtune.data.clean import is_truncated, question_key
from medtune.data.sample import load_sample, sample_path
from medtune.data.template import DEFAULT_INSTRUCTION


def test_sample_is_lavita_schema_with_enough_rows_and_specialties() -> None:
    rows = load_sample()
    assert len(rows) >= 300
    assert all({"instruction", "input", "output"} <= set(r) for r in rows)
    assert {r["instruction"] for r in rows} == {DEFAULT_INSTRUCTION}
    assert len({r["specialty"] for r in rows}) >= 12


def test_sample_lengths_are_realistic() -> None:
    rows = load_sample()
    questions = [len(r["input"].split()) for r in rows]
    answers = [len(r["output"].split()) for r in rows if len(r["output"].split()) > 2]  # noise rows aside
    assert all(30 <= n <= 200 for n in questions)
    assert all(40 <= n <= 250 for n in answers)


def test_sample_carries_the_real_datas_noise() -> None:
    rows = load_sample()
    answers = [r["output"] for r in rows]
    text = " ".join(r["input"] + " " + r["output"] for r in rows)
    assert re.search(r"[a-z]ChatDoctor[a-z]", text), "ChatDoctor inside a word"
    assert "Chat Doctor" in text and "Hi, ChatDoctor." in text
    assert "â€™" in text, "mojibake"
    assert re.search(r"\S  +\S|\t|\n", text), "stray whitespace"
    truncated = sum(is_truncated(" ".join(a.split())) for a in answers if a.strip())
    assert 0.10 <= truncated / len(rows) <= 0.25
    pairs = Counter((r["input"], r["output"]) for r in rows)
    assert any(n > 1 for n in pairs.values()), "exact duplicates"
    keys = Counter(question_key(r["input"]) for r in rows)
    assert sum(n > 1 for n in keys.values()) > sum(n > 1 for n in pairs.values()), "near duplicates"
    assert any(len(a.split()) < 3 for a in answers), "empty/short answers"


def test_sample_has_emergencies_with_urgent_advice() -> None:
    urgent = [r for r in load_sample() if "emergency" in r["output"].lower()]
    assert len(urgent) >= 15
    assert {r["specialty"] for r in urgent} >= {"cardiology", "neurology", "psychiatry", "infectious_disease"}


def test_generator_rebuilds_the_committed_file(tmp_path) -> None:
    rebuilt = synthetic.write(tmp_path / "sample.jsonl", synthetic.compose(synthetic.SAMPLE_ROWS))
    assert rebuilt.read_bytes() == sample_path().read_bytes()


def test_sample_is_labelled_synthetic() -> None:
    readme = (sample_path().parent / "README.md").read_text()
    assert "SYNTHETIC" in readme and "NOT MEDICAL ADVICE" in readme
