"""The medical detectors against hand-labelled answers and questions.

Every example below was written and labelled by hand for this test (HealthCareMagic
style, synthetic, not medical advice), with hard negatives on purpose: negated advice,
"rule out", safety-net advice, negated symptoms. The test prints precision and recall per
detector and fails below the floors.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from medtune import medical

PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.9

DIAGNOSIS_POSITIVE = [
    "Hi, from your description this is most likely acid reflux disease.",
    "Your symptoms are suggestive of a urinary tract infection.",
    "The burning pain after meals is consistent with gastritis.",
    "You may have a fungal infection of the groin, called tinea cruris.",
    "It sounds like a migraine headache.",
    "The lump you describe is probably a lipoma, which is a harmless fatty swelling.",
    "I suspect a viral fever.",
    "This could be due to allergic rhinitis.",
    "Your report shows hypothyroidism.",
    "The pain in your heel is typical of plantar fasciitis.",
    "These white patches in the mouth are indicative of oral thrush.",
    "Your child probably has a viral upper respiratory infection.",
    "Diagnosis: tension-type headache aggravated by stress.\nTreatment: rest and paracetamol.",
    "Diagnosis: Likely irritable bowel syndrome.",
    "The swelling behind the knee is a Baker's cyst.",
    "Your cough is due to postnasal drip.",
    "This is a case of allergic contact dermatitis.",
    "Most likely you are having sinusitis.",
    "The itchy rash between the fingers points towards scabies.",
    "You seem to have developed an anal fissure.",
    "I think you have a sprain of the ankle ligaments.",
    "It appears to be a sebaceous cyst.",
    "Your low haemoglobin means you have iron deficiency anemia.",
    "The sharp pain on breathing is likely caused by costochondritis.",
    "Your knee pain is because of osteoarthritis.",
    "She seems to be suffering from postpartum depression.",
    "It looks like eczema.",
    "Your husband has kidney stones.",
    "The findings are compatible with a fatty liver.",
    "This is probably a boil.",
    "The symptoms you describe are typical of a panic disorder.",
    "Your son may be suffering from tonsillitis.",
    "The dizziness on turning your head could be vertigo of inner ear origin.",
    "Your semen report is suggestive of low sperm count.",
    "In my opinion, it is a case of hemorrhoids.",
    "Hello, these are probably warts caused by HPV.",
    "Your ECG is consistent with an old infarction.",
    "Your irregular periods with acne and weight gain are suggestive of PCOS.",
    "The yellow discoloration of the eyes is a sign of jaundice.",
    "You could be having a pinched nerve in the neck, cervical radiculopathy.",
    "The pain is related to muscle spasm.",
    "My impression is that this is dengue fever.",
]

DIAGNOSIS_NEGATIVE = [
    "We need to rule out a diagnosis of appendicitis with an ultrasound.",
    "It is difficult to make a diagnosis without examining you.",
    "A diagnosis cannot be made online; please see your doctor.",
    "Diagnosis: cannot be determined without an examination.",
    "Please get a complete blood count and a thyroid profile done.",
    "Take paracetamol for the fever and drink plenty of fluids.",
    "Don't worry, you will be fine.",
    "Thanks for your query. I have gone through your question.",
    "Please consult a dermatologist for a physical examination.",
    "It is not an infection.",
    "This is not cancer, so please do not worry.",
    "An ultrasound of the abdomen will help us know the cause.",
    "Cancer is unlikely at your age.",
    "Have you had any fever or weight loss?",
    "Is it possible that you have diabetes? Please get your sugar checked.",
    "Hope this answers your question. Take care.",
    "You need to get an MRI of the lumbar spine.",
    "You may have to take the tablets for two weeks.",
    "Keep the area clean and dry.",
    "You should avoid spicy and oily food.",
    "Your reports are normal.",
    "There is no sign of infection in your report.",
    "I would like to see your X-ray before commenting.",
    "Please upload the report so that I can guide you better.",
    "Do regular exercise and maintain a healthy weight.",
    "Tuberculosis has been ruled out by your chest X-ray.",
    "We should exclude a thyroid disorder first by testing TSH.",
    "Without tests it is impossible to tell whether this is an ulcer.",
    "I understand your concern about your mother's health.",
    "Please drink plenty of water and take rest.",
    "You can apply an ice pack for ten minutes.",
    "Follow up with your doctor after one week.",
    "Do you have any history of allergy?",
    "Your blood pressure is within normal limits.",
    "Such symptoms need a proper clinical evaluation.",
    "I cannot say whether it is a hernia without examining you.",
    "Stop smoking and reduce alcohol intake.",
    "Sleep on your left side and raise the head end of the bed.",
    "Consult an ENT specialist for a detailed evaluation.",
    "There is nothing to be worried about if your tests are normal.",
    "Get your vitamin D and B12 levels checked.",
    "Your doctor will decide after the biopsy.",
]

TREATMENT_POSITIVE = [
    "Take paracetamol 500 mg every six hours for the fever.",
    "You can take ibuprofen for the pain.",
    "Apply clotrimazole cream twice daily for four weeks.",
    "I would suggest a course of antibiotics like amoxicillin.",
    "Start pantoprazole before breakfast.",
    "Warm saline gargles will soothe the throat.",
    "Apply warm compresses to the swelling.",
    "Physiotherapy will help strengthen your back muscles.",
    "You need a root canal treatment for this tooth.",
    "Use a steroid nasal spray such as fluticasone.",
    "Take an antihistamine like cetirizine at night.",
    "The cyst can be removed by a minor surgery.",
    "Diagnosis: gastritis.\nTreatment: antacids after meals and avoid spicy food.",
    "Treatment: Levocetirizine 5 mg at bedtime for one week.",
    "Give her ORS after every loose stool.",
    "Take rest and drink plenty of fluids.",
    "Salbutamol inhaler two puffs when breathless.",
    "Your doctor may prescribe metformin to control your sugar.",
    "Tablet montelukast once a day will help the allergy.",
    "Use mupirocin ointment on the wound three times a day.",
    "Sitz baths twice a day help with piles.",
    "Try steam inhalation for your blocked nose.",
    "Take vitamin D3 60000 IU once weekly for eight weeks.",
    "Iron supplements will correct the anemia.",
    "Counselling and cognitive behavioural therapy help in anxiety.",
    "An injection of vitamin B12 every month is needed.",
    "Continue levothyroxine 50 mcg every morning.",
    "Fluconazole 150 mg single dose will treat the thrush.",
    "A splint for three weeks will let the finger heal.",
    "Do stretching exercises for your neck every day.",
    "Take omeprazole 20 mg and a probiotic.",
    "Apply an ice pack to reduce the swelling.",
    "Azithromycin 500 mg once daily for three days.",
    "Use lubricating eyedrops four times a day.",
    "Lactulose syrup at night will ease the constipation.",
    "Naproxen with food can relieve the menstrual cramps.",
    "You should start an SSRI such as sertraline after meeting a psychiatrist.",
    "Use a medicated shampoo with ketoconazole twice a week.",
    "Stop ibuprofen and take paracetamol instead.",
    "Drainage of the abscess under local anaesthesia is required, followed by antibiotics.",
    "Diabetic diet and metformin 500 mg twice a day.",
    "Tranexamic acid can reduce the heavy bleeding.",
]

TREATMENT_NEGATIVE = [
    "No treatment is needed; it will settle on its own.",
    "Antibiotics are not required for a viral fever.",
    "You do not need any medicine for this.",
    "Avoid taking aspirin as it can worsen the bleeding.",
    "Stop taking ibuprofen because of your ulcer.",
    "Please consult a doctor for a physical examination.",
    "Get an ultrasound of the abdomen done.",
    "Have you tried paracetamol for the pain?",
    "Are you taking any tablets for blood pressure?",
    "This looks like a simple viral infection.",
    "Your reports are normal and there is nothing to worry about.",
    "Diagnosis: allergic rhinitis.\nTreatment: none needed at present.",
    "Surgery is not needed at this stage.",
    "I cannot prescribe medicines without examining you.",
    "It is a benign condition.",
    "Thanks for your query.",
    "Please share your reports.",
    "You may be having a migraine.",
    "See a dermatologist to confirm the diagnosis.",
    "Get your thyroid levels checked.",
    "Your sugar levels are a little high.",
    "Don't worry, most such lumps are harmless.",
    "Treatment depends on the cause, which needs to be found first.",
    "You need to see a doctor for proper treatment.",
    "Physiotherapy will not help in this case.",
    "Steroid creams should not be used on the face.",
    "Consult a gynecologist for further evaluation.",
    "An MRI will tell us whether the disc is affected.",
    "Your child is growing normally.",
    "It is not serious.",
    "There is no need for antibiotics.",
    "Hope this helps. Take care.",
    "The pain usually goes away on its own within a week.",
    "Do not apply any cream on the wound.",
    "Painkillers won't help with this kind of headache.",
    "Your mother has a chest infection.",
    "I am sorry to hear about your condition.",
    "Do you have any allergies to medicines?",
    "Please get a CBC and ESR done and revert.",
    "This is a common problem in teenagers.",
    "Don't use any ointment until you see a doctor.",
    "Are you on any medication for diabetes?",
]

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
    "If the pain gets worse, go to the ER.",
    "In case the fever persists beyond three days, consult a doctor.",
    "You can take emergency contraception within 72 hours.",
    "Consult a dermatologist at your convenience.",
    "You don't need to rush to the hospital.",
    "Take paracetamol and rest.",
    "Please see your doctor for a routine check-up.",
    "Follow up after two weeks with the reports.",
    "Should you develop any breathing difficulty, go to the hospital.",
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


# A second batch, written after the rules' first version and scored before any rule saw
# it: precision 1.0 for all four; recall diagnosis 0.80, treatment 1.0, red flag 0.87,
# urgent care 0.80. The misses showed general gaps ("indicate", "seems to have", "cannot
# speak" read as a negation, "take the child to the hospital"), which the rules now cover.

DIAGNOSIS_POSITIVE += [
    "Hi, the pain and swelling of the big toe at night are typical of gout.",
    "From the photo, this appears to be a fungal infection of the nail.",
    "Your MRI findings are suggestive of a disc prolapse at L4-L5.",
    "She most likely has a urinary infection given the burning and frequency.",
    "These symptoms are because of low blood sugar.",
    "The redness and discharge from the eye indicate bacterial conjunctivitis.",
    "I feel this is a case of tension headache.",
    "This is probably benign paroxysmal positional vertigo.",
    "Your child seems to have hand, foot and mouth disease.",
    "A painless lump that moves under the skin is usually a lipoma, and that is what this sounds like.",
    "The pattern of hair loss is consistent with androgenetic alopecia.",
    "Your thyroid report shows hyperthyroidism.",
    "You are suffering from an anxiety disorder with panic attacks.",
    "It is a simple case of constipation-related fissure.",
    "The white discharge with itching is due to a yeast infection.",
]

DIAGNOSIS_NEGATIVE += [
    "I would need to examine you to tell you what this is.",
    "Please do an ultrasound and a urine test and share the reports.",
    "Apply the cream twice daily for two weeks.",
    "There is no evidence of a fracture in the X-ray you shared.",
    "We have to exclude appendicitis, so go for an ultrasound.",
    "This does not look like cancer.",
    "Do not take any painkillers without asking your doctor.",
    "Such pain can have many causes, so it is hard to say online.",
    "Did the doctor say anything about an infection?",
    "Maintain hygiene and wear loose cotton clothes.",
    "Rule out diabetes by doing a fasting blood sugar test.",
    "Your ECG is normal.",
    "Stay hydrated and avoid alcohol.",
    "Your doctor should review the biopsy result with you.",
    "Thank you for trusting us with your query.",
]

TREATMENT_POSITIVE += [
    "Gargle with warm salt water three times a day.",
    "You can use a lidocaine gel on the ulcer before meals.",
    "I recommend physical therapy for the frozen shoulder.",
    "He should take amoxicillin for five days.",
    "Cetirizine 10 mg at bedtime will control the itching.",
    "Use an antifungal powder in the shoe.",
    "An ice pack and a crepe bandage will reduce the swelling.",
    "She can be given ondansetron syrup for the vomiting.",
    "Start folic acid now since you are planning a pregnancy.",
    "Take ORS and a probiotic for the loose stools.",
    "Root canal treatment followed by a crown is the best option.",
    "You will need surgery to repair the hernia.",
    "Apply mupirocin to the cut and keep it covered.",
    "Continue the inhaler twice a day even when you feel fine.",
    "Hot fomentation over the muscle twice daily helps.",
]

TREATMENT_NEGATIVE += [
    "Antibiotics will not help a viral cold.",
    "No medicines are needed for this, it will heal by itself.",
    "Do not use steroid creams on fungal infections.",
    "Please consult an orthopedician.",
    "Were you given any medicine for the fever?",
    "It is a normal variation and needs no treatment.",
    "You should get a thyroid test done.",
    "Stop taking the sleeping pills without delay and see your doctor.",
    "The lump is most likely a lipoma.",
    "Avoid taking ibuprofen on an empty stomach.",
    "I cannot suggest a medicine without seeing the report.",
    "Your baby's weight gain is adequate.",
    "Don't apply toothpaste on burns.",
    "It may be a migraine; keep a headache diary.",
    "There is no need for surgery now.",
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


def score(detector: Callable[[str], bool], positive: list[str], negative: list[str]) -> tuple[float, float]:
    """Precision and recall of ``detector``; the misses are printed."""
    tp = sum(detector(t) for t in positive)
    fp = sum(detector(t) for t in negative)
    for text in positive:
        if not detector(text):
            print(f"  missed: {text!r}")
    for text in negative:
        if detector(text):
            print(f"  false alarm: {text!r}")
    return tp / max(tp + fp, 1), tp / len(positive)


@pytest.mark.parametrize(
    ("name", "detector", "positive", "negative"),
    [
        ("diagnosis", medical.has_diagnosis, DIAGNOSIS_POSITIVE, DIAGNOSIS_NEGATIVE),
        ("treatment", medical.has_treatment, TREATMENT_POSITIVE, TREATMENT_NEGATIVE),
        ("red flag question", medical.is_red_flag_question, RED_FLAG_POSITIVE, RED_FLAG_NEGATIVE),
        ("urgent care", medical.advises_urgent_care, URGENT_POSITIVE, URGENT_NEGATIVE),
    ],
)
def test_detector_precision_recall(
    name: str, detector: Callable[[str], bool], positive: list[str], negative: list[str]
) -> None:
    assert len(positive) >= 40 and len(negative) >= 40
    precision, recall = score(detector, positive, negative)
    print(f"{name}: precision {precision:.3f} recall {recall:.3f} ({len(positive)}+ / {len(negative)}-)")
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR


def test_structure_needs_both_sections_in_order() -> None:
    assert medical.has_structure("Diagnosis: Likely gastritis.\nTreatment: Pantoprazole before breakfast.")
    assert medical.has_structure("**Diagnosis:** a sprain. **Treatment:** rest, ice and a crepe bandage.")
    assert not medical.has_structure("Treatment: rest.\nDiagnosis: sprain.")
    assert not medical.has_structure("Diagnosis: sprain. Rest and ice will help.")
    assert not medical.has_structure("Diagnosis:\nTreatment: rest.")
    assert not medical.has_structure("The diagnosis is a sprain and the treatment is rest.")


def test_medications_map_brands_and_variants_to_one_generic() -> None:
    text = "Take Tylenol or acetaminophen, not Advil; co-amoxiclav if the ENT doctor agrees."
    assert medical.medications(text) == {"paracetamol", "ibuprofen", "amoxicillin-clavulanate"}
    assert medical.medications("Take rest and drink water.") == set()


def test_term_density_and_ratio() -> None:
    plain = "Do not worry, it will get better soon, just relax and sleep well."
    technical = "Gastritis with reflux: take pantoprazole; endoscopy if the epigastric pain persists."
    assert medical.medical_term_density(plain) == 0.0
    assert medical.medical_term_density(technical) > 0.3
    assert (
        medical.medical_term_ratio(technical, plain) > 2 > 0.5 > medical.medical_term_ratio(plain, technical)
    )
    assert medical.medical_term_ratio(technical, technical) == 1.0
    assert medical.medical_term_ratio("", "") == 1.0


def test_red_flags_name_each_sign() -> None:
    question = "My father has chest pain with sweating and now his speech is slurred."
    assert medical.red_flags(question) == ["cardiac chest pain", "stroke signs"]
