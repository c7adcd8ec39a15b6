"""The red-flag question detector against hand-written questions (synthetic, not medical advice)."""

from __future__ import annotations

import pytest
from detector_scores import PRECISION_FLOOR, RECALL_FLOOR, score  # beside this file

from medtune import medical
from medtune.medical.red_flags import _ALL_WORDS, _Question

RED_FLAG_POSITIVE = [
    "I have severe chest pain and I am sweating a lot, what should I do?",
    "My father has chest pressure and shortness of breath since 30 minutes.",
    "Pain in my chest that is going down my left arm, I am 55 and diabetic.",
    "I have chest tightness and I cannot breathe properly.",
    "My mother's face is drooping on one side and her speech is slurred.",
    "Suddenly I can't move my right arm and my face feels numb.",
    "My husband woke up with weakness on the left side of his body.",
    "I have the worst headache of my life, it came on suddenly.",
    "I have been having suicidal thoughts for the past week.",
    "I want to die, nothing makes sense anymore.",
    "Sometimes I feel like killing myself.",
    "My daughter has been cutting herself and says she wants to end her life.",
    "I took an overdose of my sleeping pills an hour ago.",
    "I am vomiting blood since morning.",
    "My wife is bleeding heavily after delivery.",
    "The cut on my hand is bleeding and it won't stop even after pressing.",
    "I have black tarry stools and feel dizzy.",
    "I coughed up blood twice today.",
    "After eating peanuts my throat is swelling and I feel it closing.",
    "My tongue is swollen after a bee sting.",
    "My lips are swollen and I have difficulty breathing after taking an antibiotic.",
    "I think I am having anaphylaxis after the injection.",
    "My son has a high fever and a stiff neck and is vomiting.",
    "Fever of 103 F with neck stiffness and headache.",
    "My baby has fever and a rash that doesn't fade when pressed.",
    "I can't breathe and my lips are turning blue.",
    "My grandmother is gasping for air.",
    "My father collapsed and is unresponsive.",
    "My brother passed out in the bathroom and hit his head.",
    "My 30 year old wife had her first seizure today.",
    "He lost consciousness for a few minutes after the fall.",
    "I am soaking a pad every hour and passing clots.",
    "Crushing chest pain with sweating and nausea.",
    "Sudden loss of vision in one eye and confusion.",
    "My dad's speech became slurred an hour ago.",
    "I have been thinking about suicide a lot lately.",
    "I feel there is no reason to live and I want to hurt myself.",
    "My child threw up blood this morning.",
    "Chest pain radiating to my jaw with breathlessness.",
    "Severe difficulty breathing since last night, I can barely breathe.",
    "My face and eyes are swollen after eating shrimp and I am short of breath.",
    "Severe bleeding from my nose that is not stopping for an hour.",
]

RED_FLAG_NEGATIVE = [
    "I have no chest pain but I feel tired all the time.",
    "Mild chest pain when I press on my ribs, no sweating, no breathlessness.",
    "I have a headache and a runny nose since two days.",
    "I am not suicidal, just feeling low after my breakup.",
    "I have never had thoughts of harming myself, but I cannot sleep.",
    "I have fever and body ache but no stiff neck.",
    "My son has a fever of 100 F and a cough.",
    "I sweat a lot at night, is it normal?",
    "I get short of breath when I climb stairs since I gained weight.",
    "My neck is stiff after sleeping in a bad position.",
    "I had a small cut that bled a little and then stopped.",
    "I have blood streaks in the stool with constipation.",
    "My gums bleed while brushing.",
    "Light spotting between periods for two months.",
    "I have itchy red rash on my arms.",
    "My lips are dry and cracked.",
    "Pimples on my face are not going away.",
    "I feel dizzy when I stand up quickly.",
    "My father had a heart attack five years ago and is now fine; what diet should he follow?",
    "My knee pain is worse when climbing stairs.",
    "I have acid reflux and a burning sensation in the stomach.",
    "My child has loose motions since yesterday.",
    "Is it safe to take paracetamol in pregnancy?",
    "I have a lump on my neck that does not hurt.",
    "My periods are irregular and I have acne.",
    "I have back pain radiating to my leg.",
    "My mother denies any chest pain or breathlessness but has swollen feet.",
    "I have been feeling sad and anxious; no thoughts of self-harm.",
    "What is the normal range of TSH?",
    "My 2 year old has a cold and a mild fever.",
    "My throat is sore and I have difficulty swallowing food.",
    "I have a burning sensation when passing urine.",
    "I have hair loss and dandruff.",
    "I feel numbness in my toes for months, I am diabetic.",
    "I have a toothache and my cheek is slightly swollen.",
    "My blood pressure is 150/95, should I take medicine?",
    "Can masturbation cause weakness?",
    "I have mild wheezing with colds but no difficulty breathing.",
    "I had heavy periods last month, now they are normal.",
    "I have chest pain when I cough, without sweating or shortness of breath.",
    "What are the side effects of metformin?",
    "My sperm count is low, what should I do?",
]

