"""The urgent-care advice detector against hand-written answers (synthetic, not medical advice)."""

from __future__ import annotations

import pytest
from detector_scores import PRECISION_FLOOR, RECALL_FLOOR, score  # beside this file
from test_red_flags import NEW_CATEGORY_POSITIVE  # beside this file

from medtune import medical
from medtune.medical.urgency import urgent_care_sentence

URGENT_POSITIVE = [
    "Please go to the emergency room immediately.",
    "Call 911 or an ambulance right now.",
    "This needs immediate medical attention; please go to the nearest hospital.",
    "Rush him to the hospital as these are signs of a stroke.",
    "These symptoms could be a heart attack, so get to the ER right away.",
    "Please call your local emergency number.",
    "Seek urgent medical care.",
    "Take her to the nearest hospital without delay.",
    "Please contact a suicide helpline or go to the emergency department now.",
    "This is a medical emergency.",
    "Visit the casualty department of a nearby hospital immediately.",
    "You should see a doctor immediately.",
    "Please consult a neurologist urgently.",
    "Go to A&E as soon as you can.",
    "Please call 999.",
    "She needs emergency care for anaphylaxis; use the EpiPen and call an ambulance.",
    "Do not wait for the morning, go to the hospital now.",
    "Get help immediately from the nearest emergency services.",
    "Immediately consult a physician, this can be serious.",
    "You need to be evaluated in an emergency setting.",
    "Please visit the ER tonight.",
    "Dial 112 and keep him lying on his side.",
    "Contact a crisis line; you can call or text 988 any time.",
    "Urgent evaluation is required to rule out meningitis.",
    "Go straight to the emergency department.",
    "This requires prompt medical evaluation today.",
    "Don't delay, go to the nearest hospital.",
    "Take your father to the hospital immediately.",
    "I advise you to see your doctor today itself.",
    "Please seek emergency help.",
    "Kindly report to the emergency ward of any hospital.",
    "He should be taken to the hospital right away for a CT scan.",
    "Please get medical help right away.",
    "You must see a cardiologist immediately.",
    "Call for an ambulance and chew an aspirin while you wait.",
    "This bleeding needs urgent attention at a hospital.",
    "Please rush to the ER.",
    "Immediately go to a hospital with a neurology department.",
    "Please reach out to a mental health crisis team right now.",
    "Hi. Get yourself to the emergency room, this cannot wait.",
]

URGENT_NEGATIVE = [
    "There is no need to go to the emergency room for this.",
    "This is not an emergency; you can see your doctor next week.",
    "In case the fever persists beyond three days, consult a doctor.",
    "You can take emergency contraception within 72 hours.",
    "Consult a dermatologist at your convenience.",
    "You don't need to rush to the hospital.",
    "Take paracetamol and rest.",
    "Please see your doctor for a routine check-up.",
    "Follow up after two weeks with the reports.",
    "It does not require urgent care.",
    "Nothing to worry about, it is a common problem.",
    "Emergency treatment is not needed.",
    "Get an ultrasound done at your convenience.",
    "Consult a gynecologist for further evaluation.",
    "Drink plenty of fluids and take rest at home.",
    "You may visit an ENT specialist.",
    "If it recurs, see a doctor.",
    "There is no reason to go to the hospital now.",
    "This can be managed at home.",
    "Hope this helps.",
    "Please meet an orthopedic surgeon for an examination.",
    "Book an appointment with your family physician.",
    "You do not have to go to the ER for a mild allergic rash.",
    "It is not an urgent matter.",
    "Avoid oily food and take antacids.",
    "Regular exercise will help you.",
    "Once the swelling appears again, consult a surgeon.",
    "See your doctor if there is no improvement in a week.",
    "Emergency pills can cause irregular bleeding.",
    "Thanks for the query. It is a simple viral infection.",
    "Consult a psychiatrist for counselling and medication.",
    "Your reports look fine.",
    "You can get the test done next month.",
    "A hospital visit is not needed at this point.",
    "Get your blood sugar checked in the morning.",
    "Use the inhaler as prescribed.",
    "Please do not panic.",
    "Get a second opinion from another dentist.",
]

URGENT_POSITIVE += [
    "Please rush her to the emergency department now.",
    "Call an ambulance immediately; do not drive yourself.",
    "These are warning signs of a stroke, go to the hospital right away.",
    "You need immediate medical attention.",
    "Please take him to the ER.",
    "Go to the nearest emergency room without any delay.",
    "Please see a doctor urgently today.",
    "Call 911 now.",
    "This needs urgent evaluation in a hospital.",
    "Please reach a hospital immediately, this could be a heart attack.",
    "Talk to a crisis helpline right now and do not stay alone.",
    "Please seek emergency care.",
    "Take the child to the hospital immediately.",
    "He must be seen by a doctor immediately.",
    "Visit the emergency services at once.",
]

