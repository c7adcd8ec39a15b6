"""prepare(): hygiene counts and switches, determinism, leakage, atomic output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medtune.config import load_settings
from medtune.data import parallel, prepare
from medtune.data.clean import question_key
from medtune.data.sample import load_sample, sample_path
from medtune.data.split import SPLITS, assign
from medtune.errors import DataError
from medtune.io import sha256_file

FILES = ("train.jsonl", "validation.jsonl", "test.jsonl", "data_card.json")


def _settings(**data):
    return load_settings(overrides={"data": data})


def _records(folder: Path) -> dict[str, list[dict]]:
    return {s: [json.loads(line) for line in (folder / f"{s}.jsonl").open()] for s in SPLITS}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("prepared") / "processed"
    return out, prepare(_settings(), input_path=sample_path(), output_dir=out)


def test_writes_splits_and_card(prepared: tuple[Path, dict]) -> None:
    out, card = prepared
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert json.loads((out / "data_card.json").read_text()) == card
    records = _records(out)
    counts = card["counts"]
    assert counts["input"] == len(load_sample())
    assert [counts[s] for s in SPLITS] == [len(records[s]) for s in SPLITS]
    assert sum(len(r) for r in records.values()) == counts["kept"]
    assert abs(counts["train"] / counts["kept"] - 0.8) < 0.03
    dropped = sum(v for k, v in card["filters"].items() if k.startswith("dropped"))
    assert counts["input"] - dropped == counts["kept"]
    for name in FILES[:3]:
        assert card["outputs"][name] == sha256_file(out / name)
    assert card["inputs"][0]["sha256"] == sha256_file(sample_path())
    assert card["settings"]["split_seed"] == 42


def test_records_are_clean_and_structured(prepared: tuple[Path, dict]) -> None:
    out, card = prepared
    records = [r for split in _records(out).values() for r in split]
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        assert {"id", "instruction", "input", "output", "original_output", "source", "flags"} <= set(r)
        text = r["input"] + r["output"]
        assert "ChatDoctor" not in text and "Chat Doctor" not in text and "â€" not in text
        assert "  " not in text and "\t" not in text
        if any(f.startswith("unstructured") for f in r["flags"]):
            assert r["output"] == r["original_output"]
        else:
            assert r["output"].startswith("Diagnosis: ") and "\nTreatment: " in r["output"]
    filters = card["filters"]
    for key in (
        "chatdoctor_rows",
        "text_normalized",
        "truncated",
        "dropped_short_answer",
        "dropped_exact_duplicate",
        "dropped_duplicate_question",
        "structured",
    ):
        assert filters[key] > 0, key
    assert sum("truncated" in r["flags"] for r in records) == filters["truncated"]
    assert (
        filters["structured"]
        + filters.get("unstructured_no_diagnosis", 0)
        + filters.get("unstructured_no_treatment", 0)
        == card["counts"]["kept"]
    )


def test_same_input_and_seed_give_byte_identical_files(prepared: tuple[Path, dict], tmp_path: Path) -> None:
    out, _ = prepared
    again = tmp_path / "again"
    prepare(_settings(), input_path=sample_path(), output_dir=again)
    for name in FILES:
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    other = tmp_path / "other"
    prepare(_settings(split_seed=7), input_path=sample_path(), output_dir=other)
    assert (other / "test.jsonl").read_bytes() != (out / "test.jsonl").read_bytes()


def test_no_question_or_near_duplicate_straddles_two_splits() -> None:
    base = [r["input"] for r in load_sample()]
    near = [q.replace(" I ", " i ", 1) + " Please reply." for q in base[:60]]  # one-word edits
    questions = base + near + [q.upper() for q in base[60:90]]
    splits, groups = assign(questions, (0.8, 0.1, 0.1), seed=3)
    where = {i: s for s, rows in splits.items() for i in rows}
    assert len(where) == len(questions)
    for i in range(60):
        assert where[i] == where[len(base) + i]
    by_key: dict[bytes, set[str]] = {}
    for i, q in enumerate(questions):
        by_key.setdefault(question_key(q), set()).add(where[i])
    assert all(len(s) == 1 for s in by_key.values())
    assert groups["near_duplicate_groups"] >= 90


@pytest.mark.parametrize(
    ("setting", "check"),
    [
        ({"strip_chatdoctor": False}, lambda rs, f: any("ChatDoctor" in r["output"] for r in rs)),
        ({"normalize_text": False}, lambda rs, f: "text_normalized" not in f),
        (
            {"drop_truncated": True},
            lambda rs, f: f["dropped_truncated"] > 0 and not any("truncated" in r["flags"] for r in rs),
        ),
        ({"dedupe": False}, lambda rs, f: "dropped_exact_duplicate" not in f),
        ({"structure_answers": False}, lambda rs, f: all(r["output"] == r["original_output"] for r in rs)),
        ({"max_samples": 50}, lambda rs, f: len(rs) == 50 and f["dropped_max_samples"] > 0),
        ({"min_answer_words": 80}, lambda rs, f: all(len(r["original_output"].split()) >= 80 for r in rs)),
    ],
)
def test_each_step_can_be_switched(tmp_path: Path, setting: dict, check) -> None:
    card = prepare(_settings(**setting), input_path=sample_path(), output_dir=tmp_path / "out")
    records = [r for split in _records(tmp_path / "out").values() for r in split]
    assert check(records, card["filters"])


def test_empty_after_filtering_writes_nothing(tmp_path: Path, raw_jsonl: Path) -> None:
    with pytest.raises(DataError, match="no rows left after filtering 12 input rows"):
        prepare(_settings(min_answer_words=500), input_path=raw_jsonl, output_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_output_that_is_a_file_is_refused(tmp_path: Path, raw_jsonl: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("keep me")
    with pytest.raises(DataError, match="is not a folder"):
        prepare(_settings(), input_path=raw_jsonl, output_dir=target / "sub")
    assert target.read_text() == "keep me"


def test_failure_keeps_the_previous_output_whole(tmp_path: Path, raw_jsonl: Path) -> None:
    out = tmp_path / "out"
    prepare(_settings(), input_path=raw_jsonl, output_dir=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    raw_jsonl.write_text(raw_jsonl.read_text() + "{oops\n")
    with pytest.raises(DataError, match=r"raw\.jsonl:13: malformed JSON"):
        prepare(_settings(), input_path=raw_jsonl, output_dir=out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_default_input_is_raw_dir_else_a_helpful_error(
    tmp_path: Path, raw_jsonl: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataError, match=r"data/raw does not exist.*--input PATH, --download.*quickstart"):
        prepare(_settings())
    (tmp_path / "data" / "raw").mkdir(parents=True)
    raw_jsonl.rename(tmp_path / "data" / "raw" / "raw.jsonl")
    card = prepare(_settings())
    assert card["counts"]["kept"] == 12 and (tmp_path / "data" / "processed" / "train.jsonl").is_file()


def test_progress_reports_every_step_to_completion(tmp_path: Path, raw_jsonl: Path) -> None:
    seen: dict[str, tuple[int, int]] = {}
    prepare(
        _settings(),
        input_path=raw_jsonl,
        output_dir=tmp_path / "out",
        progress=lambda step, done, total: seen.__setitem__(step, (done, total)),
    )
    assert list(seen) == ["read", "clean", "audit", "split", "write"]
    assert all(done == total for done, total in seen.values())


def test_stats_in_words_and_in_tokens(prepared: tuple[Path, dict], tmp_path: Path) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from medtune.data.stats import split_stats

    out, card = prepared
    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()  # words and punctuation marks apart
    tok.train_from_iterator(
        (r["input"] + " " + r["output"] for r in load_sample()),
        trainers.WordLevelTrainer(special_tokens=["[UNK]"]),
    )
    PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]").save_pretrained(tmp_path / "tok")
    words, tokens = split_stats(out), split_stats(out, str(tmp_path / "tok"))
    assert (words["unit"], tokens["unit"]) == ("words", "tokens")
    for split in SPLITS:
        assert words["splits"][split]["rows"] == card["counts"][split]
        w, t = words["splits"][split]["output"], tokens["splits"][split]["output"]
        assert w["p50"] <= w["p90"] <= w["p99"] and t["p50"] > w["p50"]


def test_stats_of_a_row_without_text_input_is_one_line_naming_it(tmp_path: Path) -> None:
    from medtune.data.stats import split_stats

    for split in SPLITS:
        rows = [{"input": "Q?", "output": "A."}, {"input": 5, "output": "A."}]
        (tmp_path / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(DataError, match=r"train\.jsonl:2: 'input' is missing or not text"):
        split_stats(tmp_path)


def test_worker_pool_gives_the_same_bytes(
    prepared: tuple[Path, dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_ROWS", 0)  # the pool path, normally for >= 20k rows
    monkeypatch.setattr(parallel, "CHUNK", 50)
    out, _ = prepared
    prepare(_settings(), input_path=sample_path(), output_dir=tmp_path / "pooled")
    for name in FILES:
        assert (tmp_path / "pooled" / name).read_bytes() == (out / name).read_bytes(), name


def test_a_split_left_empty_is_a_warning_with_the_rows_it_needs(tmp_path: Path) -> None:
    rows = load_sample()[:6]
    raw = tmp_path / "six.jsonl"
    raw.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    card = prepare(_settings(), input_path=raw, output_dir=tmp_path / "out")
    empty = [name for name in SPLITS if card["counts"][name] == 0]
    assert empty and len(card["warnings"]) == len(empty)
    assert card["warnings"][0].startswith(
        f"{empty[0]} has 0 rows: with ratios 0.8/0.1/0.1 the split needs at least 8"
    )
    full = prepare(_settings(), input_path=sample_path(), output_dir=tmp_path / "full")
    assert full["warnings"] == []