RED_FLAG_POSITIVE += [
    "My husband is sweating and has chest pain going to his left arm, he is 60.",
    "Since this morning my mom cannot speak properly and her mouth is drooping.",
    "I keep thinking of ending my life and I have pills at home.",
    "My son is vomiting blood and looks pale.",
    "I got stung by a wasp and my tongue is swelling.",
    "My daughter has a high fever and her neck is stiff, she cries when we bend it.",
    "My father suddenly collapsed at dinner and is not responding.",
    "I am unable to breathe properly and my lips look bluish.",
    "My wife had a miscarriage and is bleeding heavily with clots.",
    "Heavy chest pressure and shortness of breath while resting.",
    "He suddenly developed weakness on the right side and slurred speech.",
    "I want to kill myself, I am tired of everything.",
    "My baby had a seizure for the first time today with fever.",
    "I coughed up blood this morning and feel weak.",
    "Her face and lips are swollen after a new medicine and she is wheezing and short of breath.",
]

RED_FLAG_NEGATIVE += [
    "I had chest pain a year ago, my ECG was normal, what exercise can I do?",
    "My son has fever and cold since yesterday, no stiff neck, eating well.",
    "I feel low sometimes but I have no suicidal thoughts.",
    "My nose bled for two minutes and stopped on its own.",
    "Can I take ibuprofen for a headache?",
    "I get breathless when I run for more than 5 km.",
    "My neck is stiff after a long drive.",
    "My lips swell slightly when I eat mango, no breathing issues.",
    "I have heartburn after spicy food.",
    "What is the treatment for dandruff?",
    "I fainted once during a blood test two years ago.",
    "My periods are heavier than usual this month.",
    "I have pain in my left arm after lifting weights at the gym.",
    "Is it normal to sweat a lot in summer?",
    "My grandmother has mild memory loss.",
]


# -- failure classes seen on real questions (own examples, same style) ------------------------------

