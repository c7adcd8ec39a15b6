"""The specialty a patient's question belongs to: one of the 18 ids of the labelling guide.

A triage nurse's routing, as rules over a weighted lexicon: offline, deterministic, about
0.1 ms for a question and its answer on one core.

**Terms.** :data:`LEXICON` gives each specialty its terms with a weight: 3 names the field or
its organ ("migraine", "kidney", "root canal"), 2 is a strong hint ("headache", "cough"), 1 a
weak one shared with other fields ("fever", "nerve"); 5-6 marks a condition that owns the
question whatever else it mentions (pregnancy, a diagnosed cancer, a full-body check-up). A term
matches a whole word with its plural ("chest pains"), a phrase with any spacing or a hyphen
("x-ray"), or, ending in ``*``, a stem ("dermat*": dermatitis, dermatologist). Common
misspellings are terms too ("diarhea", "pregnent"); apostrophes are dropped ("can't" = "can t").
``general`` has terms of its own: tiredness, malaise, weight loss, vitamins, allergies, lymph
nodes, hernias, lipomas, varicose veins, wounds, check-ups. Each distinct term counts once, at
its strongest occurrence:

- not at all when negated up to three words before ("no fever", "I don't have diabetes") or
  declared normal ("my blood pressure is normal"), except women's-health words, which keep
  their topic ("I am not pregnant", "no period for two months": :data:`TOPIC_WHEN_NEGATED`);
- at :data:`BACKGROUND_WEIGHT` in a sentence about the past or a standing treatment ("history
  of", "two years ago", "I take thyroxine daily"): the present complaint decides;
- an owning term at :data:`GUESS_WEIGHT` when only feared or guessed ("afraid it could be
  cancer").

The question counts in full; the doctor's answer, secondary evidence, at :data:`ANSWER_WEIGHT`
with no answer term above :data:`ANSWER_TERM_CAP`.

**Routing**, the first rule that applies:

1. A child patient goes to ``pediatrics`` (fever, cough, rash, feeding, fits, school), unless
   an organ specialty's surgery owns the problem (:data:`CHILD_OWNERS`: a tooth goes to
   dentistry, adenoids to ENT, a fracture or sprain to orthopedics, a heart defect to
   cardiology). The patient is a child when the first age the question states is
   :data:`CHILD_MAX_YEARS` or under or in months, weeks or days ("my 3 year old", "son is 6",
   "aged 8 months"), or it names a newborn, infant, toddler or pediatrician. "I am 35 and have a
   2 year old", "when I was 10", "breastfeeding my 6 month old" and a pregnant writer are adults.
2. An owning term in the question routes to its specialty (the better scoring if two own it).
3. Otherwise the highest score wins, ``general`` included; below :data:`MIN_SCORE` (a vague or
   empty question) the question is ``general``. Ties go to the higher question-only score, then
   to the specialty the question mentions first.

**Agreement with the human labels**: 400 real HealthCareMagic rows labelled by the guide, on
which two careful humans agree at 0.88. 0.853 overall (341/400) and 0.860 on the 300 random
rows; 0.874 (180/206) on the even-numbered half the rules were first written from, 0.830
(161/194) on the odd half. By label: obstetrics & gynecology 52/52, pediatrics 30/31,
cardiology 40/42, neurology 32/39, but ``general`` only 6/32: the labellers send mixed,
multi-system complaints there, which the lexicon reads as the organ named most. Measured with
``python bench/detectors.py LABELS_DIR``.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable

GENERAL = "general"
PEDIATRICS = "pediatrics"

#: The specialty ids, in the order reports list them.
SPECIALTIES: tuple[str, ...] = (
    GENERAL,
    "cardiology",
    "pulmonology",
    "gastroenterology",
    "neurology",
    "psychiatry",
    "dermatology",
    "orthopedics",
    "urology_nephrology",
    "obstetrics_gynecology",
    PEDIATRICS,
    "ent",
    "dentistry",
    "endocrinology",
    "infectious_disease",
    "ophthalmology",
    "oncology",
    "hematology",
)

#: How reports and plots name each id (the stored value is always the id).
DISPLAY_NAMES: dict[str, str] = {
    GENERAL: "General",
    "cardiology": "Cardiology",
    "pulmonology": "Pulmonology",
    "gastroenterology": "Gastroenterology",
    "neurology": "Neurology",
    "psychiatry": "Psychiatry",
    "dermatology": "Dermatology",
    "orthopedics": "Orthopedics",
    "urology_nephrology": "Urology & nephrology",
    "obstetrics_gynecology": "Obstetrics & gynecology",
    PEDIATRICS: "Pediatrics",
    "ent": "ENT",
    "dentistry": "Dentistry",
    "endocrinology": "Endocrinology",
    "infectious_disease": "Infectious disease",
    "ophthalmology": "Ophthalmology",
    "oncology": "Oncology",
    "hematology": "Hematology",
}


#: The best score needs this much; below it the question is ``general``.
MIN_SCORE = 2.0
#: Weight of the doctor's answer relative to the question.
ANSWER_WEIGHT = 0.5
#: No answer term counts more than this: only the question's own terms can own it.
ANSWER_TERM_CAP = 3.0
#: Weight of a term in a sentence about the past or a standing treatment.
BACKGROUND_WEIGHT = 0.3
#: Weight of an owning term the writer only fears or guesses.
GUESS_WEIGHT = 0.4
#: Specialties whose terms keep their topic when negated or normal ("I am not pregnant", "no
#: period for two months", "my periods are normal" are still obstetric questions).
TOPIC_WHEN_NEGATED = frozenset({"obstetrics_gynecology"})
#: A term this heavy, after its context weight, owns the question.
OWNING_WEIGHT = 5.0
#: Oldest age in years that makes the patient a child.
CHILD_MAX_YEARS = 13

# Terms by weight: 5-6 owning, 3 names the field, 2 strong hint, 1 weak hint (module docstring).
LEXICON: dict[str, dict[str, float]] = {
    GENERAL: {
        "body check up": 5, "full check up": 5, "health check up": 5, "routine check up": 5,
        "general check up": 5, "medical check up": 5, "body checkup": 5, "check up": 3, "checkup": 3,
        "health check": 3, "medical check": 3, "varicos*": 3, "varicous": 3, "hernia": 3, "lipoma*": 3,
        "heat stroke": 3, "tired": 2, "tiredness": 2, "fatigue*": 2, "exhaust*": 2, "lethargic": 2,
        "body ache": 2, "body pain": 2, "aches and pains": 2, "weight loss": 2, "losing weight": 2,
        "lost weight": 2, "allerg*": 2, "alerg*": 2, "vitamin*": 2, "multivitamin*": 2, "supplement*": 2,
        "lymph node*": 2, "swollen gland*": 2, "wound": 2, "stitches": 2, "sutures": 2, "overweight": 2,
        "obese": 2, "obesity": 2, "lose weight": 2, "unwell": 2, "malaise": 2, "poison*": 2, "weakness": 1,
        "weak": 1, "dehydrat*": 1, "side effect": 1, "appetite": 1, "injection": 1, "abscess": 1,
    },
    "cardiology": {
        "heart attack": 3, "chest pain": 3, "pain in my chest": 3, "pain in chest": 3, "chest pressure": 3,
        "pressure in my chest": 3, "palpitat*": 3, "angina": 3, "cardi*": 3, "ecg": 3, "ekg": 3,
        "echocardiogra*": 3, "arrhythmi*": 3, "tachycardia": 3, "bradycardia": 3, "atrial": 3, "afib": 3,
        "angiogra*": 3, "angioplasty": 3, "pacemaker": 3, "hypertension": 3, "hypertensive": 3,
        "high blood pressure": 3, "blood pressure": 3, "bp": 3, "heart rate": 3, "heartbeat": 3,
        "heart beat": 3, "murmur": 3, "mitral": 3, "aortic": 3, "coronary": 3, "cholesterol": 3, "ldl": 3,
        "statin*": 3, "heart failure": 3, "heart condition": 3, "heart problem": 3, "heart disease": 3,
        "treadmill": 3, "chest discomfort": 3, "chest heaviness": 3, "heaviness in my chest": 3,
        "chest hurts": 3, "left side of chest": 3, "left side of my chest": 3, "left chest": 3,
        "chest hurting": 3, "pain in the chest": 3, "hypotension": 3, "low blood pressure": 3, "hdl": 3,
        "cabg": 3, "stress test": 3, "tmt": 3, "amlodipine": 3, "telmisartan": 3, "losartan": 3,
        "metoprolol": 3, "atenolol": 3, "chest tightness": 2, "tightness in my chest": 2, "echo": 2,
        "stent": 2, "bypass": 2, "valve": 2, "blockage": 2, "heart": 2, "syncope": 2, "left arm": 2,
        "triglyceride*": 2, "lipid*": 2, "arter*": 2, "aneurysm": 2, "vascular": 2, "edema": 1, "oedema": 1,
    },
    "pulmonology": {
        "pulmon*": 3, "asthma*": 3, "astham*": 3, "lung*": 3, "breathless*": 3, "shortness of breath": 3,
        "short of breath": 3, "sob": 3, "difficulty breathing": 3, "difficulty in breathing": 3,
        "trouble breathing": 3, "hard to breathe": 3, "can t breathe": 3, "cant breathe": 3, "wheez*": 3,
        "pneumonia": 3, "copd": 3, "emphysema": 3, "inhaler*": 3, "nebuli*": 3, "bronch*": 3, "sputum": 3,
        "coughing up blood": 3, "cough up blood": 3, "coughing blood": 3, "hemoptysis": 3,
        "chest infection": 3, "sleep apnea": 3, "sleep apnoea": 3, "spo2": 3, "spirometry": 3, "pleura*": 3,
        "embolism": 3, "respiratory": 2, "phlegm": 2, "phlem": 2, "cough*": 2, "caugh*": 2, "breathing": 2,
        "chest x ray": 2, "chest xray": 2, "breath": 1, "plural": 1, "smoker": 1, "smoking": 1, "oxygen": 1,
    },
    "gastroenterology": {
        "gastr*": 3, "acidity": 3, "diarh*": 3, "acid reflux": 3, "reflux": 3, "gerd": 3, "heartburn": 3,
        "heart burn": 3, "indigestion": 3, "constipat*": 3, "diarr*": 3, "diahr*": 3, "loose motion*": 3,
        "stool*": 3, "bowel*": 3, "ibs": 3, "colitis": 3, "crohn*": 3, "colon*": 3, "liver": 3,
        "fatty liver": 3, "cirrho*": 3, "cirrosis": 3, "jaundice": 3, "bilirubin": 3, "sgpt": 3, "sgot": 3,
        "gallbladder": 3, "gall bladder": 3, "gallstone*": 3, "gall stone*": 3, "pancrea*": 3,
        "appendi*": 3, "hemorrhoid*": 3, "haemorrhoid*": 3, "hemroid*": 3, "hemmoroid*": 3, "piles": 3,
        "fissure": 3, "fistula": 3, "anal": 3, "anus": 3, "rectal": 3, "rectum": 3, "colonoscopy": 3,
        "endoscopy": 3, "pylori": 3, "esophag*": 3, "oesophag*": 3, "hiatal hernia": 3, "hiatus hernia": 3,
        "intestin*": 3, "bowl movement": 3, "flatulence": 3, "food poisoning": 3, "tummy": 2, "abdom*": 2,
        "belly": 2, "vomit*": 2, "bloat*": 2, "gas": 2, "sour": 2, "burp*": 2, "digest*": 2, "hepat*": 2,
        "stomach*": 2, "nausea": 1, "nauseous": 1, "ulcer": 1,
    },
    "neurology": {
        "neuro*": 3, "migraine*": 3, "seizure*": 3, "convulsion*": 3, "epilep*": 3, "stroke": 3,
        "paralys*": 3, "paralyzed": 3, "paralysed": 3, "numb*": 3, "tingl*": 3, "pins and needles": 3,
        "tremor*": 3, "parkinson*": 3, "alzheimer*": 3, "dementia": 3, "memory loss": 3, "brain": 3,
        "concussion": 3, "head injury": 3, "slurred": 3, "double vision": 3, "droop*": 3, "palsy": 3,
        "eeg": 3, "multiple sclerosis": 3, "white matter": 3, "tia": 3, "mini stroke": 3, "shuffl*": 3,
        "neuralgia": 3, "restless leg": 3, "meningitis": 3, "encephal*": 3, "headach*": 2, "head ache": 2,
        "dizz*": 2, "faint*": 2, "blackout": 2, "black out": 2, "passed out": 2, "unconscious": 2,
        "twitch*": 2, "skull": 2, "forgetful*": 2, "memory": 2, "speech": 2, "one side of my head": 2,
        "photophobia": 2, "fits": 2, "giddiness": 2, "giddy": 2, "syncope": 2, "carpal tunnel": 2,
        "vertigo": 1, "nerve": 1, "mri": 1, "ischemic": 1, "ischaemic": 1, "aneurysm": 1, "spasm*": 1,
    },
    "psychiatry": {
        "psychiatr*": 3, "psycholog*": 3, "anxiety": 3, "panic": 3, "depress*": 3, "suicid*": 3,
        "sucid*": 3, "self harm": 3, "hurt myself": 3, "kill myself": 3, "killing myself": 3,
        "want to die": 3, "don t want to live": 3, "dont want to live": 3, "do not want to live": 3,
        "end my life": 3, "bipolar": 3, "schizophren*": 3, "ocd": 3, "obsessi*": 3, "compulsive": 3,
        "hallucinat*": 3, "hearing voices": 3, "delusion*": 3, "paranoi*": 3, "antidepressant*": 3,
        "ssri": 3, "sertraline": 3, "escitalopram": 3, "fluoxetine": 3, "paroxetine": 3, "citalopram": 3,
        "venlafaxine": 3, "clonazepam": 3, "alprazolam": 3, "lorazepam": 3, "addict*": 3, "adhd": 3,
        "hopeless": 3, "worthless": 3, "lost interest": 3, "loss of interest": 3, "attacks of fear": 3,
        "mood swing": 3, "tensed": 2, "anxious": 2, "lithium": 2, "mood": 2, "insomnia": 2, "alcoholic": 2,
        "porn*": 2, "lonely": 2, "anger": 2, "angry": 2, "mental": 2, "phobia": 2, "imaginary": 2,
        "voices": 2, "counsel*": 2, "feel low": 2, "feeling low": 2, "lose control": 2, "going to die": 2,
        "sleeplessness": 2, "stress": 1, "stressed": 1, "tension": 1, "masturbat*": 1, "masterba*": 1,
        "masterbu*": 1, "mastrubat*": 1, "sad": 1, "crying": 1, "cry": 1,
    },
    "dermatology": {
        "dermat*": 3, "deramt*": 3, "skin cancer": 3, "rash*": 3, "acne": 3, "pimple*": 3, "pimpel*": 3,
        "ecz*": 3, "exzema": 3, "psor*": 3, "hives": 3, "urticaria": 3, "wart*": 3, "pigment*": 3,
        "melasma": 3, "dandruff": 3, "hair loss": 3, "hair fall": 3, "losing hair": 3, "bald*": 3,
        "alopecia": 3, "ringworm": 3, "tinea": 3, "blackhead*": 3, "whitehead*": 3, "vitiligo": 3,
        "stretch mark": 3, "sunburn": 3, "skin tag": 3, "milia": 3, "rosacea": 3, "scabies": 3, "lice": 3,
        "cold sore": 3, "poison ivy": 3, "dark circles": 3, "fairness": 3, "wrinkle*": 3, "keloid": 3,
        "callus": 3, "hyperhidrosis": 3, "skin": 2, "itch*": 2, "mole": 2, "dark spot": 2, "scalp": 2,
        "blister*": 2, "white patch": 2, "boil": 2, "scar": 2, "peeling": 2, "flaky": 2, "insect bite": 2,
        "bug bite": 2, "cellulitis": 2, "shingles": 2, "facial hair": 2, "sebaceous": 2, "body odor": 2,
        "body odour": 2, "ingrown": 2, "fungal infection": 2, "hair": 1, "patch": 1, "spot": 1, "lesion": 1,
        "nail": 1, "bump": 1, "redness": 1, "fungal": 1, "cyst": 1, "abscess": 1,
    },
    "orthopedics": {
        "orthop*": 3, "fractur*": 3, "broken bone": 3, "knee*": 3, "back pain": 3, "backache": 3,
        "shoulder*": 3, "spine": 3, "vertebra*": 3, "lumbar": 3, "disc": 3, "disk": 3, "sciatica": 3,
        "ligament*": 3, "sprain*": 3, "ankle*": 3, "wrist*": 3, "elbow*": 3, "hip": 3, "joint pain": 3,
        "arthrit*": 3, "artharit*": 3, "osteo*": 3, "rheumat*": 3, "gout": 3, "tendon*": 3, "tendin*": 3,
        "plantar": 3, "cartilage": 3, "menisc*": 3, "acl": 3, "spondyl*": 3, "coccyx": 3, "tail bone": 3,
        "tailbone": 3, "facet": 3, "crutches": 3, "rotator cuff": 3, "bursitis": 3, "tennis elbow": 3,
        "frozen shoulder": 3, "lower back": 2, "spinal": 2, "sciatic": 2, "joint": 2, "bone": 2,
        "neck pain": 2, "physiother*": 2, "physio": 2, "physical therap*": 2, "heel": 2, "carpal tunnel": 2,
        "uric acid": 2, "muscle*": 1, "muscular": 1, "foot": 1, "feet": 1, "thigh": 1, "fibromyalgia": 1,
        "hematoma": 1, "haematoma": 1, "leg pain": 1, "injury": 1, "fell": 1, "cervical": 1,
    },
    "urology_nephrology": {
        "urolog*": 3, "nephro*": 3, "kidney*": 3, "kidny": 3, "renal": 3, "urin*": 3, "bladder": 3,
        "prostat*": 3, "creatinine": 3, "dialysis": 3, "uti": 3, "testic*": 3, "testis": 3, "testes": 3,
        "balls": 3, "scrot*": 3, "penis": 3, "penile": 3, "foreskin": 3, "phimosis": 3, "circumcis*": 3,
        "erectile": 3, "erection*": 3, "impoten*": 3, "ejaculat*": 3, "semen": 3, "sperm*": 3,
        "hematuria": 3, "flank": 3, "hydrocele": 3, "varicocele": 3, "epididym*": 3, "night fall": 3,
        "nightfall": 3, "viagra": 3, "sildenafil": 3, "tadalafil": 3, "proteinuria": 3, "microalbumin": 3,
        "gfr": 3, "egfr": 3, "pee": 2, "peeing": 2, "creatine": 2, "psa": 2, "catheter": 2, "urea": 2,
        "groin": 1, "libido": 1, "masturbat*": 1, "masterba*": 1, "masterbu*": 1, "mastrubat*": 1,
    },
    "obstetrics_gynecology": {
        "pregn*": 6, "pragn*": 6, "pregant": 6, "trimester": 6, "morning sickness": 6, "conceiv*": 4,
        "ttc": 4, "gynec*": 3, "gynaec*": 3, "obgyn": 3, "ob gyn": 3, "menstru*": 3, "menstu*": 3, "lmp": 3,
        "pcos": 3, "pcod": 3, "polycystic": 3, "ovar*": 3, "ovulat*": 3, "uterus": 3, "uterine": 3,
        "womb": 3, "vagin*": 3, "vulva*": 3, "labia": 3, "cervix": 3, "miscarriage": 3, "misscarrage": 3,
        "abortion": 3, "ivf": 3, "iui": 3, "fertility": 3, "infertil*": 3, "follic*": 3, "endometri*": 3,
        "fibroid*": 3, "contracept*": 3, "birth control": 3, "morning after": 3, "i pill": 3, "ipill": 3,
        "unwanted 72": 3, "plan b": 3, "iud": 3, "mirena": 3, "menopaus*": 3, "hysterectomy": 3,
        "c section": 3, "tubes tied": 3, "tubal": 3, "fallopian": 3, "pap smear": 3, "pap": 3,
        "cervical cancer": 3, "have a baby": 3, "want a baby": 3, "another baby": 3, "menses": 3,
        "mensus": 3, "lactation": 3, "white discharge": 3, "leucorrh*": 3, "yeast infection": 3,
        "misoprostol": 3, "mifepristone": 3, "postpartum": 3, "post partum": 3, "after delivery": 3,
        "depo": 3, "pid": 3, "pelvic inflammatory": 3, "tampon": 3, "cesarean": 3, "caesarean": 3, "hcg": 3,
        "progesterone": 3, "clomid": 3, "clomiphene": 3, "midwife": 3, "stillb*": 3, "placenta": 3,
        "fetus": 3, "fetal": 3, "foetal": 3, "period": 3, "dysplasia": 2, "another child": 2,
        "breastfe*": 2, "breast feed*": 2, "sterilization": 2, "breast*": 2, "nipple*": 2, "spotting": 2,
        "estrogen": 2, "letrozole": 2, "labour": 2, "delivery": 2, "discharge": 1, "intercourse": 1,
        "unprotected": 1, "condom": 1,
    },
    "pediatrics": {
        "pediatric*": 3, "paediatric*": 3, "infant*": 3, "newborn*": 3, "new born": 3, "neonat*": 3,
        "toddler*": 3, "teething": 3, "diaper": 3, "nappy": 3, "baby": 2, "child": 1, "kid": 1,
        "vaccin*": 1,
    },
    "ent": {
        "ear": 3, "earache": 3, "ear ache": 3, "ear wax": 3, "earwax": 3, "eardrum": 3, "ear drum": 3,
        "throat": 3, "tonsil*": 3, "sinus*": 3, "nasal": 3, "hearing": 3, "deaf*": 3, "tinnitus": 3,
        "adenoid*": 3, "hoarse*": 3, "laryn*": 3, "pharyn*": 3, "phyrang*": 3, "blocked nose": 3,
        "stuffy nose": 3, "post nasal": 3, "septum": 3, "ent": 3, "otitis": 3, "nosebleed*": 3, "uvula": 3,
        "epiglott*": 3, "vocal": 3, "sense of smell": 3, "loss of smell": 3, "nose": 2, "nostril*": 2,
        "ringing in": 2, "voice": 2, "swallow*": 2, "snor*": 2, "sneez*": 2, "runny nose": 2, "vertigo": 2,
        "lump in my neck": 2, "lump in neck": 2, "sense of taste": 2, "congestion": 1, "smell": 1,
    },
    "dentistry": {
        "dent*": 3, "tooth": 3, "teeth": 3, "toothache": 3, "tooth ache": 3, "root canal": 3, "braces": 3,
        "molar*": 3, "premolar*": 3, "mouth ulcer*": 3, "canker sore*": 3, "orthodont*": 3, "dry socket": 3,
        "halitosis": 3, "enamel": 3, "gum": 2, "wisdom": 2, "cavity": 2, "cavities": 2, "filling": 2,
        "extraction": 2, "extracted": 2, "jaw": 2, "tmj": 2, "tongue": 2, "palate": 2, "bad breath": 2,
        "plaque": 2, "crown": 1, "mouth": 1, "oral": 1, "lip": 1, "thrush": 1,
    },
    "endocrinology": {
        "endocrin*": 3, "diabet*": 3, "diabit*": 3, "thyriod*": 3, "blood sugar": 3, "sugar level": 3,
        "fbs": 3, "ppbs": 3, "hba1c": 3, "a1c": 3, "insulin": 3, "metformin": 3, "glimepiride": 3,
        "thyroid*": 3, "thyroxine": 3, "eltroxin": 3, "thyronorm": 3, "levothyroxine": 3, "synthroid": 3,
        "hypothyroid*": 3, "hyperthyroid*": 3, "tsh": 3, "goiter": 3, "goitre": 3, "pituitary": 3,
        "prolactin": 3, "cortisol": 3, "adrenal": 3, "parathyroid": 3, "hypoglyc*": 3, "thirst*": 3,
        "hirsutism": 3, "short stature": 3, "sugar": 2, "glucose": 2, "t3": 2, "t4": 2,
        "hormonal imbalance": 2, "hormon*": 1, "testosterone": 1,
    },
    "infectious_disease": {
        "hiv": 3, "std": 3, "sti": 3, "sexually transmitted": 3, "syphilis": 3, "gonorrh*": 3,
        "chlamydia": 3, "herpes": 3, "hsv": 3, "malaria": 3, "dengue": 3, "typhoid": 3, "typoid": 3,
        "widal": 3, "tuberculosis": 3, "tb": 3, "t.b": 3, "lyme": 3, "covid*": 3, "hepatitis b": 3,
        "hepatitis c": 3, "hep b": 3, "hep c": 3, "hbsag": 3, "rabies": 3, "dog bite": 3, "mrsa": 3,
        "mycobacter*": 3, "shigell*": 3, "salmonell*": 3, "amoeb*": 3, "giardia*": 3, "cholera": 3,
        "chikungunya": 3, "swine flu": 3, "h1n1": 3, "zika": 3, "ebola": 3, "hpv": 2, "influenza": 2,
        "tetanus": 2, "staph*": 2, "sepsis": 2, "septic*": 2, "parasit*": 2, "worms": 2, "mosquito": 2,
        "measles": 2, "mumps": 2, "chicken pox": 2, "chickenpox": 2, "viral fever": 2, "stiff neck": 2,
        "neck is stiff": 2, "neck stiffness": 2, "meningitis": 2, "aids": 1, "flu": 1, "fever": 1,
        "feaver": 1, "fevar": 1, "chills": 1, "infection": 1, "infected": 1, "viral": 1, "bacterial": 1,
        "virus": 1, "exposure": 1, "unprotected": 1, "shivering": 1, "travel*": 1,
    },
    "ophthalmology": {
        "eyelid*": 3, "vision": 3, "ophthalm*": 3, "optometrist": 3, "contact lens*": 3, "cataract*": 3,
        "glaucoma": 3, "retina*": 3, "conjunctiv*": 3, "pink eye": 3, "stye": 3, "cornea*": 3, "squint": 3,
        "floaters": 3, "lasik": 3, "eyesight": 3, "eye drop": 3, "eye": 2, "double vision": 2, "glasses": 2,
        "red eye": 2, "sight": 2, "spectacles": 2,
    },
    "oncology": {
        "cancer*": 5, "cervical cancer": 5, "malignan*": 5, "metasta*": 5, "metasis": 5, "carcinoma*": 5,
        "chemo*": 5, "lymphoma": 5, "sarcoma": 5, "melanoma": 5, "skin cancer": 4, "tumor*": 4,
        "tumour*": 4, "myeloma": 4, "oncolog*": 3, "breast lump": 3, "lump in my breast": 3,
        "lump in breast": 3, "radiotherapy": 3, "leukemia": 3, "leukaemia": 3, "mastectomy": 3,
        "palliative": 3, "hospice": 3, "radiation": 2, "biopsy": 1,
    },
    "hematology": {
        "hemat*": 3, "haemat*": 3, "anemi*": 3, "anaemi*": 3, "hemoglobin": 3, "haemoglobin": 3, "hb": 3,
        "hgb": 3, "thrombocyt*": 3, "thalass*": 3, "sickle cell": 3, "iron deficiency": 3, "ferritin": 3,
        "bleeding disorder": 3, "hemophilia": 3, "pancytopenia": 3, "polycyth*": 3, "g6pd": 3,
        "leukemia": 3, "leukaemia": 3, "platelet*": 2, "platlet*": 2, "iron": 2, "clotting": 2, "bruis*": 2,
        "wbc": 2, "white blood cell*": 2, "rbc": 2, "red blood cell*": 2, "neutrophil*": 2,
        "lymphocyte*": 2, "blood count": 2, "leukocyt*": 2, "eosinophil*": 2, "warfarin": 2, "inr": 2,
        "transfusion": 2, "purpura": 2, "petechia*": 2, "myeloma": 2, "blood thinner": 2, "blood clot": 1,
    },
}  # fmt: skip

#: Phrases that contain a term but are not one ("for a period of two weeks").
NOT_TERMS = ("period of", "periods of", "heart of", "ear to ear")

#: A child's problems that an organ specialty's surgery owns; the rest of a child's go to pediatrics.
CHILD_OWNERS: dict[str, str] = {
    "dentistry": r"tooth|teeth|toothache|dent\w*|cavit(?:y|ies)|braces|molars?|gums?|root canal",
    "ent": r"adenoid\w*|tonsillectomy|ear tubes?|grommets?",
    "orthopedics": r"fractur\w*|broken (?:bone|arm|leg|wrist|ankle)|sprain\w*|ligaments?|dislocat\w*"
    r"|cast|plaster",
    "cardiology": r"heart (?:condition|defect|disease|problem)s?|congenital heart|murmur"
    r"|hole in (?:the|his|her) heart",
    "urology_nephrology": r"undescended|phimosis|circumcis\w*|hydrocele|hypospadias",
    "ophthalmology": r"squint|strabismus|cataract|lazy eye",
}
_OWNER = re.compile("|".join(rf"\b(?P<{specialty}>{terms})\b" for specialty, terms in CHILD_OWNERS.items()))

_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_WORD_NUMBERS = {word: n for n, word in enumerate((*_WORDS, "thirteen"), start=1)} | {"a": 1}
_COUNT = r"\d{1,2}|thirteen|" + "|".join(_WORDS)
_NUMBER = rf"\d{{1,2}}\.\d+|{_COUNT}|a"
_HALF = r"[\s-]*(?:and a half[\s-]*)?"
_UNIT = r"y(?:ea)?rs?|y|months?|mo?n?ths?|weeks?|wks?|days?"
_QUALIFIERS = r"(?:just\s+|only\s+|about\s+|almost\s+|nearly\s+|around\s+)*"
_CHILD_NOUN = r"(?:son|daughter|baby|child|kid|boy|girl|grandson|granddaughter|nephew|niece)"
#: After a bare number, what makes it something other than an age in years.
_NOT_YEARS = r"(?![\s-]*(?:[.,/]?\d|%|percent|kgs?|lbs?|pounds?|cm|feet|ft|inch\w*|times|mg|ml"
_NOT_YEARS += r"|hours?|minutes?|y(?:ea)?rs?|weeks?|wks?|months?|days?))"
#: A stated age ("3 year old", "8-months-old", "son is 6", "baby 1.2 years", "aged 5", "I am 35",
#: "male 48"), or a word that makes the patient a child ("my newborn", "his pediatrician"). Each
#: alternative names its number (``n_``) and unit (``u_``, years when absent); one leading ``\b``
#: and a lookahead on each alternative's first letters keep ``re`` fast.
_AGE = re.compile(
    r"\b(?:"
    rf"(?=[\daefnost])(?P<n_old>{_NUMBER}){_HALF}(?P<u_old>{_UNIT})[\s-]*(?:old|male|female|man|woman|boy|girl|lady|guy)\b"
    rf"|(?=[bcdgkns]){_CHILD_NOUN}\s*,?\s*(?:(?:is|aged|of|who is)\s+)?{_QUALIFIERS}"
    rf"(?:(?P<n_noun>{_NUMBER}){_HALF}(?P<u_noun>{_UNIT})\b(?![\s-]*(?:ago|back|before|later))"
    rf"|(?<=is |ed )(?P<n_is>{_COUNT})\b{_NOT_YEARS})"
    rf"|(?=a)age(?:d| of)?\s+(?P<n_age>{_NUMBER}){_HALF}(?P<u_age>{_UNIT})?\b"
    rf"|(?=i)(?:i am|i m|im|iam)\s+(?:a\s+)?(?P<n_self>{_COUNT})\b{_NOT_YEARS}"
    rf"|(?=[fm])(?:male|female)\s*,?\s*(?P<n_sex>{_COUNT})\b{_NOT_YEARS}"
    r"|(?=[ahmopt])(?P<child>(?:my|our|his|her|a|the) (?:newborn|new born|infant|toddler|neonate)"
    r"|p(?:a)?ediatrician|pedia)s?\b"
    r")"
)
#: Words before an age that make the writer, not that child, the patient.
_NOT_THE_PATIENT = re.compile(
    r"\b(?:(?:breast ?feed\w*|nursing|pumping for)\s+(?:my|our|a|the)?|kids|children|sons|daughters|twins"
    r"|(?:when|since|till|until) (?:i|he|she) was)\s*$"
)

# The lookaheads on first letters let ``re`` skip most positions at once.
_SENTENCE_END = re.compile(r"[.!?\n]+")
#: A sentence about the past or a standing treatment.
_BACKGROUND = re.compile(
    r"(?=[aghiktwy])\b(?:(?<!no )history of|known case of|(?:was|were|got) treated|treated for|in the past"
    r"|years? (?:ago|back)|when i was|had (?:a|an|my)\b[\w\s]{0,30}\b(?:surgery|operation|removed)"
    r"|(?:take|taking|am on)\b[\w\s-]{0,30}\bdaily)\b"
)
#: Every background match holds one of these: text without them (most) is not searched.
_BACKGROUND_WORDS = (
    "history of", "known case of", "treated", "in the past", "year ago", "years ago", "year back",
    "years back", "when i was", "surgery", "operation", "removed", "daily",
)  # fmt: skip
#: A negation ("no fever", "not diabetic", "don t have") ...
_NEGATION = re.compile(
    r"(?=[adfhinw])\b(?:no|not|non|never|without|denies|denied|nor|free of|negative for|don ?t|doesn ?t"
    r"|didn ?t|haven ?t|hasn ?t|isn ?t|wasn ?t|aren ?t)\b"
)
#: ... negates a term at most three words and NEGATION_REACH characters later in its clause.
_NEGATION_GAP = re.compile(r"(?:[^\w.,;:!?]+\w+){0,3}[^\w.,;:!?]*")
NEGATION_REACH = 40
#: A term declared normal ("my blood pressure is normal").
_NORMAL_AFTER = re.compile(
    r"\W*(?:[\w-]+\s+){0,2}?(?:is|are|was|were|came|seems?)\s+(?:normal|fine|ok|okay)\b"
)
#: Every "declared normal" match holds one of these.
_NORMAL_WORDS = ("normal", "fine", "ok")
#: A fear or guess up to seven words before a term ("in fear of it being skin cancer").
_GUESSED = re.compile(
    r"\b(?:afraid|fear\w*|scared|could (?:it|this|that) be|is (?:it|this|that)|signs? of|risk of"
    r"|possibility of|chance of|rule out|ruled out|suspect\w*|cause|causes|avoid|prevent\w*)\b"
    r"(?:[^\w.!?]+\w+){0,7}[^\w.!?]*$"
)

#: (specialty, term, weight) for each specialty a matched term belongs to.
Entry = tuple[tuple[str, str, float], ...]
#: A matched term's score, by (specialty, term).
TermScores = dict[tuple[str, str], float]


def _trie(terms: Iterable[str]) -> str:
    """One alternation for all terms, factored on shared prefixes (fast in ``re``): a phrase's
    space matches spaces or a hyphen, a word takes "s"/"es", a stem any word tail."""
    root: dict = {}
    for term in terms:
        node = root
        for char in term.rstrip("*"):
            node = node.setdefault(char, {})
        node["*" if term.endswith("*") else ""] = {}

    def emit(node: dict) -> str:
        branches = [
            (r"[\s-]+" if char == " " else re.escape(char)) + emit(child)
            for char, child in sorted(node.items())
            if char not in ("", "*")
        ]
        if "*" in node:
            branches.append(r"\w*")
        if "" in node:
            branches.append(r"(?:e?s)?\b")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    first = re.escape("".join(sorted(root)))  # the lookahead lets ``re`` skip other positions at once
    return rf"(?=[{first}])\b" + emit(root)


@functools.cache
def _index() -> tuple[re.Pattern[str], dict[str, Entry], dict[str, Entry]]:
    """The combined term pattern, and the entries of whole words/phrases and of stems."""
    words: dict[str, list[tuple[str, str, float]]] = {phrase: [] for phrase in NOT_TERMS}
    stems: dict[str, list[tuple[str, str, float]]] = {}
    for specialty, terms in LEXICON.items():
        for term, weight in terms.items():
            table = stems if term.endswith("*") else words
            table.setdefault(term.rstrip("*"), []).append((specialty, term, float(weight)))
    pattern = re.compile(_trie([*words, *(f"{stem}*" for stem in stems)]))
    return pattern, {k: tuple(v) for k, v in words.items()}, {k: tuple(v) for k, v in stems.items()}


@functools.lru_cache(maxsize=8192)
def _entries(matched: str) -> Entry:
    """The entries a matched piece of text stands for: its word or phrase (plural too), else its
    longest stem."""
    _, words, stems = _index()
    key = " ".join(matched.replace("-", " ").split())
    for candidate in (key, key[:-1], key[:-2]):
        if candidate in words and (candidate == key or key.endswith("s")):
            return words[candidate]
    for end in range(len(key), 0, -1):
        if key[:end] in stems:
            return stems[key[:end]]
    return ()


def _background(text: str) -> tuple[list[int], set[int]]:
    """The sentence ends of lower-cased ``text`` and the sentences (by index) about the past or
    a standing treatment (none, and no ends, for text without :data:`_BACKGROUND_WORDS`)."""
    if not any(word in text for word in _BACKGROUND_WORDS):
        return [], set()
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return ends, {bisect.bisect_right(ends, m.start()) for m in _BACKGROUND.finditer(text)}


def _folded(text: str) -> str:
    """``text`` as terms are matched: lower-cased, apostrophes as spaces ("can't" -> "can t")."""
    return text.lower().replace("'", " ").replace("\u2019", " ")


def _term_scores(text: str) -> TermScores:
    """Each term ``text`` (:func:`_folded`) mentions: its weight x context weight, at its
    strongest occurrence."""
    ends, background = _background(text)
    negations = [m.end() for m in _NEGATION.finditer(text)]
    may_be_normal = any(word in text for word in _NORMAL_WORDS)
    best: TermScores = {}
    for match in _index()[0].finditer(text):
        start, end = match.span()
        near = bisect.bisect_right(negations, start) - 1
        negated = (
            near >= 0
            and negations[near] >= start - NEGATION_REACH
            and _NEGATION_GAP.fullmatch(text, negations[near], start) is not None
        )
        declared_normal = may_be_normal and _NORMAL_AFTER.match(text, end)
        context = BACKGROUND_WEIGHT if background and bisect.bisect_right(ends, start) in background else 1.0
        for specialty, term, weight in _entries(match.group()):
            if (negated or declared_normal) and specialty not in TOPIC_WHEN_NEGATED:
                continue
            score = weight * context
            if weight >= OWNING_WEIGHT and _GUESSED.search(text, max(0, start - 60), start):
                score *= GUESS_WEIGHT
            best[(specialty, term)] = max(best.get((specialty, term), 0.0), score)
    return best


def _add(scores: dict[str, float], terms: TermScores, weight: float = 1.0, cap: float | None = None) -> None:
    for (specialty, _), score in terms.items():
        scores[specialty] = scores.get(specialty, 0.0) + weight * (score if cap is None else min(score, cap))


def _child(question: str) -> bool:
    """Whether the patient is a child (rule 1 of the module docstring); ``question`` is
    :func:`_folded`."""
    for match in _AGE.finditer(question):
        if _NOT_THE_PATIENT.search(question, max(0, match.start() - 25), match.start()):
            continue
        groups = match.groupdict()
        if groups["child"]:
            return True
        kind = next(name[2:] for name, value in groups.items() if name.startswith("n_") and value)
        if not (groups.get("u_" + kind) or "years").startswith("y"):
            return True
        number = groups["n_" + kind]
        return (_WORD_NUMBERS.get(number) or float(number)) <= CHILD_MAX_YEARS
    return False


def classify_specialty(question: str, answer: str = "") -> str:
    """The id in :data:`SPECIALTIES` that ``question`` goes to; the doctor's ``answer`` is
    secondary evidence (rules in the module docstring)."""
    folded = _folded(question)
    terms = _term_scores(folded)
    owning = {specialty for (specialty, _), score in terms.items() if score >= OWNING_WEIGHT}
    if "obstetrics_gynecology" not in owning and _child(folded):  # a pregnant writer is the patient
        owner = _OWNER.search(folded)
        return owner.lastgroup if owner and owner.lastgroup else PEDIATRICS
    if len(owning) == 1:  # rule 2; its score (>= OWNING_WEIGHT) passes MIN_SCORE whatever the answer says
        return next(iter(owning))
    asked: dict[str, float] = {}
    _add(asked, terms)
    scores = dict(asked)
    _add(scores, _term_scores(_folded(answer)), ANSWER_WEIGHT, ANSWER_TERM_CAP)
    if not scores:
        return GENERAL
    order = {specialty: i for i, specialty in enumerate(asked)}  # first mention in the question first

    def rank(s: str) -> tuple[float, float, int, int]:
        return scores[s], asked.get(s, 0.0), -order.get(s, len(order)), -SPECIALTIES.index(s)

    best = max(owning or scores, key=rank)
    return best if scores[best] >= MIN_SCORE else GENERAL


def specialty_id(label: str) -> str | None:
    """The id a specialty label stands for, written as an id, a display name or the like
    ("Obstetrics & gynecology", "urology/nephrology", "ENT"); None if it names no specialty."""
    key = re.sub(r"\W+", "_", label.strip().lower()).strip("_")
    return key if key in DISPLAY_NAMES else None
