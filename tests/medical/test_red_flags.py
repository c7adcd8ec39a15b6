"""The red-flag question detector against hand-written questions (synthetic, not medical advice)."""

from __future__ import annotations

from detector_scores import PRECISION_FLOOR, RECALL_FLOOR, score  # beside this file

from medtune import medical

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


def test_red_flag_precision_recall() -> None:
    precision, recall = score(medical.is_red_flag_question, RED_FLAG_POSITIVE, RED_FLAG_NEGATIVE)
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR


def test_red_flags_name_each_sign() -> None:
    question = "My father has chest pain with sweating and now his speech is slurred."
    assert medical.red_flags(question) == ["cardiac chest pain", "stroke signs"]
