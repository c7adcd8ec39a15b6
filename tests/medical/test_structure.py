"""Diagnosis/Treatment restructuring rules on examples."""

from __future__ import annotations

import pytest

from medtune.medical.structure import classify, sentences, structure


def test_sentences_respect_abbreviations() -> None:
    assert sentences("See Dr. Rao today. It is e.g. mild. Take care!") == [
        "See Dr. Rao today.",
        "It is e.g. mild.",
        "Take care!",
    ]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Hi, thanks for query.", "courtesy"),
        ("Hello, I have gone through your query.", "courtesy"),
        ("Your symptoms are suggestive of migraine.", "diagnosis"),
        ("It is likely due to a viral infection.", "diagnosis"),
        ("Take paracetamol 500 mg twice daily.", "treatment"),
        ("I would recommend you consult a cardiologist.", "treatment"),
        ("I recommend an ECG and an x-ray to rule out angina.", "diagnosis"),  # more diagnosis cues
        ("The weather was cold.", None),
    ],
)
def test_classify(sentence: str, kind: str | None) -> None:
    assert classify(sentence) == kind


def test_structure_builds_labelled_sections_from_the_answers_sentences() -> None:
    answer = (
        "Hi, thanks for query. Your symptoms are suggestive of acid reflux. It happens to many people. "
        "Take pantoprazole 40 mg before breakfast. Eat small meals. Hope this helps."
    )
    out, reason = structure(answer)
    assert reason is None
    assert out == (
        "Diagnosis: Your symptoms are suggestive of acid reflux. It happens to many people.\n"
        "Treatment: Take pantoprazole 40 mg before breakfast. Eat small meals."
    )


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("Hi. Take ibuprofen 400 mg after food. Apply ice twice a day.", "unstructured:no_diagnosis"),
        ("Hello. This is most likely a sprain. Do not worry.", "unstructured:no_treatment"),
        ("Hi there. Take care.", "unstructured:no_diagnosis"),
    ],
)
def test_structure_leaves_answers_without_both_sides_as_they_were(answer: str, reason: str) -> None:
    assert structure(answer) == (answer, reason)
