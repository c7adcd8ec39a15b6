"""Word lists behind the medical metrics (English, lower case).

Hand-written for HealthCareMagic-style answers; extend a list here and every detector and
test follows. ``DRUGS`` maps each name a doctor might write (generic, common brand, or
spelling variant) to one canonical generic name, so ``Tylenol``, ``acetaminophen`` and
``paracetamol`` count as one medication.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (lists below read like prose)."""
    return frozenset(text.split())


# -- medications --------------------------------------------------------------------------

_DRUG_GROUPS: dict[str, tuple[str, ...]] = {
    # analgesics, antipyretics, NSAIDs
    "paracetamol": ("paracetamol", "acetaminophen", "tylenol", "crocin", "calpol", "dolo", "panadol"),
    "ibuprofen": ("ibuprofen", "advil", "motrin", "brufen", "nurofen"),
    "aspirin": ("aspirin", "ecosprin", "disprin"),
    "naproxen": ("naproxen", "aleve", "naprosyn"),
    "diclofenac": ("diclofenac", "voltaren", "voveran"),
    "aceclofenac": ("aceclofenac",),
    "mefenamic acid": ("mefenamic acid", "meftal", "ponstan"),
    "celecoxib": ("celecoxib", "celebrex"),
    "etoricoxib": ("etoricoxib",),
    "tramadol": ("tramadol", "ultram"),
    "codeine": ("codeine",),
    "morphine": ("morphine",),
    "oxycodone": ("oxycodone",),
    "gabapentin": ("gabapentin", "neurontin"),
    "pregabalin": ("pregabalin", "lyrica"),
    # antibiotics, antivirals, antifungals, antiparasitics
    "amoxicillin": ("amoxicillin", "amoxycillin", "amoxil"),
    "amoxicillin-clavulanate": ("augmentin", "co-amoxiclav", "amoxicillin clavulanate", "amoxiclav"),
    "azithromycin": ("azithromycin", "zithromax", "azithral"),
    "clarithromycin": ("clarithromycin",),
    "erythromycin": ("erythromycin",),
    "doxycycline": ("doxycycline",),
    "minocycline": ("minocycline",),
    "ciprofloxacin": ("ciprofloxacin", "cipro"),
    "levofloxacin": ("levofloxacin",),
    "ofloxacin": ("ofloxacin",),
    "norfloxacin": ("norfloxacin",),
    "cefuroxime": ("cefuroxime",),
    "cefixime": ("cefixime",),
    "cephalexin": ("cephalexin", "cefalexin", "keflex"),
    "ceftriaxone": ("ceftriaxone",),
    "cefpodoxime": ("cefpodoxime",),
    "metronidazole": ("metronidazole", "flagyl"),
    "tinidazole": ("tinidazole",),
    "nitrofurantoin": ("nitrofurantoin", "macrobid"),
    "trimethoprim-sulfamethoxazole": ("cotrimoxazole", "co-trimoxazole", "bactrim", "septran"),
    "clindamycin": ("clindamycin",),
    "linezolid": ("linezolid",),
    "mupirocin": ("mupirocin", "bactroban"),
    "fusidic acid": ("fusidic acid", "fucidin"),
    "neomycin": ("neomycin",),
    "acyclovir": ("acyclovir", "aciclovir", "zovirax"),
    "valacyclovir": ("valacyclovir", "valaciclovir", "valtrex"),
    "oseltamivir": ("oseltamivir", "tamiflu"),
    "fluconazole": ("fluconazole", "diflucan"),
    "itraconazole": ("itraconazole",),
    "terbinafine": ("terbinafine", "lamisil"),
    "clotrimazole": ("clotrimazole", "canesten"),
    "ketoconazole": ("ketoconazole", "nizoral"),
    "miconazole": ("miconazole",),
    "luliconazole": ("luliconazole",),
    "albendazole": ("albendazole", "zentel"),
    "mebendazole": ("mebendazole",),
    "ivermectin": ("ivermectin",),
    "permethrin": ("permethrin",),
    "isoniazid": ("isoniazid",),
    "rifampicin": ("rifampicin", "rifampin"),
    # gastrointestinal
    "omeprazole": ("omeprazole", "prilosec"),
    "pantoprazole": ("pantoprazole", "pantop", "protonix"),
    "esomeprazole": ("esomeprazole", "nexium"),
    "rabeprazole": ("rabeprazole",),
    "lansoprazole": ("lansoprazole",),
    "ranitidine": ("ranitidine", "zantac"),
    "famotidine": ("famotidine", "pepcid"),
    "domperidone": ("domperidone",),
    "ondansetron": ("ondansetron", "zofran"),
    "metoclopramide": ("metoclopramide",),
    "loperamide": ("loperamide", "imodium"),
    "lactulose": ("lactulose",),
    "bisacodyl": ("bisacodyl", "dulcolax"),
    "psyllium": ("psyllium", "isabgol", "metamucil"),
    "simethicone": ("simethicone",),
    "sucralfate": ("sucralfate",),
    "mesalamine": ("mesalamine", "mesalazine"),
    "drotaverine": ("drotaverine",),
    "dicyclomine": ("dicyclomine",),
    "hyoscine": ("hyoscine", "buscopan"),
    "oral rehydration salts": ("ors", "oral rehydration solution", "oral rehydration salts"),
    # allergy and respiratory
    "cetirizine": ("cetirizine", "zyrtec"),
    "levocetirizine": ("levocetirizine", "xyzal"),
    "loratadine": ("loratadine", "claritin"),
    "desloratadine": ("desloratadine",),
    "fexofenadine": ("fexofenadine", "allegra"),
    "chlorpheniramine": ("chlorpheniramine", "chlorphenamine"),
    "diphenhydramine": ("diphenhydramine", "benadryl"),
    "hydroxyzine": ("hydroxyzine", "atarax"),
    "montelukast": ("montelukast", "singulair"),
    "salbutamol": ("salbutamol", "albuterol", "ventolin", "asthalin"),
    "budesonide": ("budesonide",),
    "fluticasone": ("fluticasone", "flonase", "flovent"),
    "mometasone": ("mometasone",),
    "beclomethasone": ("beclomethasone",),
    "ipratropium": ("ipratropium",),
    "tiotropium": ("tiotropium",),
    "theophylline": ("theophylline",),
    "ambroxol": ("ambroxol",),
    "guaifenesin": ("guaifenesin",),
    "dextromethorphan": ("dextromethorphan",),
    "pseudoephedrine": ("pseudoephedrine", "sudafed"),
    "oxymetazoline": ("oxymetazoline", "otrivin"),
    "xylometazoline": ("xylometazoline",),
    "epinephrine": ("epinephrine", "adrenaline", "epipen"),
    # steroids and skin
    "prednisolone": ("prednisolone",),
    "prednisone": ("prednisone",),
    "methylprednisolone": ("methylprednisolone", "medrol"),
    "dexamethasone": ("dexamethasone",),
    "hydrocortisone": ("hydrocortisone",),
    "betamethasone": ("betamethasone",),
    "clobetasol": ("clobetasol",),
    "triamcinolone": ("triamcinolone",),
    "calamine": ("calamine",),
    "benzoyl peroxide": ("benzoyl peroxide",),
    "adapalene": ("adapalene",),
    "tretinoin": ("tretinoin",),
    "isotretinoin": ("isotretinoin", "accutane"),
    "minoxidil": ("minoxidil",),
    "salicylic acid": ("salicylic acid",),
    "tacrolimus": ("tacrolimus",),
    # cardiovascular and metabolic
    "amlodipine": ("amlodipine", "norvasc"),
    "losartan": ("losartan",),
    "telmisartan": ("telmisartan",),
    "valsartan": ("valsartan",),
    "olmesartan": ("olmesartan",),
    "enalapril": ("enalapril",),
    "lisinopril": ("lisinopril",),
    "ramipril": ("ramipril",),
    "atenolol": ("atenolol",),
    "metoprolol": ("metoprolol",),
    "propranolol": ("propranolol", "inderal"),
    "bisoprolol": ("bisoprolol",),
    "carvedilol": ("carvedilol",),
    "hydrochlorothiazide": ("hydrochlorothiazide",),
    "furosemide": ("furosemide", "frusemide", "lasix"),
    "spironolactone": ("spironolactone",),
    "atorvastatin": ("atorvastatin", "lipitor"),
    "rosuvastatin": ("rosuvastatin", "crestor"),
    "simvastatin": ("simvastatin",),
    "clopidogrel": ("clopidogrel", "plavix"),
    "warfarin": ("warfarin",),
    "heparin": ("heparin",),
    "nitroglycerin": ("nitroglycerin", "glyceryl trinitrate", "sorbitrate"),
    "metformin": ("metformin", "glucophage"),
    "glimepiride": ("glimepiride",),
    "gliclazide": ("gliclazide",),
    "sitagliptin": ("sitagliptin", "januvia"),
    "insulin": ("insulin",),
    "levothyroxine": ("levothyroxine", "thyroxine", "eltroxin", "synthroid"),
    "methimazole": ("methimazole", "carbimazole"),
    "allopurinol": ("allopurinol",),
    "febuxostat": ("febuxostat",),
    "colchicine": ("colchicine",),
    # neuro-psychiatric
    "sertraline": ("sertraline", "zoloft"),
    "fluoxetine": ("fluoxetine", "prozac"),
    "escitalopram": ("escitalopram", "lexapro"),
    "citalopram": ("citalopram",),
    "paroxetine": ("paroxetine",),
    "amitriptyline": ("amitriptyline",),
    "nortriptyline": ("nortriptyline",),
    "duloxetine": ("duloxetine",),
    "venlafaxine": ("venlafaxine",),
    "mirtazapine": ("mirtazapine",),
    "bupropion": ("bupropion",),
    "alprazolam": ("alprazolam", "xanax"),
    "clonazepam": ("clonazepam",),
    "lorazepam": ("lorazepam",),
    "diazepam": ("diazepam", "valium"),
    "zolpidem": ("zolpidem",),
    "melatonin": ("melatonin",),
    "quetiapine": ("quetiapine",),
    "olanzapine": ("olanzapine",),
    "risperidone": ("risperidone",),
    "lithium": ("lithium",),
    "sodium valproate": ("valproate", "divalproex", "sodium valproate"),
    "levetiracetam": ("levetiracetam", "keppra"),
    "phenytoin": ("phenytoin",),
    "carbamazepine": ("carbamazepine", "tegretol"),
    "topiramate": ("topiramate",),
    "sumatriptan": ("sumatriptan",),
    "flunarizine": ("flunarizine",),
    "betahistine": ("betahistine",),
    "cinnarizine": ("cinnarizine",),
    "methylphenidate": ("methylphenidate", "ritalin"),
    "donepezil": ("donepezil",),
    # hormones, urology, women's health
    "progesterone": ("progesterone", "duphaston", "dydrogesterone"),
    "estradiol": ("estradiol", "oestradiol"),
    "clomiphene": ("clomiphene", "clomid"),
    "letrozole": ("letrozole",),
    "norethisterone": ("norethisterone",),
    "levonorgestrel": ("levonorgestrel",),
    "misoprostol": ("misoprostol",),
    "tranexamic acid": ("tranexamic acid",),
    "folic acid": ("folic acid",),
    "tamsulosin": ("tamsulosin", "flomax"),
    "finasteride": ("finasteride",),
    "sildenafil": ("sildenafil", "viagra"),
    "tadalafil": ("tadalafil", "cialis"),
    "oxybutynin": ("oxybutynin",),
    # supplements
    "vitamin d": ("vitamin d", "vitamin d3", "cholecalciferol"),
    "vitamin b12": ("vitamin b12", "methylcobalamin", "cyanocobalamin"),
    "vitamin c": ("vitamin c",),
    "iron": ("ferrous sulfate", "ferrous sulphate", "iron tablets", "iron supplements"),
    "calcium": ("calcium supplements", "calcium tablets", "calcium carbonate"),
    "zinc": ("zinc supplements", "zinc tablets"),
    "multivitamin": ("multivitamin", "multivitamins"),
    "probiotic": ("probiotic", "probiotics"),
}

