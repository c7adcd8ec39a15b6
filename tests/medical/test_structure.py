"""Diagnosis/Treatment restructuring on examples written for this test (synthetic)."""

from __future__ import annotations

import pytest

from medtune import medical
from medtune.medical.structure import assign, structure


def sections(answer: str) -> dict[str, str | None]:
    return dict(assign(answer))


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


def test_investigations_go_under_diagnosis_and_referrals_under_treatment() -> None:
    answer = (
        "This looks like a kidney stone. An ultrasound of the abdomen will confirm it. "
        "Drink plenty of water. Please see a urologist."
    )
    placed = sections(answer)
    assert placed["An ultrasound of the abdomen will confirm it."] == "diagnosis"
    assert placed["Drink plenty of water."] == "treatment"
    assert placed["Please see a urologist."] == "treatment"


@pytest.mark.parametrize(
    ("sentence", "section"),
    [
        # a cue inside another word or phrase is no cue
        ("After the tooth extraction, avoid ice cream and hot drinks for a day.", "treatment"),
        ("The ice cream you ate did not cause this gastritis.", "diagnosis"),
        ("Steroid creams can be used for two weeks.", "treatment"),
        ("This can be a simple muscle strain.", "diagnosis"),
        ("The infection can take the shortest route to the sinus.", "diagnosis"),
        ("Your report suggests a fatty liver.", "diagnosis"),
        ("I suggest you apply a warm compress.", "treatment"),
        ("The rest of your report is normal and shows mild anemia.", "diagnosis"),
    ],
)
def test_cues_never_match_inside_other_words_or_phrases(sentence: str, section: str) -> None:
    answer = f"{sentence} It may be an early infection. Take paracetamol for the pain."
    assert sections(answer)[sentence] == section


def test_courtesy_is_left_out_but_medical_text_glued_to_it_is_kept() -> None:
    answer = (
        "Thanks for the query If you have pain in the gums then it is probably due to plaque. "
        "Brush twice daily and use a chlorhexidine mouthwash. Regards."
    )
    assigned = assign(answer)
    assert ("Thanks for the query", None) in assigned
    assert ("If you have pain in the gums then it is probably due to plaque.", "diagnosis") in assigned
    assert ("Regards.", None) in assigned
    assert structure(answer)[1] is None


def test_a_sentence_with_a_diagnosis_and_a_treatment_is_cut_between_them() -> None:
    assert assign("It is likely a sprain, so rest and apply ice.") == [
        ("It is likely a sprain,", "diagnosis"),
        ("so rest and apply ice.", "treatment"),
    ]


def test_other_sentences_follow_their_neighbours_and_loops_are_left_out() -> None:
    answer = (
        "Do not worry. This is a viral fever. It lasts a few days. Give paracetamol every six hours. "
        "Take care to take care to take care to take care to take care to take care."
    )
    assigned = assign(answer)
    assert assigned[0] == ("Do not worry.", "diagnosis")  # before the first section: the next one
    assert assigned[2] == ("It lasts a few days.", "diagnosis")
    assert assigned[-1][1] is None


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


@pytest.mark.parametrize(
    "answer",
    [
        "It is likely a sprain, so rest and apply ice.",
        "Your cough is due to a post nasal drip. Steam inhalation helps. See a doctor if it persists.",
        "Get an x-ray done. If it shows a fracture, a cast will be needed.",
        "Take rest. Take rest. Take rest.",
    ],
)
def test_structuring_and_the_detectors_agree(answer: str) -> None:
    _, reason = structure(answer)
    if medical.has_diagnosis(answer):
        assert reason != "unstructured:no_diagnosis"
    if medical.has_treatment(answer):
        assert reason != "unstructured:no_treatment"
