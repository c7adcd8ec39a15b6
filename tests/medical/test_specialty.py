"""The specialty classifier: the guide's 18 ids, its routing rules and each failure class it fixed,
on short questions written for these tests."""

from __future__ import annotations

from collections import Counter

import pytest
from specialty_examples import LABELLED  # beside this file (rootdir-relative import)

from medtune.data.sample import load_sample
from medtune.medical.specialty import (
    DISPLAY_NAMES,
    GENERAL,
    SPECIALTIES,
    classify_specialty,
    specialty_id,
)

#: The labelling guide's ids, in its order.
GUIDE_IDS = (
    "general", "cardiology", "pulmonology", "gastroenterology", "neurology", "psychiatry", "dermatology",
    "orthopedics", "urology_nephrology", "obstetrics_gynecology", "pediatrics", "ent", "dentistry",
    "endocrinology", "infectious_disease", "ophthalmology", "oncology", "hematology",
)  # fmt: skip
#: Accuracy floors (measured when written: 88/90 hand-labelled, 296/360 on the bundled sample).
LABELLED_FLOOR = 0.95
SAMPLE_FLOOR = 0.78


def _accuracy(pairs: list[tuple[str, str]]) -> tuple[float, list[str]]:
    misses = []
    for label, question in pairs:
        got = classify_specialty(question)
        if got != label:
            misses.append(f"{label} -> {got}: {question[:70]}")
    return 1 - len(misses) / len(pairs), misses


def test_ids_are_the_guide_ids_with_a_display_name_each() -> None:
    assert SPECIALTIES == GUIDE_IDS
    assert set(DISPLAY_NAMES) == set(SPECIALTIES)
    assert DISPLAY_NAMES["obstetrics_gynecology"] == "Obstetrics & gynecology"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("obstetrics & gynecology", "obstetrics_gynecology"),
        ("Urology & nephrology", "urology_nephrology"),
        ("urology/nephrology", "urology_nephrology"),
        ("ENT", "ent"),
        ("infectious disease", "infectious_disease"),
        ("hematology", "hematology"),
        ("surgery", None),
    ],
)
def test_specialty_id_reads_other_spellings(label: str, expected: str | None) -> None:
    assert specialty_id(label) == expected


def test_labelled_examples_cover_every_specialty() -> None:
    counts = Counter(label for label, _ in LABELLED)
    assert set(counts) == set(SPECIALTIES)
    assert min(counts.values()) >= 5


def test_accuracy_on_hand_labelled_questions() -> None:
    accuracy, misses = _accuracy(LABELLED)
    print(f"\nspecialty accuracy on {len(LABELLED)} hand-labelled questions: {accuracy:.1%}")
    print("\n".join(misses))
    assert accuracy >= LABELLED_FLOOR


def test_accuracy_on_bundled_sample_labels() -> None:
    """The synthetic sample carries its generator's specialty: an independent label set with
    distractor sentences (history, medication, family) the hand-written set lacks."""
    rows = load_sample()
    pairs = [(specialty_id(r["specialty"]) or r["specialty"], r["input"]) for r in rows]
    accuracy, _ = _accuracy(pairs)
    print(f"\nspecialty accuracy on {len(rows)} bundled sample questions: {accuracy:.1%}")
    assert accuracy >= SAMPLE_FLOOR


@pytest.mark.parametrize(
    "question",
    [
        "I feel tired and weak all day even after sleeping 8 hours, what tests should I get?",
        "I have been feeling unwell for a week, nothing specific, just no energy.",
        "Can I take amoxicillin and paracetamol together, and should it be after food?",
        "I had a full body check up, my cholesterol is 215, fasting sugar 104 and ECG normal. Is all ok?",
        "Three weeks after my hernia operation there is pain and a bulge near the stitches on my belly.",
        "I have a soft painless lump under the skin of my forearm that moves, my doctor says it is a lipoma.",
        "The lymph nodes in my neck and armpits have been swollen for two weeks, no pain.",
        "I am allergic to bee stings and got stung an hour ago, my hand is swollen. What should I take?",
        "I have varicose veins and my legs feel heavy by evening, what can I do?",
        "",
    ],
)
def test_general_questions_are_not_pulled_into_an_organ(question: str) -> None:
    """Tiredness, vague malaise, medication questions, check-ups and what no list entry owns
    (hernias, lipomas, lymph nodes, allergies, varicose veins) go to general."""
    assert classify_specialty(question) == GENERAL