#: Plural and apostrophe-less forms.
SPELLING_POSITIVE = [
    "my baby 20 days old has temp 100.8 since morning",
    "sir my husband is getting fits since morning 3 times",
    "i am feeling very breathless and cant even talk properly",
    "Doctor pls help my husband is having chest pain since 1 hour and sweating alot, he is 55",
    "my 9 month old baby has temprature of 102 since morning and not feeding",
    "I took 25 tablets of my antidepressant an hour ago, feeling sleepy",
    "I have chest pains and sweats since one hour, pls help",
    "my husband cant breathe and his lips are blue",
    "she can t breathe properly at all since morning",
    "im having chest pains and shortness of breaths",
    "I have been having sucide thoughts alot",
    "my son swallowd a coin 2 hours ago",
    "hi doc im 30 weeks pregnant and have servere pain in my tummy",
    "my dad coughed up bloody phlem this morning and hes weak",
]
#: Word orders the old patterns did not cover.
WORD_ORDER_POSITIVE = [
    "my hearts starts paining and I am sweating a lot",
    "sweating and breathing became difficult, also pain in my chest",
    "since last night heavy feeling in the chest and i am breathless",
    "out of nowhere his left arm and leg went numb",
    "left side of her face drooping and words coming out jumbled",
]
#: Emergencies the guide lists beyond the first eight categories, with the sign each must name.
NEW_CATEGORY_POSITIVE = [
    (
        "My father's legs are getting weaker every day and now he cant stand or walk",
        "severe or rapidly worsening weakness",
    ),
    ("My 3 year old swallowed a button battery, what should we do?", "a swallowed or inhaled object"),
    ("My daughter drank kerosene by mistake and is coughing", "a possible poisoning"),
    ("My son took 30 of his sleeping pills", "a possible overdose"),
    ("We inhaled fumes from a gas leak and my wife is confused now", "breathing in toxic fumes"),
    (
        "After the fall my foot is cold and pale and I cant feel my toes",
        "a cold or discoloured limb after an injury",
    ),
    ("He hit his head on the floor and now he is very drowsy", "drowsiness after a head injury"),
    ("After the accident he is disoriented and doesnt remember what happened", "confusion or disorientation"),
    (
        "My BP is 240/120 and I have a severe headache and blurred vision",
        "very high blood pressure with symptoms",
    ),
    ("I am 12 weeks pregnant and bleeding heavily with big clots", "heavy bleeding in or after pregnancy"),
    (
        "I'm 8 months pregnant and have severe pain in my lower abdomen",
        "severe or worsening pain in or after pregnancy",
    ),
    ("34 weeks pregnant and the baby has not moved since yesterday", "reduced baby movements in pregnancy"),
    ("My 15 year old son has sudden severe pain in his left testicle", "sudden severe testicular pain"),
    (
        "Severe stomach pain since morning, my belly is hard like a board",
        "severe abdominal pain with a hard, swollen or tender belly",
    ),
    ("my 2 month old baby has a fever of 101", "fever in a baby"),
    ("My 6 year old has high fever and is very drowsy and floppy", "high fever with drowsiness or weakness"),
    ("fever and a purple rash that does not fade when pressed", "fever with a rash that does not fade"),
    ("high fever and a stiff neck, she cant bear the light", "fever with a stiff neck"),
    ("My grandfather collapsed in the bathroom", "fainting or collapse"),
    ("My son had a fit this morning, his whole body was jerking", "a seizure"),
    ("He is unconscious and not responding to us", "loss of consciousness"),
    ("I have the worst headache of my life, it came on suddenly", "a sudden severe headache"),
    ("My mother is acting strange since yesterday", "a change in behaviour"),
    ("I have black tarry stools and feel dizzy", "black stools"),
    ("I have been throwing up blood since morning", "vomiting blood"),
    ("My dad coughed up bloody phlegm twice today", "coughing up blood"),
    ("My lips and tongue swelled up after eating prawns", "swelling of the tongue or throat"),
    ("I think I am having a severe allergic reaction to the injection", "a severe allergic reaction"),
    ("Her face is swollen and she is wheezing and short of breath", "facial swelling with breathlessness"),
    ("Heavy bleeding from my nose for an hour, it won't stop", "heavy or unstoppable bleeding"),
    ("Chest pain spreading to my jaw while climbing stairs", "chest pain spreading to the arm, jaw or back"),
    ("He got an electric shock and now has chest pain", "chest pain after an electric shock"),
    ("I have constant chest pain since yesterday", "severe or persistent chest pain"),
    ("chest pain and my bp is very high", "chest pain with high blood pressure"),
    ("My 4 day old baby is bleeding from the cord", "bleeding in a newborn"),
    ("Severe abdominal pain and vomiting since last night", "severe abdominal pain with vomiting"),
    (
        "Severe pain in my stomach after my colonoscopy yesterday",
        "severe abdominal pain after a procedure or surgery",
    ),
    (
        "My wife has severe pain in her belly and she cannot stand straight",
        "severe abdominal pain with trouble standing or walking",
    ),
    ("Suddenly I lost vision in my right eye", "sudden loss of vision"),
    ("He couldnt move his arm for a few minutes this morning", "a sudden loss of movement or function"),
    ("My husband has not passed urine since yesterday and his belly hurts", "being unable to pass urine"),
    ("I want to end my life", "suicidal thoughts or self-harm"),
    ("crushing pain in my chest and I am drenched in sweat", "chest pain with sweating"),
    ("pain in the middle of my chest and I am short of breath", "chest pain with breathlessness"),
    ("left sided chest pain and my left arm is numb", "chest pain with a numb arm"),
    ("my mother suddenly felt weakness in her right leg", "sudden weakness or numbness"),
    ("he has numbness on the left side of his body", "one-sided weakness or numbness"),
    ("his mouth is drooping on one side", "a drooping face"),
    ("her speech is slurred since an hour", "slurred or lost speech"),
    ("my son is struggling to breathe and his lips look blue", "severe breathlessness"),
    ("my daughter fell and hit her head, now she keeps vomiting", "vomiting after a head injury"),
    (
        "severe stomach cramps and blood in my stool since this morning",
        "severe abdominal pain with bloody stools",
    ),
    ("passing blood in stool and feeling very dizzy", "bloody stools with weakness or dizziness"),
    ("terrible pain in my side and I have been vomiting non stop", "severe pain with non-stop vomiting"),
    (
        "stomach pain since yesterday and the painkillers are not helping",
        "abdominal pain that painkillers do not relieve",
    ),
    (
        "her lips are swollen and her tonsils are swollen too",
        "swelling of the lips or face with a swollen throat",
    ),
    (
        "32 weeks pregnant, pain under my right ribs and blurry vision",
        "possible pre-eclampsia signs late in pregnancy",
    ),
    ("my wife is on chemo and has a fever of 101 since evening", "fever during chemotherapy"),
    ("I am having chemotherapy and my gums are bleeding a lot", "bleeding during chemotherapy"),
    ("my grandfathers temperature is 94 F and he is shivering", "a very low body temperature"),
    ("two weeks postpartum and soaking a pad every hour", "heavy bleeding in or after pregnancy"),
    ("my wife is 8 month pregnent and bleeding since morning", "bleeding late in pregnancy"),
    ("our 12 days old baby is not feeding since last night", "a newborn not feeding"),
]
#: Chronic, stable, past or already-assessed versions, and other near misses: NOT red flags.
CHRONIC_NEGATIVE = [
    "I get occasional breathlessness for the past 6 months when I climb stairs",
    "I had a sharp chest twinge for a few seconds, nothing else",
    "My neck is stiff since I slept wrongly, no fever",
    "I had a seizure as a child, now I am 30 and fine, can I drive?",
    "I have epilepsy for 10 years, seizures are controlled on medicine",
    "I fainted once two years ago during a blood test",
    "I have had chest pains on and off for years, ECG was normal",
    "My father had a stroke in 2015 and has left side weakness since then",
    "My hands go numb sometimes when I sleep on them",
    "I am confused about my blood test report",
    "Is it safe to take paracetamol in pregnancy?",
    "I coughed up a small streak of blood once after a cold",
    "My stools are black since I started iron tablets",
    "I have heavy periods every month",
    "Could I be pregnant? I have mild cramps",
    "My 5 year old has a mild fever and a runny nose",
    "I can't breathe through my nose because of a cold",
    "I had food poisoning last week, now I feel fine",
    "My neck hurts after working on the computer",
    "My blood pressure is 140/90, should I take medicine?",
    "I have severe acne on my face",
    "I have been feeling a little confused whether to take the vaccine",
    "My son swallowed his chewing gum, is that ok?",
    "I finished chemotherapy five years ago, can I start running again?",
    "I am 30 weeks pregnant, is it safe to fly?",
    "I am 8 weeks pregnant and I have mild cramps",
    "My temperature is 97.5 F in the morning, is that normal?",
    "I had chest pain for years but now I only get heartburn",
    "My mother had severe pain in her knee after the knee replacement 2 years ago, now it is fine",
    "Is it normal to have spotting in early pregnancy? I am 6 weeks",
    "I am on chemotherapy, can I eat eggs?",
    "I took 2 tablets of dolo 650 at once by mistake, is it harmful?",
    "Can stress cause chest tightness? I have exams",
    "I have been vomiting since morning after eating outside food, no blood",
    "My blood pressure was 180/100 once at the clinic but I feel fine",
    "Heavy bleeding during periods since last 6 months, what should I do?",
    "My grandfather is 85 and gets confused in the evenings since a few years",
    "My lips are swollen after a dental injection, no breathing problem",
    "My father is on blood thinners and his urine is slightly pink",
    "I am 7 months pregnant and have back pain while sleeping",
    "My one year old fell from the sofa and cried, no vomiting, playing normally now",
    "I get sharp pains in my chest for a few seconds when I take a deep breath",
    "My mother had a stroke 5 years ago and her right hand is weak since then",
]