URGENT_NEGATIVE += [
    "You do not need to go to the emergency room for a common cold.",
    "If you get fever again, see a doctor.",
    "This is not an emergency, so relax.",
    "Consult a physician when convenient.",
    "Take an antacid after meals.",
    "Should the pain return, visit the hospital.",
    "No need to rush to the hospital.",
    "Emergency contraceptive pills should be taken within 72 hours.",
    "Get the X-ray done next week.",
    "Follow up with your pediatrician at the next visit.",
    "In case the rash spreads, meet a dermatologist.",
    "It is not necessary to go to the ER.",
    "Book an appointment with a neurologist.",
    "Rest at home and drink fluids.",
    "If the swelling does not improve in three days, see your doctor.",
]


#: Urgent-advice phrasings real answers use (own examples, same style).
PHRASING_POSITIVE = [
    "Kindly consult a pulmonologist immediately.",
    "You should immediately consult a neonatologist.",
    "Better to get him admitted and start IV fluids.",
    "She needs hospitalisation for these symptoms.",
    "This requires hospitalization and intravenous antibiotics.",
    "He should be admitted for observation.",
    "Don't wait at home, rush to the nearest emergency.",
    "Please rush to a pediatrician now.",
    "I suggest you see your dentist immediately to stop the spread of infection.",
    "Visit ER and get an ECG done.",
    "It is better to take her to urgent care today.",
    "Report to the obstetrician ASAP.",
    "Call 108 for an ambulance.",
    "Urgently consult her doctor and get a Doppler scan done.",
    "This needs immediate evaluation, kindly see your doctor without delay.",
    "Consult a pediatrician as soon as possible for an examination.",
    "You need to be examined by a surgeon IMMEDIATELY.",
]
#: Conditional advice stated for warning signs counts (the guide's definition).
CONDITIONAL_POSITIVE = [
    "If the pain increases, go to the emergency room immediately.",
    "If the pain gets worse, go to the ER.",
    "Should you develop any breathing difficulty, go to the hospital.",
    "In case the bleeding increases, rush her to the hospital.",
    "Visit the emergency room if you develop swelling of the lips or difficulty breathing.",
]
#: Routine advice, tests, and mentions that are not advice.
PHRASING_NEGATIVE = [
    "Consult a doctor.",
    "Get these tests done as early as possible.",
    "Do not wait longer, get the ultrasound done.",
    "Emergency contraception works best within 72 hours.",
    "There is no need to go to the ER.",
    "There is no emergency, take your time.",
    "Your child may require hospitalization if pneumonia develops.",
    "The tests done in the ER were normal.",
    "Your ER and PR status is positive, so hormonal tablets will help.",
    "Take the tablet immediately after food.",
    "Quit smoking as soon as possible.",
    "Consult a psychiatrist as early as possible.",
    "You do not need to rush to the hospital for a mild fever.",
    "It does not require urgent care.",
    "Delivery in a hospital is preferable.",
    "Should the pain return, visit the hospital.",
]


def test_urgent_care_precision_recall() -> None:
    positive = URGENT_POSITIVE + PHRASING_POSITIVE + CONDITIONAL_POSITIVE
    precision, recall = score(medical.advises_urgent_care, positive, URGENT_NEGATIVE + PHRASING_NEGATIVE)
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR


@pytest.mark.parametrize("answer", PHRASING_POSITIVE + CONDITIONAL_POSITIVE)
def test_urgent_phrasings_and_warning_sign_advice_count(answer: str) -> None:
    assert medical.advises_urgent_care(answer)


@pytest.mark.parametrize("answer", PHRASING_NEGATIVE)
def test_routine_advice_and_mentions_do_not_count(answer: str) -> None:
    assert not medical.advises_urgent_care(answer)


@pytest.mark.parametrize("sign", list(medical.RED_FLAGS))
def test_urgent_care_sentence_names_each_sign_and_is_detected(sign: str) -> None:
    sentence = urgent_care_sentence([sign])
    assert sentence.startswith(
        f"Because you describe {sign}, please go to the nearest emergency department now"
    )
    assert medical.advises_urgent_care(sentence)


def test_urgent_care_sentence_lists_several_signs_once() -> None:
    signs = ["chest pain with sweating", "a seizure", "chest pain with sweating", "vomiting blood"]
    assert urgent_care_sentence(signs).startswith(
        "Because you describe chest pain with sweating, a seizure and vomiting blood, please go"
    )


@pytest.mark.parametrize("signs", [[], ["a headache"]])
def test_urgent_care_sentence_needs_registry_signs(signs: list[str]) -> None:
    with pytest.raises(ValueError, match="RED_FLAGS"):
        urgent_care_sentence(signs)


def test_urgent_care_sentence_never_names_a_sign_the_question_lacks() -> None:
    names = list(medical.RED_FLAGS)
    assert not [(a, b) for a in names for b in names if a != b and a in b]  # no name hides inside another
    for question, _ in NEW_CATEGORY_POSITIVE:
        signs = medical.red_flags(question)
        sentence = urgent_care_sentence(signs)
        assert [name for name in names if name in sentence] == signs