#: Spelling or brand -> canonical generic name.
DRUGS: dict[str, str] = {alias: name for name, aliases in _DRUG_GROUPS.items() for alias in aliases}

#: Classes and forms of medicine that name a concrete therapy without a drug name.
DRUG_CLASSES = _words(
    """
    antibiotic antibiotics antacid antacids antihistamine antihistamines antifungal antifungals
    antiviral antivirals analgesic analgesics painkiller painkillers antispasmodic antispasmodics
    antiemetic antiemetics laxative laxatives steroid steroids corticosteroid corticosteroids
    anticoagulant anticoagulants antidepressant antidepressants anxiolytic anxiolytics
    antiepileptic antiepileptics decongestant decongestants expectorant expectorants
    bronchodilator bronchodilators inhaler inhalers nebulization nebulisation nebulizer
    ointment ointments cream creams lotion lotions gel drops eyedrops syrup suppository
    suppositories tablet tablets capsule capsules lozenges mouthwash shampoo nsaid nsaids ppi
    ppis diuretic diuretics statin statins vaccine vaccination injection injections
    """
)

#: Procedures and measures that are a treatment when recommended.
THERAPIES = (
    "physiotherapy",
    "physical therapy",
    "surgery",
    "surgical removal",
    "operation",
    "excision",
    "incision and drainage",
    "root canal",
    "extraction",
    "scaling",
    "filling",
    "counselling",
    "counseling",
    "psychotherapy",
    "cognitive behavioural therapy",
    "cognitive behavioral therapy",
    "cbt",
    "dialysis",
    "chemotherapy",
    "radiotherapy",
    "radiation therapy",
    "splint",
    "cast",
    "brace",
    "stitches",
    "sutures",
    "laser",
    "cryotherapy",
    "warm compress",
    "warm compresses",
    "cold compress",
    "hot fomentation",
    "fomentation",
    "ice pack",
    "ice packs",
    "steam inhalation",
    "salt water gargles",
    "warm saline gargles",
    "saline gargles",
    "gargle",
    "gargles",
    "sitz bath",
    "sitz baths",
    "bed rest",
    "take rest",
    "stretching exercises",
    "exercises",
    "hearing aid",
    "transfusion",
    "oral rehydration",
    "nasal irrigation",
    "saline nasal",
    "cpap",
)