def test_red_flag_precision_recall() -> None:
    positive = (
        RED_FLAG_POSITIVE + SPELLING_POSITIVE + WORD_ORDER_POSITIVE + [q for q, _ in NEW_CATEGORY_POSITIVE]
    )
    precision, recall = score(medical.is_red_flag_question, positive, RED_FLAG_NEGATIVE + CHRONIC_NEGATIVE)
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR


@pytest.mark.parametrize("question", SPELLING_POSITIVE + WORD_ORDER_POSITIVE)
def test_patient_spellings_and_word_orders_are_red_flags(question: str) -> None:
    assert medical.is_red_flag_question(question)


@pytest.mark.parametrize(("question", "sign"), NEW_CATEGORY_POSITIVE)
def test_every_guide_category_is_detected_and_named(question: str, sign: str) -> None:
    assert sign in medical.red_flags(question)


@pytest.mark.parametrize("question", CHRONIC_NEGATIVE)
def test_chronic_stable_or_past_signs_are_not_red_flags(question: str) -> None:
    assert medical.red_flags(question) == []


def test_red_flags_name_each_sign() -> None:
    question = "My father has chest pain with sweating and now his speech is slurred."
    assert medical.red_flags(question) == ["chest pain with sweating", "slurred or lost speech"]


def test_every_registry_sign_has_an_example() -> None:
    assert {sign for _, sign in NEW_CATEGORY_POSITIVE} == set(medical.RED_FLAGS)


def test_stem_precheck_never_hides_a_match() -> None:
    """Patterns run only in sentences holding one of their stems: on every example, that finds
    exactly what a search of the whole question finds."""
    examples = (
        RED_FLAG_POSITIVE + RED_FLAG_NEGATIVE + SPELLING_POSITIVE + WORD_ORDER_POSITIVE + CHRONIC_NEGATIVE
    )
    for text in examples + [q for q, _ in NEW_CATEGORY_POSITIVE]:
        question = _Question(text)
        for words in _ALL_WORDS:
            whole = [m.span() for m in words.pattern.finditer(question.text)]
            gated = [
                m.span()
                for i in sorted(question.sentences(words))
                for m in words.pattern.finditer(
                    question.text, question.ends[i - 1] if i else 0, question.ends[i]
                )
            ]
            assert gated == whole, (text, words.pattern.pattern[:60])


def test_a_cold_limb_described_several_words_away() -> None:
    question = "my husband fell from his bike, his leg below the knee is cold and bluish now"
    assert medical.red_flags(question) == ["a cold or discoloured limb after an injury"]
