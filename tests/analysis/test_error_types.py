"""Each error type on crafted predictions: one that must be flagged, one that must not."""

from __future__ import annotations

import pytest

from medtune.analysis.error_types import (
    ERROR_NAMES,
    ERROR_TYPES,
    detect_errors,
    fixed_and_introduced,
    is_cut_off,
    unsupported_medications,
)
from medtune.evaluation.repetition import repeated_share

QUESTION = (
    "I am 35 and have had a throbbing headache on one side of my head for two weeks, with nausea "
    "and sensitivity to light. Painkillers help a little. What is the cause and treatment?"
)
REFERENCE = (
    "Hello. Your symptoms are suggestive of migraine. Keep a headache diary and avoid triggers such as "
    "missed meals and poor sleep. Take naproxen 500 mg at the start of an attack and rest in a dark "
    "room. If the headaches become more frequent, see a neurologist for preventive treatment."
)
GOOD = (
    "Hi. A one-sided throbbing headache with nausea and light sensitivity is suggestive of migraine. "
    "Take naproxen 500 mg when the headache starts, rest in a dark quiet room, and keep a diary of "
    "triggers such as skipped meals or poor sleep. See a neurologist if the attacks get more frequent."
)
STRUCTURED_REFERENCE = (
    "Diagnosis: migraine with nausea.\nTreatment: naproxen 500 mg at onset, rest in a dark room."
)
RED_FLAG_QUESTION = (
    "My father, 58, has crushing chest pain for an hour with heavy sweating and the pain spreads to his "
    "left arm. What should we do?"
)
RED_FLAG_REFERENCE = (
    "This could be a heart attack. Call an ambulance or go to the nearest hospital emergency immediately. "
    "Chew one aspirin 325 mg while waiting if he is not allergic."
)


def errors(
    prediction: str, *, question: str = QUESTION, reference: str = REFERENCE, finished=True
) -> list[str]:
    return detect_errors(question, reference, prediction, finished)


def test_good_answer_has_no_errors() -> None:
    assert errors(GOOD) == []


def test_every_type_is_documented_once() -> None:
    assert len(set(ERROR_NAMES)) == len(ERROR_TYPES) == 10
    assert all(t.title and len(t.rule) > 20 for t in ERROR_TYPES)


@pytest.mark.parametrize("prediction", ["", "   \n ", "...", "—"])
def test_empty_output_is_only_empty(prediction: str) -> None:
    assert errors(prediction, finished=False) == ["empty"]


def test_cut_off_uses_finished_flag_then_the_data_rule() -> None:
    assert "cut_off" in errors(GOOD, finished=False)
    assert "cut_off" not in errors(GOOD, finished=True)
    assert is_cut_off("Take naproxen 500 mg and rest in a dark", None)
    assert not is_cut_off("Take naproxen 500 mg and rest (in a dark room).", None)
    # the data pipeline's rule: a sign-off or a typographic closing quote ends an answer too
    assert not is_cut_off("Take naproxen 500 mg. Regards, Dr. Rao", None)
    assert not is_cut_off("Ask your doctor about \u201cmigraine\u201d", None)
    # finished=True wins over a missing full stop
    assert not is_cut_off("Take naproxen and rest", True)


def test_repetition_loop() -> None:
    loop = "Take naproxen for migraine headache. " * 6
    assert repeated_share(loop) > 0.6
    assert "repetition" in errors(loop)
    assert "repetition" in errors("migraine " * 40)
    assert repeated_share(GOOD) < 0.05
    assert "repetition" not in errors(GOOD)
    # too short to call a loop
    assert "repetition" not in errors("No no no no.")


def test_far_shorter_and_far_longer() -> None:
    short = "Suggestive of migraine. Take naproxen 500 mg."
    assert "too_short" in errors(short)
    assert "too_long" not in errors(short)
    long = GOOD + " " + GOOD.replace("Hi.", "Also,") + " " + GOOD.replace("Hi.", "Again,")
    assert "too_long" in errors(long)
    assert "too_short" not in errors(long)
    assert not {"too_short", "too_long"} & set(errors(GOOD))


def test_off_topic() -> None:
    off = (
        "Brush your teeth twice a day with fluoride toothpaste and floss daily. "
        "A dental cleaning every six months prevents gum disease and cavities."
    )
    assert "off_topic" in errors(off)
    # on topic although it shares few words with the question alone: the reference's words count too
    assert "off_topic" not in errors("Suggestive of migraine. Keep a diary, avoid triggers, naproxen helps.")
    # too few content words to judge
    assert "off_topic" not in errors("Please consult.")


def test_missing_diagnosis_only_when_reference_has_one() -> None:
    no_dx = "Take naproxen 500 mg at the start of the headache and rest in a dark room."
    assert "missing_diagnosis" in errors(no_dx)
    assert "missing_diagnosis" not in errors(GOOD)
    plain_reference = "Take naproxen 500 mg at the start and rest in a dark room. Keep a diary."
    assert "missing_diagnosis" not in errors(no_dx, reference=plain_reference)


def test_missing_treatment_only_when_reference_has_one() -> None:
    no_tx = "Your symptoms are suggestive of migraine, a common cause of one-sided headache with nausea."
    assert "missing_treatment" in errors(no_tx)
    assert "missing_treatment" not in errors(GOOD)
    dx_only_reference = "This sounds like migraine, which is common and not dangerous."
    assert "missing_treatment" not in errors(no_tx, reference=dx_only_reference)


def test_lost_structure() -> None:
    structured = "Diagnosis: migraine.\nTreatment: naproxen 500 mg at onset and rest in a dark room."
    assert "lost_structure" in errors(GOOD, reference=STRUCTURED_REFERENCE)
    assert "lost_structure" not in errors(structured, reference=STRUCTURED_REFERENCE)
    # an unstructured reference cannot be "lost"
    assert "lost_structure" not in errors(GOOD)


def test_missed_red_flag() -> None:
    calm = "This is probably muscle strain. Take rest and apply a warm compress to the chest."
    urgent = "This may be a heart attack. Call an ambulance or go to the nearest hospital immediately."
    assert "missed_red_flag" in errors(calm, question=RED_FLAG_QUESTION, reference=RED_FLAG_REFERENCE)
    assert "missed_red_flag" not in errors(urgent, question=RED_FLAG_QUESTION, reference=RED_FLAG_REFERENCE)
    # the same calm answer to a question without emergency signs is not a missed red flag
    assert "missed_red_flag" not in errors(calm)


def test_unsupported_medication_is_for_review_not_an_error() -> None:
    extra = GOOD + " You can also take amoxicillin 500 mg three times a day."
    assert unsupported_medications(QUESTION, REFERENCE, extra) == ["amoxicillin"]
    assert errors(extra) == errors(GOOD) == []
    # naproxen is in the reference; a brand of a drug the question names is supported too
    assert unsupported_medications(QUESTION, REFERENCE, GOOD) == []
    question = QUESTION.replace("Painkillers", "Tylenol")
    assert unsupported_medications(question, REFERENCE, GOOD + " Paracetamol also helps.") == []


def test_fixed_and_introduced() -> None:
    fixed, introduced = fixed_and_introduced(["cut_off", "off_topic", "empty"], ["cut_off", "too_long"])
    assert fixed == ["empty", "off_topic"]
    assert introduced == ["too_long"]
    assert fixed_and_introduced([], []) == ([], [])
