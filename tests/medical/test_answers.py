"""The diagnosis and treatment detectors against hand-labelled answers.

Every example below was written and labelled by hand for this test (HealthCareMagic
style, synthetic, not medical advice), with hard negatives on purpose: negated advice,
"rule out", vague advice. The first test prints precision and recall per detector and
fails below the floors; the others pin each failure class seen on real rows to examples
of our own.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from detector_scores import PRECISION_FLOOR, RECALL_FLOOR, score  # beside this file

from medtune import medical

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
    # avoiding a trigger or stopping a drug is a management step (the labelling guide)
    "Avoid taking aspirin as it can worsen the bleeding.",
    "Stop taking ibuprofen because of your ulcer.",
    "Do not apply any cream on the wound.",
    "Drainage of the abscess under local anaesthesia is required, followed by antibiotics.",
    "Diabetic diet and metformin 500 mg twice a day.",
    "Tranexamic acid can reduce the heavy bleeding.",
]

TREATMENT_NEGATIVE = [
    "No treatment is needed; it will settle on its own.",
    "Antibiotics are not required for a viral fever.",
    "You do not need any medicine for this.",
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
    "Painkillers won't help with this kind of headache.",
    "Your mother has a chest infection.",
    "I am sorry to hear about your condition.",
    "Do you have any allergies to medicines?",
    "Please get a CBC and ESR done and revert.",
    "This is a common problem in teenagers.",
    "Don't use any ointment until you see a doctor.",
    "Are you on any medication for diabetes?",
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
    "Do not use steroid creams on fungal infections.",
    "Stop taking the sleeping pills without delay and see your doctor.",
    "Avoid taking ibuprofen on an empty stomach.",
]

TREATMENT_NEGATIVE += [
    "Antibiotics will not help a viral cold.",
    "No medicines are needed for this, it will heal by itself.",
    "Please consult an orthopedician.",
    "Were you given any medicine for the fever?",
    "It is a normal variation and needs no treatment.",
    "You should get a thyroid test done.",
    "The lump is most likely a lipoma.",
    "I cannot suggest a medicine without seeing the report.",
    "Your baby's weight gain is adequate.",
    "Don't apply toothpaste on burns.",
    "It may be a migraine; keep a headache diary.",
    "There is no need for surgery now.",
]


@pytest.mark.parametrize(
    ("name", "detector", "positive", "negative"),
    [
        ("diagnosis", medical.has_diagnosis, DIAGNOSIS_POSITIVE, DIAGNOSIS_NEGATIVE),
        ("treatment", medical.has_treatment, TREATMENT_POSITIVE, TREATMENT_NEGATIVE),
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


# Failure classes seen on real answers, each with examples written for this test.

DIAGNOSIS_CLASSES = {
    "a plain hedge on a single condition counts": [
        ("It could be just an infection, nothing serious.", True),
        ("Possibility of a migraine is more in your case.", True),
        ("Most probably it is a muscle spasm.", True),
    ],
    "a differential list counts; a generic one does not": [
        ("Such pain can have many causes like gastritis, gallstones or an ulcer.", True),
        ("There can be many reasons for this pain.", False),
        ("This happens due to various causes.", False),
    ],
    "any specific cause after a causal cue counts": [
        ("These headaches are due to your smoking habit.", True),
        ("The spots are caused by the new soap you are using.", True),
        ("The pain is due to pain in the muscles.", False),  # the symptom restated
    ],
    "a causal cue with no cause after it does not count (a model's garbled sentence)": [
        ("This is most likely due to a lot of stress.", True),
        ("This is most likely due to a lot.", False),
        ("This is most likely due to keep your sugar under control.", False),
        ("It is probably due to the reports.", False),
    ],
    "a condition ruled out, denied or doubted does not count": [
        ("Your pain is not related to stress.", False),
        ("We need to rule out appendicitis with an ultrasound.", False),
        ("Cancer is unlikely at your age.", False),
        ("It is unusual at this age for the fainting to be epilepsy.", False),
    ],
    "a condition asked about or inside a condition does not count": [
        ("Could this be diabetes?", False),
        ("If you have diabetes, keep your sugar under control.", False),
        ("Get a test to check whether it is a hernia.", False),
        ("If the report is normal, then it is probably a viral fever.", True),
    ],
    "a condition offered as the cause counts": [
        ("Sciatica can cause such pain down the leg.", True),
        ("Low blood pressure should be considered in your case.", True),
    ],
    "a general statement about a condition the answer rules out does not count": [
        ("Pneumonia can cause such tiredness. Get a chest x-ray to rule out pneumonia.", False),
        ("Pneumonia can cause such tiredness. Take rest and drink fluids.", True),
    ],
    "past history is no diagnosis of the complaint": [
        ("Your son had typhoid two years ago.", False),
    ],
}

TREATMENT_CLASSES = {
    "a named drug, class or measure in advice counts": [
        ("You can take an antacid after meals.", True),
        ("Warm salt water gargles will help.", True),
        ("Lose some weight and walk daily for thirty minutes.", True),
        ("Soft and bland diet.", True),  # a short advice list
    ],
    "vague advice does not count": [
        ("Take treatment accordingly.", False),
        ("Eat a healthy diet and take care.", False),
        ("Start appropriate antibiotics after the report.", False),
        ("Avoid stress and be relaxed.", False),
    ],
    "referral or tests alone are no treatment": [
        ("Please consult a dermatologist.", False),
        ("Get your vitamin D levels checked.", False),
    ],
    "a drug named as a cause, taken before, or waiting on a test does not count": [
        ("Ibuprofen can cause stomach bleeding in some people.", False),
        ("He was given antibiotics last month.", False),
        ("If the scan shows a stone, surgery will be needed.", False),
        ("Painkillers won't help with this kind of pain.", False),
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"), [case for cases in DIAGNOSIS_CLASSES.values() for case in cases]
)
def test_diagnosis_classes(text: str, expected: bool) -> None:
    assert medical.has_diagnosis(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"), [case for cases in TREATMENT_CLASSES.values() for case in cases]
)
def test_treatment_classes(text: str, expected: bool) -> None:
    assert medical.has_treatment(text) is expected


def test_sections_are_judged_on_content_not_headers() -> None:
    empty = "Diagnosis: \nTreatment: "
    loop = (
        "Diagnosis: I would suggest you have to be due to be due to be due to be due to be due to be"
        "\nTreatment: I would suggest you to take to take to take to take to take to take to take to take"
    )
    vague = "Diagnosis: It can be many things.\nTreatment: Consult your doctor."
    real = "Diagnosis: Tension headache.\nTreatment: Rest and take paracetamol 500 mg."
    for text in (empty, loop, vague):
        assert not medical.has_diagnosis(text) and not medical.has_treatment(text), text
    assert medical.has_structure(loop) and medical.has_structure(vague)  # the format metric still sees them
    assert medical.has_diagnosis(real) and medical.has_treatment(real)
    content = medical.strip_sections(real)  # what eval judges: the same verdicts
    assert medical.has_diagnosis(content) and medical.has_treatment(content)


def test_strip_sections_removes_only_the_headers() -> None:
    text = "**Diagnosis:** Likely gastritis.\nTreatment: Pantoprazole before breakfast."
    assert medical.strip_sections(text) == "Likely gastritis.\nPantoprazole before breakfast."
    assert medical.strip_sections("No headers: here.") == "No headers: here."
    assert medical.strip_sections("Diagnosis:\nTreatment:") == ""
