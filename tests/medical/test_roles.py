"""The shared sentence-role classifier (synthetic examples written for this test)."""

from __future__ import annotations

import pytest

from medtune.medical import answers, roles, structure


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("Your symptoms are suggestive of migraine.", "diagnosis"),
        ("Your ECG is normal.", "diagnosis"),  # interprets a finding
        ("Take paracetamol 500 mg twice daily.", "treatment"),
        ("Metformin lowers the sugar by reducing glucose output.", "treatment"),  # about a treatment
        ("Please consult a gastroenterologist.", "referral"),
        ("Get a complete blood count and an ultrasound done.", "investigation"),
        ("I hope you understand.", "other"),
        ("Have you had this before?", "other"),
    ],
)
def test_role_of_a_sentence(sentence: str, role: str) -> None:
    assert roles.read(sentence)[0].role == role


def test_questions_count_for_nothing_but_advice_glued_after_one_does() -> None:
    asked = roles.read("Is it a fungal infection? Are you taking any antibiotics?")
    assert not any(s.diagnosis or s.treatment for s in asked)
    glued = roles.read("Any fever?take paracetamol 500 mg if it rises.")
    assert glued[0].treatment


def test_greetings_and_sign_offs_are_not_kept() -> None:
    read = roles.read("Hello dear, thanks for writing in. It is a sprain. Rest it. Wishing you good health.")
    assert [s.kept for s in read] == [False, True, True, False]


def test_repeated_sentences_and_loops_are_not_kept_and_count_for_nothing() -> None:
    read = roles.read("Take antibiotics. Take antibiotics. Take antibiotics.")
    assert [s.kept for s in read] == [True, False, False]
    loop = roles.read("It could be due to be due to be due to be due to be due to be due to an infection.")
    assert not loop[0].kept and not loop[0].diagnosis


def test_an_answer_is_read_once_for_the_audit_and_for_structuring() -> None:
    answer = "This looks like an ear infection. Use the antibiotic drops thrice daily for a week."
    roles.read.cache_clear()
    answers.has_diagnosis(answer)
    answers.has_treatment(answer)
    structure.structure(answer)
    info = roles.read.cache_info()
    assert (info.misses, info.hits) == (1, 3)