def test_a_check_up_stays_general_when_the_answer_names_organs() -> None:
    question = "I am 45 and want a complete body check up this year. Which tests should I do?"
    answer = "Get an ECG, lipid profile, thyroid profile, kidney and liver function tests and a chest x-ray."
    assert classify_specialty(question, answer) == GENERAL


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I have breast cancer and am on chemo, since yesterday I have loose motions.", "oncology"),
        ("My father has lung cancer spread to his bones and now his back pain is severe.", "oncology"),
        ("There is a small bump on my nose, I am scared it could be skin cancer.", "dermatology"),
        ("I had thyroid cancer removed ten years ago. Now my knee hurts when I climb stairs.", "orthopedics"),
        ("My hemoglobin is 7.9 and I get breathless and tired, my doctor says it is anemia.", "hematology"),
        ("I bruise very easily and my small cuts keep bleeding for hours.", "hematology"),
        ("My vision is blurry in one eye and I see dark floaters.", "ophthalmology"),
    ],
)
def test_cancer_blood_and_eye_questions_have_their_specialty(question: str, expected: str) -> None:
    """A diagnosed cancer owns the question; a feared one, or one in the past, does not."""
    assert classify_specialty(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("My 5 year old has a rash on his arms and a mild fever since yesterday.", "pediatrics"),
        ("My son is 3 and has a cough with wheezing at night.", "pediatrics"),
        ("My 13 year old daughter gets headaches after school every day.", "pediatrics"),
        ("My baby is 7 months old and vomits after every feed.", "pediatrics"),
        ("My 4 year old has a black tooth and the gum above it is swollen.", "dentistry"),
        ("My 3 year old snores loudly and the doctor says his adenoids are enlarged.", "ent"),
        ("My 15 year old son has pimples all over his face.", "dermatology"),
        ("I am 35 and have a 2 year old. For three days I have had burning urine.", "urology_nephrology"),
        ("I am breastfeeding my 4 month old and have an itchy rash on my arms.", "dermatology"),
        ("When I was 10 I had asthma. Now I am 30 and get heartburn after every meal.", "gastroenterology"),
        ("I have two kids aged 5 and 7, and since a week I have lower back pain.", "orthopedics"),
        ("I am 20 weeks pregnant and my 2 year old has chicken pox. Is it risky?", "obstetrics_gynecology"),
    ],
)
def test_children_go_to_pediatrics_unless_surgery_owns_the_organ(question: str, expected: str) -> None:
    """A child (13 or under, first age stated) goes to pediatrics, a child's tooth to dentistry
    and adenoids to ENT; an adult or pregnant writer who mentions a child is the patient."""
    assert classify_specialty(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "I am 24 weeks pregnant and have severe lower back pain since morning.",
        "I am 30 weeks pregnant and get breathless climbing stairs.",
        "During my pregnancy my sugar is 180 after meals, is insulin safe for the baby?",
        "I think I am pregnent, my period is late by 10 days.",
        "I am not pregnant, the test was negative, but I have had no period for two months.",
    ],
)
def test_pregnancy_owns_the_question(question: str) -> None:
    """Pregnancy owns what it comes with, and women's-health words keep their topic negated."""
    assert classify_specialty(question) == "obstetrics_gynecology"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I am not diabetic and my blood pressure is normal. My knee hurts on stairs.", "orthopedics"),
        ("I have hypothyroidism and take thyroxine 50 mcg daily. My gums bleed when I brush.", "dentistry"),
        ("I don't have fever or cough. My right testicle is swollen and painful.", "urology_nephrology"),
        ("I have a history of asthma. For a week my stomach burns after meals.", "gastroenterology"),
    ],
)
def test_negated_normal_and_background_terms_weigh_less(question: str, expected: str) -> None:
    assert classify_specialty(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I have chest pains and cant breathe properly when I walk fast.", "cardiology"),
        ("I can't breathe well at night and I wheeze, my inhaler does not help.", "pulmonology"),
        ("I have diarhea and a stomache since two days after eating outside.", "gastroenterology"),
        ("my 2yr old has loose motions since morning", "pediatrics"),
        ("i dont want to live anymore and keep thinking of killing myself", "psychiatry"),
        ("Sir my wife is having irregular mensturation and pain in lower abdomen", "obstetrics_gynecology"),
    ],
)
def test_patient_spelling_plurals_and_apostrophes(question: str, expected: str) -> None:
    assert classify_specialty(question) == expected


def test_the_answer_is_secondary_evidence() -> None:
    vague = "I have had this problem for a while, what could it be?"
    assert classify_specialty(vague) == GENERAL
    psoriasis = "This is psoriasis; apply a steroid ointment to the skin."
    assert classify_specialty(vague, psoriasis) == "dermatology"
    knee = "My knee is swollen after a fall while running."
    assert classify_specialty(knee, "Take paracetamol; see a doctor if the fever persists.") == "orthopedics"


def test_a_tie_goes_to_the_complaint_mentioned_first() -> None:
    assert classify_specialty("I have ear pain and a toothache.") == "ent"
    assert classify_specialty("I have a toothache and ear pain.") == "dentistry"
