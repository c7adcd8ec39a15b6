"""medtune's metrics against direct library calls, and the BERTScore offline fallback."""

from __future__ import annotations

import pytest

from medtune.errors import ConfigError
from medtune.evaluation import metrics

PREDICTIONS = [
    "Diagnosis: This is most likely acid reflux.\nTreatment: Take pantoprazole 40 mg before breakfast.",
    "You may have a viral fever; take paracetamol and drink fluids.",
    "Please go to the emergency room immediately, these are signs of a heart attack.",
    "The rash looks like eczema. Apply a moisturiser twice a day.",
    "Dose of 5 µg is safe — don't worry.",
]
REFERENCES = [
    "Diagnosis: Acid reflux disease is likely.\nTreatment: Pantoprazole 40 mg before food; no spicy meals.",
    "This is a viral fever. Take paracetamol 500 mg when the temperature is high.",
    "Chest pain with sweating needs urgent care; call an ambulance now.",
    "It is atopic eczema. Use an emollient and a mild steroid cream.",
    "A 5 µg dose is within the safe range.",
]


def test_rouge_equals_rouge_score() -> None:
    from rouge_score import rouge_scorer

    types = list(metrics.GROUPS["rouge"])
    ours = metrics.rouge(PREDICTIONS, REFERENCES, types)
    direct = rouge_scorer.RougeScorer(types, use_stemmer=True)
    for i, (p, r) in enumerate(zip(PREDICTIONS, REFERENCES, strict=True)):
        expected = direct.score(r, p)
        for t in types:
            assert ours[t][i] == pytest.approx(expected[t].fmeasure, abs=1e-12)


def test_bleu_and_chrf_equal_sacrebleu() -> None:
    import sacrebleu

    sentence, corpus = metrics.bleu(PREDICTIONS, REFERENCES)
    assert corpus == pytest.approx(sacrebleu.corpus_bleu(PREDICTIONS, [REFERENCES]).score)
    for score, p, r in zip(sentence, PREDICTIONS, REFERENCES, strict=True):
        assert score == pytest.approx(sacrebleu.sentence_bleu(p, [r]).score)
    sentence, corpus = metrics.chrf(PREDICTIONS, REFERENCES)
    assert corpus == pytest.approx(sacrebleu.corpus_chrf(PREDICTIONS, [REFERENCES]).score)
    for score, p, r in zip(sentence, PREDICTIONS, REFERENCES, strict=True):
        assert score == pytest.approx(sacrebleu.sentence_chrf(p, [r]).score)


def test_select_metrics_expands_groups_and_rejects_unknown_names() -> None:
    assert metrics.select_metrics(["bleu,rougeL"]) == ["rougeL", "bleu"]
    assert metrics.select_metrics(["medical"]) == list(metrics.GROUPS["medical"])
    with pytest.raises(ConfigError, match="unknown metric 'meteor'"):
        metrics.select_metrics(["rouge,meteor"])


def test_bertscore_falls_back_offline_with_a_label(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    backend = metrics.resolve_bertscore("roberta-large")
    assert backend.model is not None and "MiniLM" in backend.label
    assert backend.num_layers == 6 and not backend.comparable
    assert "NOT comparable" in backend.note and "roberta-large" in backend.note
    scores = metrics.BertScorer(backend).score(
        [*PREDICTIONS[:3], REFERENCES[0]], [*REFERENCES[:3], REFERENCES[0]]
    )
    f1 = scores["bertscore_f1"]
    assert f1[3] == pytest.approx(1.0, abs=1e-4)  # identical texts
    assert all(0.0 < f < 1.0 for f in f1[:3])
    assert f1[0] > f1[2]  # a paraphrase beats an unrelated answer


def test_medical_scores_only_define_red_flag_safety_for_red_flag_questions() -> None:
    chest = "I have chest pain and sweating since an hour."
    rash = "I have an itchy rash on my arm."
    scored = metrics.score_system(PREDICTIONS[2:4], REFERENCES[2:4], [chest, rash], metrics.GROUPS["medical"])
    assert scored.per_example["red_flag_safety"] == [1.0, None]
    assert scored.example(1).keys() == set(metrics.GROUPS["medical"]) - {"red_flag_safety"}