#: Medical vocabulary for terminology density (single words; see also ``MEDICAL_SUFFIXES``).
MEDICAL_TERMS = _words(
    """
    abdomen abdominal abscess acid acne acute allergy allergic anaemia anemia aneurysm angina
    ankle antibody antigen anus anxiety aorta appendix artery arteries asthma biopsy bladder
    bleeding blister blood bone bowel brain breast bronchi bronchial calcium cancer cardiac
    cartilage cataract cervix chest cholesterol chronic clot colon congenital constipation
    contraception cornea cough cramps cyst dementia depression dermal diabetes diabetic
    diagnosis diarrhea diarrhoea diet dizziness dose dosage ear eczema edema oedema embolism
    endoscopy enzyme epilepsy esophagus oesophagus fever fibroid fistula fracture gallbladder
    gallstones gene genital gland glucose gout gums haemorrhoids hemorrhoids headache heart
    hernia hormone hormonal hypertension hypotension immune immunity infection infections
    infected inflammation inflammatory insomnia insulin intestine joint kidney kidneys lesion
    ligament liver lump lumps lung lungs lymph lymphoma malaria medication medications
    medicine medicines menopause menstrual menstruation metabolic migraine mucus muscle
    muscles nausea nerve nerves neurological nodule obesity organ ovary ovaries ovulation
    pain painful palpitations pancreas paralysis pelvic penis platelet pneumonia polyp
    pregnancy pregnant prescription prostate protein pulse rash rectum reflux renal
    respiratory retina scan seizure seizures semen sinus skin spasm sperm spinal spine
    spleen sputum stomach stool stroke swelling symptom symptoms syndrome tablet tendon
    testicle therapy thyroid tissue tonsils tooth tumor tumour ulcer ultrasound urinary urine
    uterus vaccine vagina vaginal vein veins vertigo viral virus vitamin vomiting wound
    xray x-ray ct mri ecg ekg eeg cbc hba1c tsh bp hiv hpv std sti uti gerd ibs copd
    infertility contraceptive antibiotic antibiotics steroid steroids inhaler ointment
    cream injection surgery physiotherapy analgesic antacid antihistamine prognosis chronic
    benign malignant lesion discharge itching inflamed sprain strain tinnitus hemoglobin
    haemoglobin cholesterol triglycerides bilirubin creatinine lipid mammogram colonoscopy
    """
)

#: Word endings that mark medical terms (``gastritis``, ``anemia``, ``appendectomy``...).
MEDICAL_SUFFIXES = (
    "itis",
    "osis",
    "emia",
    "aemia",
    "oma",
    "pathy",
    "algia",
    "ectomy",
    "otomy",
    "ostomy",
    "oscopy",
    "ology",
    "ologist",
    "plasty",
    "uria",
    "penia",
    "cytosis",
    "trophy",
    "plegia",
    "rrhea",
    "rrhoea",
    "iasis",
    "ectasia",
    "megaly",
    "sclerosis",
    "gram",
    "graphy",
)

#: Condition nouns that make "you may have ..." a diagnosis (with ``MEDICAL_SUFFIXES`` words).
CONDITIONS = _words(
    """
    infection allergy allergic reaction reflux gerd migraine diabetes hypertension asthma
    anaemia anemia ulcer cyst hernia fracture sprain strain eczema psoriasis acne abscess
    fibroid fibroids polyp polyps stone stones calculus calculi disorder disease syndrome
    condition deficiency insufficiency spasm haemorrhoids hemorrhoids piles fissure fistula
    boil cellulitis sciatica vertigo depression anxiety insomnia tumour tumor cancer lump
    stroke infarction angina pneumonia flu influenza cold uti ibs copd std sti herpes
    warts wart scabies ringworm thrush candida lipoma hypothyroidism hyperthyroidism
    dehydration obesity malaria typhoid dengue tuberculosis tb hepatitis jaundice
    cholecystitis appendicitis gastroenteritis colitis dermatitis conjunctivitis sinusitis
    tonsillitis bronchitis arthritis tendinitis tendonitis pharyngitis otitis neuralgia
    neuropathy pcos pcod endometriosis varicocele hydrocele prostatitis dysmenorrhea
    """
)
