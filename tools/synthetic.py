"""Compose synthetic HealthCareMagic-style rows: the bundled sample and the benchmark's data.

SYNTHETIC, NOT MEDICAL ADVICE. Every question and answer is assembled from the phrase
tables below by a seeded random generator; no real patient or doctor wrote them. The
phrases follow the voice of the HealthCareMagic answers ("Hi, thanks for query. ...",
"Hello, I have gone through your query ...") with plausible diagnoses and treatments,
including emergencies whose answers send the patient to urgent care.

:func:`compose` then adds the real data's noise at fixed rates: the scraper's inserted
"Chat Doctor"/"ChatDoctor" (also inside words, e.g. "fresh gel" -> "fresChatDoctorel"),
answers cut off mid-sentence, exact and near-duplicate questions, stray whitespace,
cp1252 mojibake ("don't" -> "donâ€™t") and a few empty answers.

``python tools/synthetic.py`` rewrites the bundled sample byte for byte. (A maintainer's
tool: it lives outside the installed package, which only ships the file it writes.)
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtune.data.template import DEFAULT_INSTRUCTION

SAMPLE_ROWS = 360
SAMPLE_SEED = 2024


@dataclass(frozen=True)
class Condition:
    """One presentation: what the patient says and what the doctor answers."""

    specialty: str
    who: str  # "adult", "female", "male" or "child"
    symptoms: tuple[str, ...]
    diagnosis: tuple[str, ...]
    treatment: tuple[str, ...]
    emergency: bool = False


def _c(specialty: str, who: str, symptoms: str, diagnosis: str, treatment: str, emergency: bool = False):
    split = lambda text: tuple(s.strip() for s in text.strip().split("\n") if s.strip())  # noqa: E731
    return Condition(specialty, who, split(symptoms), split(diagnosis), split(treatment), emergency)


CONDITIONS: tuple[Condition, ...] = (
    # -- cardiology ----------------------------------------------------------------------
    _c(
        "cardiology",
        "adult",
        """
        I get a tight pressure in the middle of my chest when I climb stairs.
        The pain goes to my left arm and settles after I rest for five minutes.
        I feel breathless on walking fast since {dur}.
        My father had a heart attack at the age of 55.
        """,
        """
        Your symptoms are suggestive of stable angina, that is poor blood supply to the heart on exertion.
        Pain on effort that settles with rest is most likely due to narrowed coronary arteries.
        A stress test or coronary angiography is needed to confirm the diagnosis.
        """,
        """
        I would recommend you to consult a cardiologist and get an ECG and a treadmill test done.
        Keep a sublingual nitroglycerin tablet with you and take it if the pain comes on.
        Start aspirin 75 mg once daily after your doctor confirms it is safe for you.
        Control your blood pressure, cholesterol and sugar and stop smoking completely.
        """,
    ),
    _c(
        "cardiology",
        "adult",
        """
        Since {dur} I have crushing chest pain with heavy sweating.
        The pain spreads to my jaw and left arm and I feel like vomiting.
        I am feeling very weak and my shirt is wet with sweat.
        """,
        """
        Chest pain with sweating and pain going to the jaw could be a heart attack.
        This is an emergency and it is likely due to a blocked coronary artery.
        """,
        """
        Please call an ambulance or go to the nearest emergency department immediately.
        Chew one tablet of aspirin 300 mg if you are not allergic to it.
        Do not drive yourself and do not wait to see if the pain settles.
        An urgent ECG and troponin test will be done in the emergency room.
        """,
        emergency=True,
    ),
    _c(
        "cardiology",
        "adult",
        """
        I feel my heart racing and skipping beats, mostly at night.
        The palpitations last a few minutes and then stop on their own.
        I drink four to five cups of coffee a day and sleep poorly.
        My BP was 150/95 when I checked it at the pharmacy.
        """,
        """
        Palpitations with high readings are likely due to anxiety, caffeine and possibly hypertension.
        Occasional extra beats are usually benign, but an arrhythmia should be ruled out.
        """,
        """
        I suggest you get an ECG, a 24 hour Holter monitoring and thyroid function tests done.
        Reduce coffee to one cup a day and avoid energy drinks.
        Your doctor may prescribe a beta blocker such as metoprolol 25 mg if the tests support it.
        Check your blood pressure twice daily for two weeks and keep a record.
        """,
    ),
    # -- dermatology ---------------------------------------------------------------------
    _c(
        "dermatology",
        "adult",
        """
        I have red itchy patches on both elbows with silvery scales.
        The patches crack and bleed sometimes in winter.
        I have tried moisturisers but the scaling keeps coming back for {dur}.
        """,
        """
        From your description this looks like psoriasis, a chronic inflammatory skin condition.
        Silvery scales over the elbows are typical, and it is not due to an infection.
        """,
        """
        Apply a steroid ointment like clobetasol twice daily on the patches for two weeks.
        Use a thick emollient or petroleum jelly after bathing to keep the skin soft.
        Consult a dermatologist, who may prescribe calcipotriol or phototherapy for long term control.
        Avoid scratching and reduce alcohol and smoking, which worsen the disease.
        """,
    ),
    _c(
        "dermatology",
        "adult",
        """
        I have small pimples on my face and forehead with blackheads.
        Some of them are painful and leave dark marks when they heal.
        I wash my face three times a day but it has not helped for {dur}.
        """,
        """
        This is acne vulgaris, which is due to blocked pores, excess oil and bacteria.
        Dark marks after healing are post inflammatory pigmentation and they fade with time.
        """,
        """
        Apply adapalene gel at night and a benzoyl peroxide wash in the morning.
        For painful pimples your dermatologist may prescribe doxycycline 100 mg for six weeks.
        Do not squeeze the pimples and use an oil free sunscreen daily.
        """,
    ),
    _c(
        "dermatology",
        "adult",
        """
        A few minutes after eating prawns my lips and tongue started swelling.
        I have hives all over my body and I am finding it hard to breathe.
        My throat feels tight and my voice has become hoarse.
        """,
        """
        This is anaphylaxis, a severe allergic reaction most likely due to the seafood.
        Throat tightness and difficulty in breathing mean the airway is getting affected.
        """,
        """
        Use an adrenaline auto injector if you have one and call emergency services right now.
        Go to the nearest emergency room immediately, even if the swelling seems to improve.
        After recovery consult an allergist and carry an epinephrine pen at all times.
        """,
        emergency=True,
    ),
    # -- gastroenterology ----------------------------------------------------------------
    _c(
        "gastroenterology",
        "adult",
        """
        I have burning pain in the upper abdomen and chest after meals.
        Sour water comes up to my throat when I lie down at night.
        I also have bloating and belching for {dur}.
        """,
        """
        Your symptoms are suggestive of acid reflux disease (GERD) with gastritis.
        Burning after meals and sour regurgitation are due to acid flowing back into the food pipe.
        """,
        """
        Take pantoprazole 40 mg once daily before breakfast for four to six weeks.
        Avoid spicy and oily food, tea, coffee and alcohol, and do not lie down for two hours after meals.
        Raise the head end of your bed and try to reduce weight.
        If the pain persists, consult a gastroenterologist for an endoscopy.
        """,
    ),
    _c(
        "gastroenterology",
        "adult",
        """
        I have loose motions six to eight times a day since {dur}.
        There is cramping pain in my lower abdomen and mild fever.
        I ate food from a roadside stall before this started.
        """,
        """
        This is most likely acute gastroenteritis due to contaminated food.
        Fever with cramps could be due to a bacterial infection.
        """,
        """
        Drink plenty of oral rehydration solution and take small frequent light meals.
        Take a probiotic capsule twice daily and paracetamol for fever.
        Get a stool test done; your doctor may prescribe ciprofloxacin if it shows infection.
        Go to a hospital if you notice blood in stools, very low urine or dizziness.
        """,
    ),
    _c(
        "gastroenterology",
        "adult",
        """
        I have alternating constipation and loose stools for {dur}.
        My stomach bloats after meals and the pain is relieved after passing stool.
        I get more symptoms when I am stressed at work.
        """,
        """
        These symptoms are suggestive of irritable bowel syndrome.
        It is a functional problem of the gut and is not due to any serious disease in most people.
        """,
        """
        I would recommend a high fibre diet with isabgol husk two teaspoons at night.
        Your doctor may prescribe mebeverine 135 mg three times a day for the cramps.
        Regular exercise, yoga and stress management help a lot.
        """,
    ),
    # -- neurology -----------------------------------------------------------------------
    _c(
        "neurology",
        "adult",
        """
        I get severe headaches on one side of my head with nausea.
        Bright light and noise make the headache worse and I have to lie down in a dark room.
        These attacks come two or three times a month since {dur}.
        """,
        """
        This is most likely migraine, which is a common cause of one sided throbbing headache.
        Triggers like lack of sleep, fasting and stress are usually involved.
        """,
        """
        Take naproxen 500 mg or sumatriptan 50 mg at the start of an attack.
        For frequent attacks your neurologist may prescribe propranolol or flunarizine for prevention.
        Keep a headache diary, sleep on time and do not skip meals.
        """,
    ),
    _c(
        "neurology",
        "adult",
        """
        My mother suddenly cannot speak properly and her face is drooping on the right side.
        Her right arm became weak about {dur} ago and she cannot lift it.
        She has high blood pressure and diabetes.
        """,
        """
        Sudden facial droop, slurred speech and arm weakness are signs of a stroke.
        It is likely due to a clot blocking a blood vessel in the brain.
        """,
        """
        Please take her to the nearest emergency department immediately; this is an emergency.
        Clot dissolving treatment works only in the first few hours, so do not wait.
        Do not give her anything to eat or drink until she is assessed.
        An urgent CT scan of the brain will be done at the hospital.
        """,
        emergency=True,
    ),
    _c(
        "neurology",
        "adult",
        """
        I have tingling and numbness in my thumb and first two fingers.
        It wakes me up at night and I shake my hand to get relief.
        I work on a computer the whole day for {dur}.
        """,
        """
        These symptoms are suggestive of carpal tunnel syndrome.
        It is due to pressure on the median nerve at the wrist.
        """,
        """
        I recommend a wrist splint at night and regular breaks from typing.
        Take a vitamin B12 supplement and ibuprofen 400 mg after food for a week if needed.
        Consult a neurologist for a nerve conduction study; an injection or surgery may be needed.
        """,
    ),
    # -- psychiatry ----------------------------------------------------------------------
    _c(
        "psychiatry",
        "adult",
        """
        I have been feeling very low and hopeless for {dur}.
        I do not enjoy anything, I cannot sleep and I have lost my appetite.
        I find it hard to concentrate at work and I cry without reason.
        """,
        """
        Your symptoms are suggestive of depression.
        It is a common and treatable illness and it is not due to any weakness on your part.
        """,
        """
        I would suggest you consult a psychiatrist for proper evaluation.
        Medicines like escitalopram 10 mg and counselling with a psychologist help most people.
        Regular exercise, a fixed sleep routine and talking to family members will help you.
        """,
    ),
    _c(
        "psychiatry",
        "adult",
        """
        I have been thinking of ending my life for {dur}.
        I feel like a burden to everyone and I have started giving away my things.
        Last night I searched about ways to kill myself.
        """,
        """
        These are suicidal thoughts, and they are most likely due to severe depression.
        This is a medical emergency, and you deserve help right now.
        """,
        """
        Please go to the nearest emergency department or call your local emergency number now.
        Contact a suicide prevention helpline and do not stay alone; tell a family member or friend.
        Remove any pills or sharp objects from your home.
        Once you are safe, a psychiatrist will start treatment and counselling.
        """,
        emergency=True,
    ),
    _c(
        "psychiatry",
        "adult",
        """
        I get sudden attacks of fear with pounding heart, sweating and shaking.
        During the attack I feel I am going to die or lose control.
        All my heart tests were normal and the attacks keep happening for {dur}.
        """,
        """
        These episodes are likely panic attacks, a type of anxiety disorder.
        Normal heart tests mean they are not due to a heart problem.
        """,
        """
        Slow breathing exercises help to stop an attack.
        Consult a psychiatrist, who may prescribe sertraline 50 mg along with cognitive behaviour therapy.
        Avoid caffeine and alcohol and practise relaxation daily.
        """,
    ),
    # -- obstetrics & gynecology ---------------------------------------------------------
    _c(
        "obstetrics_gynecology",
        "female",
        """
        My periods are irregular and come every two to three months.
        I have gained weight and have acne and extra hair on my chin.
        We are trying to conceive for {dur} without success.
        """,
        """
        This is suggestive of polycystic ovary syndrome (PCOS).
        Irregular cycles with weight gain and excess hair are due to hormonal imbalance.
        """,
        """
        Get an ultrasound of the pelvis and blood tests for LH, FSH, testosterone and sugar done.
        Weight reduction of even five to ten percent helps to restore ovulation.
        Your gynecologist may prescribe metformin 500 mg and ovulation induction with letrozole.
        """,
    ),
    _c(
        "obstetrics_gynecology",
        "female",
        """
        I am eight weeks pregnant and I have heavy vaginal bleeding with clots.
        I have severe cramps in the lower abdomen and I feel dizzy.
        I have soaked three pads in the last hour.
        """,
        """
        Heavy bleeding with clots in early pregnancy could be a miscarriage or an ectopic pregnancy.
        Soaking pads every hour means severe blood loss.
        """,
        """
        Please go to the nearest emergency room immediately; do not wait for a routine appointment.
        An urgent ultrasound and blood tests are needed, and you may need fluids or a blood transfusion.
        Lie down with your legs raised while someone arranges transport.
        """,
        emergency=True,
    ),
    _c(
        "obstetrics_gynecology",
        "female",
        """
        I have white thick vaginal discharge with itching and burning.
        It started after I took antibiotics for a throat infection {dur} ago.
        There is no bad smell.
        """,
        """
        This is most likely a vaginal yeast infection (candidiasis).
        It is common after antibiotics because they disturb the normal bacteria.
        """,
        """
        Use clotrimazole vaginal pessary at night for six nights.
        A single dose of fluconazole 150 mg tablet can be taken as advised by your doctor.
        Wear cotton undergarments and avoid douching and scented soaps.
        """,
    ),
    # -- pediatrics ----------------------------------------------------------------------
    _c(
        "pediatrics",
        "child",
        """
        My child has fever of 101 F and runny nose for {dur}.
        He is coughing at night and not eating well, but he is playing normally.
        """,
        """
        This is most likely a viral upper respiratory infection, which is very common in children.
        A child who is active and playing is usually not seriously ill.
        """,
        """
        Give paracetamol syrup 15 mg per kg every six hours for fever.
        Use saline nasal drops and give plenty of warm fluids.
        Consult your pediatrician if the fever lasts more than three days or he has fast breathing.
        Antibiotics are not needed for a viral infection.
        """,
    ),
    _c(
        "pediatrics",
        "child",
        """
        My baby has loose motions and vomiting since {dur}.
        She is passing less urine and her lips look dry.
        She is very sleepy and crying without tears.
        """,
        """
        These are signs of dehydration due to gastroenteritis.
        Sleepiness, less urine and no tears mean the dehydration could be moderate to severe.
        """,
        """
        Please take her to the hospital emergency right away; she may need intravenous fluids.
        Keep giving small sips of oral rehydration solution on the way.
        Zinc supplements for 14 days are usually prescribed after recovery.
        """,
        emergency=True,
    ),
    _c(
        "pediatrics",
        "child",
        """
        My son has itchy dry patches on his cheeks and behind the knees.
        The itching is worse at night and he scratches till it bleeds.
        His father has asthma.
        """,
        """
        This is suggestive of atopic dermatitis (eczema).
        It is due to a sensitive skin barrier and often runs in families with asthma or allergies.
        """,
        """
        Apply a fragrance free moisturiser three times a day and after every bath.
        Your pediatrician may prescribe a mild steroid cream like hydrocortisone for flares.
        Give cetirizine syrup at night to reduce itching and keep his nails short.
        """,
    ),
    # -- orthopedics ---------------------------------------------------------------------
    _c(
        "orthopedics",
        "adult",
        """
        I have lower back pain that goes down my right leg to the foot.
        The pain is worse when I sit for long or bend forward.
        I lifted a heavy box {dur} ago and the pain started after that.
        """,
        """
        This is most likely sciatica due to a slipped disc pressing on the nerve.
        Pain running down the leg after lifting is typical of a disc prolapse.
        """,
        """
        Take rest for two to three days, but do not stay in bed for long.
        Take aceclofenac 100 mg twice daily after food and apply hot fomentation.
        Physiotherapy with back strengthening exercises is recommended.
        Get an MRI of the lumbar spine if you develop numbness, weakness or problems passing urine.
        """,
    ),
    _c(
        "orthopedics",
        "adult",
        """
        Both my knees hurt when I climb stairs and get up from the floor.
        There is stiffness in the morning and a crackling sound on bending.
        I am overweight and the pain has increased over {dur}.
        """,
        """
        Your symptoms are suggestive of osteoarthritis of the knees.
        It is due to wear and tear of the cartilage and is worsened by extra weight.
        """,
        """
        Reduce weight and do quadriceps strengthening exercises daily.
        Take paracetamol 650 mg when needed and apply diclofenac gel on the knees.
        Calcium and vitamin D supplements are recommended, and consult an orthopedician for an x-ray.
        """,
    ),
    _c(
        "orthopedics",
        "adult",
        """
        I twisted my ankle while playing football {dur} ago.
        It is swollen on the outer side and I can walk with difficulty.
        There is bluish discolouration around the ankle.
        """,
        """
        This is most likely a ligament sprain of the ankle.
        A fracture should be ruled out if you cannot bear weight.
        """,
        """
        Follow rest, ice, compression and elevation for 48 hours.
        Take ibuprofen 400 mg after food for pain and apply a crepe bandage.
        Get an x-ray of the ankle done and consult an orthopedician if the swelling does not settle.
        """,
    ),
    # -- ENT -----------------------------------------------------------------------------
    _c(
        "ent",
        "adult",
        """
        I have pain in my right ear with reduced hearing for {dur}.
        There was a yellow discharge from the ear yesterday.
        I had a cold before the ear pain started.
        """,
        """
        This is most likely acute otitis media, a middle ear infection.
        Discharge after pain could be due to a small tear in the ear drum, which usually heals.
        """,
        """
        Take amoxicillin with clavulanic acid 625 mg twice daily for seven days as prescribed by your doctor.
        Take paracetamol for pain and keep the ear dry; do not put oil in the ear.
        Consult an ENT specialist after treatment to check that the ear drum has healed.
        """,
    ),
    _c(
        "ent",
        "adult",
        """
        My nose is blocked on both sides and I sneeze a lot in the morning.
        I have a heavy feeling over my cheeks and forehead for {dur}.
        Thick mucus drips at the back of my throat.
        """,
        """
        This is suggestive of allergic rhinitis with sinusitis.
        Facial heaviness with thick post nasal drip is due to blocked sinus drainage.
        """,
        """
        Use a steroid nasal spray like fluticasone twice daily and take steam inhalation.
        Take levocetirizine 5 mg at night for the allergy.
        If it does not improve, consult an ENT doctor for a CT scan of the sinuses.
        """,
    ),
    _c(
        "ent",
        "adult",
        """
        I have a sore throat with pain on swallowing and fever for {dur}.
        My tonsils look swollen and there are white spots on them.
        """,
        """
        This looks like acute tonsillitis, which could be due to a bacterial infection.
        White spots with fever are often due to streptococcus.
        """,
        """
        Do warm salt water gargles four times a day.
        Your doctor may prescribe amoxicillin 500 mg three times a day for ten days.
        Take paracetamol for fever and drink plenty of warm fluids.
        """,
    ),
    # -- urology / nephrology ------------------------------------------------------------
    _c(
        "urology_nephrology",
        "adult",
        """
        I have sudden severe pain in my left flank going down to the groin.
        The pain comes in waves and I vomited twice.
        My urine is reddish since {dur}.
        """,
        """
        These symptoms are suggestive of a kidney stone (renal colic).
        Blood in urine with colicky pain is typical of a stone moving down the ureter.
        """,
        """
        Take diclofenac injection or tablet for pain as prescribed and drink three litres of water a day.
        Get an ultrasound of the abdomen or a CT KUB done to see the size of the stone.
        Tamsulosin 0.4 mg at night helps small stones to pass; consult a urologist if it is large.
        """,
    ),
    _c(
        "urology_nephrology",
        "female",
        """
        I have burning while passing urine and I need to go again and again.
        There is pain in the lower abdomen and the urine smells bad.
        It started {dur} ago.
        """,
        """
        This is most likely a urinary tract infection (cystitis).
        It is due to bacteria entering the bladder and is more common in women.
        """,
        """
        Get a urine routine and culture test done.
        Your doctor may prescribe nitrofurantoin 100 mg twice daily for five days.
        Drink plenty of water and do not hold urine for long.
        """,
    ),
    _c(
        "urology_nephrology",
        "male",
        """
        I have to get up four or five times at night to pass urine.
        The stream is weak and I feel the bladder is not empty after passing urine.
        This has been increasing over {dur}.
        """,
        """
        At your age these symptoms are likely due to benign prostatic enlargement.
        Prostate cancer should be ruled out with a PSA test.
        """,
        """
        Get a PSA test and an ultrasound with post void residual urine done.
        A urologist may prescribe tamsulosin 0.4 mg at bedtime.
        Reduce fluids after evening and avoid tea and coffee at night.
        """,
    ),
    # -- endocrinology -------------------------------------------------------------------
    _c(
        "endocrinology",
        "adult",
        """
        My fasting sugar is 168 and after food it is 245.
        I feel thirsty all the time and pass urine frequently.
        I have lost some weight in {dur} without trying.
        """,
        """
        These readings are suggestive of type 2 diabetes mellitus.
        Thirst, frequent urination and weight loss are due to high blood sugar.
        """,
        """
        Get an HbA1c, lipid profile and kidney function test done.
        Your doctor will likely prescribe metformin 500 mg twice daily after meals.
        Follow a diabetic diet, avoid sweets and walk for 45 minutes every day.
        """,
    ),
    _c(
        "endocrinology",
        "adult",
        """
        I feel tired all day and have gained weight despite eating less.
        My hair is falling and I feel cold when others do not.
        My TSH report came as 9.8 {dur} ago.
        """,
        """
        A high TSH with these symptoms is suggestive of hypothyroidism.
        It is commonly due to autoimmune thyroiditis.
        """,
        """
        Take levothyroxine 50 mcg on an empty stomach every morning as prescribed.
        Repeat the TSH test after six weeks so the dose can be adjusted.
        Consult an endocrinologist if you are planning a pregnancy.
        """,
    ),
    _c(
        "endocrinology",
        "adult",
        """
        I feel my heart racing, my hands shake and I sweat a lot.
        I have lost weight even though I eat well, for {dur}.
        There is a swelling in the front of my neck.
        """,
        """
        These symptoms are suggestive of hyperthyroidism, possibly due to Graves disease.
        The neck swelling could be an enlarged thyroid gland (goitre).
        """,
        """
        Get T3, T4, TSH and a thyroid scan done.
        An endocrinologist may prescribe carbimazole and propranolol 20 mg for the palpitations.
        Avoid iodine rich supplements until the treatment is planned.
        """,
    ),
    # -- pulmonology ---------------------------------------------------------------------
    _c(
        "pulmonology",
        "adult",
        """
        I get wheezing and shortness of breath, especially at night.
        Cold air and dust make my cough worse.
        I have used an inhaler borrowed from a friend for {dur}.
        """,
        """
        This is most likely bronchial asthma.
        Night time wheeze triggered by dust and cold air is due to sensitive, narrowed airways.
        """,
        """
        Get a spirometry test done to confirm the diagnosis.
        Your doctor may prescribe a budesonide formoterol inhaler twice daily and salbutamol for relief.
        Avoid dust and smoke, and learn the correct inhaler technique.
        """,
    ),
    _c(
        "pulmonology",
        "adult",
        """
        I have cough with yellow sputum and fever of 102 F for {dur}.
        I have pain on the right side of the chest when I take a deep breath.
        I feel breathless on walking.
        """,
        """
        These symptoms could be due to pneumonia, an infection of the lungs.
        Chest pain on breathing suggests the lining of the lung is involved.
        """,
        """
        Get a chest x-ray, complete blood count and sputum culture done.
        Your doctor may prescribe amoxicillin clavulanate with azithromycin for a week.
        Go to the emergency room if you become more breathless or your lips turn blue.
        """,
    ),
    _c(
        "pulmonology",
        "adult",
        """
        I have a cough for {dur} with blood streaks in the sputum.
        I have night sweats, fever in the evening and I have lost weight.
        """,
        """
        A long cough with blood, evening fever and weight loss is suggestive of tuberculosis.
        Lung cancer also needs to be ruled out if you are a smoker.
        """,
        """
        Get a chest x-ray and sputum tests for TB (GeneXpert) done.
        If TB is confirmed, a six month course of anti tubercular treatment is prescribed.
        Consult a pulmonologist and cover your mouth while coughing.
        """,
    ),
    # -- infectious disease --------------------------------------------------------------
    _c(
        "infectious_disease",
        "adult",
        """
        My brother has high fever of 104 F with severe headache since {dur}.
        His neck is stiff and he cannot bend it forward.
        He is vomiting and cannot bear bright light, and he seems confused.
        """,
        """
        High fever with a stiff neck and confusion could be meningitis, an infection around the brain.
        This is an emergency and is likely due to a bacterial or viral infection.
        """,
        """
        Please take him to the nearest emergency department immediately.
        He will need urgent blood tests, a lumbar puncture and intravenous antibiotics.
        Do not wait for the fever to come down at home.
        """,
        emergency=True,
    ),
    _c(
        "infectious_disease",
        "adult",
        """
        I have high fever with chills for {dur} and severe body ache.
        There is pain behind my eyes and red spots on my legs.
        Many people in my area have dengue.
        """,
        """
        Your symptoms are suggestive of dengue fever.
        Red spots could be due to a low platelet count.
        """,
        """
        Get an NS1 antigen test and a complete blood count with platelets done.
        Take only paracetamol for fever and avoid ibuprofen and aspirin.
        Drink three litres of fluids a day; go to hospital if you have bleeding, vomiting or severe pain.
        """,
    ),
    _c(
        "infectious_disease",
        "adult",
        """
        I have fever every alternate day with shivering and sweating.
        I recently travelled to a forest area {dur} ago.
        I feel very weak and have a headache.
        """,
        """
        Fever with chills on alternate days after travel is suggestive of malaria.
        It is due to a parasite spread by mosquito bites.
        """,
        """
        Get a malaria antigen test and a peripheral smear done today.
        If positive, your doctor will prescribe artemisinin based combination therapy.
        Use mosquito nets and repellents to prevent it in future.
        """,
    ),
    # -- dentistry -----------------------------------------------------------------------
    _c(
        "dentistry",
        "adult",
        """
        I have severe throbbing pain in a lower back tooth for {dur}.
        The pain increases with hot food and keeps me awake at night.
        There is a big black cavity in that tooth.
        """,
        """
        This is most likely irreversible pulpitis due to deep caries reaching the nerve.
        Night pain with sensitivity to heat means the pulp is inflamed.
        """,
        """
        Consult a dentist for an x-ray of the tooth; root canal treatment is recommended.
        Take ibuprofen 400 mg with paracetamol for pain until then.
        Avoid chewing on that side and keep the area clean.
        """,
    ),
    _c(
        "dentistry",
        "adult",
        """
        My gums bleed when I brush and there is bad breath.
        My gums look red and swollen since {dur}.
        """,
        """
        These are signs of gingivitis, an inflammation of the gums.
        It is due to plaque and tartar deposits along the gum line.
        """,
        """
        Get a professional scaling and polishing done by a dentist.
        Brush twice daily with a soft brush and use chlorhexidine mouthwash for two weeks.
        Floss daily and stop smoking if you smoke.
        """,
    ),
    _c(
        "dentistry",
        "adult",
        """
        My wisdom tooth is coming out and the gum over it is swollen and painful.
        I cannot open my mouth fully and it hurts to swallow for {dur}.
        """,
        """
        This is pericoronitis, an infection of the gum around a partially erupted wisdom tooth.
        Difficulty in opening the mouth is due to spread of the inflammation to the muscles.
        """,
        """
        Do warm salt water rinses and take amoxicillin with metronidazole as prescribed by your dentist.
        Take ibuprofen 400 mg for pain.
        Once the infection settles, get an x-ray done; removal of the wisdom tooth may be recommended.
        """,
    ),
    # -- general -------------------------------------------------------------------------
    _c(
        "general",
        "adult",
        """
        I feel tired all the time and get breathless on climbing stairs.
        My face looks pale and I get frequent headaches.
        My periods are heavy and my hemoglobin was 8.5 {dur} ago.
        """,
        """
        Low hemoglobin with tiredness is suggestive of iron deficiency anemia.
        It is likely due to heavy periods and low iron in the diet.
        """,
        """
        Take an iron tablet like ferrous ascorbate 100 mg once daily after food with vitamin C.
        Eat green leafy vegetables, jaggery, dates and meat if you are not vegetarian.
        Repeat the hemoglobin test after one month and consult a gynecologist for the heavy periods.
        """,
    ),
    _c(
        "general",
        "adult",
        """
        I have fever, sore throat and body ache for {dur}.
        My nose is running and I feel tired.
        """,
        """
        This is most likely a viral fever (common cold or flu).
        It is due to a viral infection and usually settles in five to seven days.
        """,
        """
        Take paracetamol 650 mg three times a day for fever and body ache.
        Drink warm fluids, do salt water gargles and take adequate rest.
        Consult a doctor if the fever lasts beyond five days or you feel breathless.
        """,
    ),
    _c(
        "general",
        "adult",
        """
        I have a small painless lump under the skin of my back for {dur}.
        It is soft, moves when I press it and has not grown.
        """,
        """
        A soft, movable, painless lump is most likely a lipoma, which is a harmless fatty swelling.
        Sometimes a sebaceous cyst could look similar.
        """,
        """
        An ultrasound of the swelling is recommended to confirm it.
        No treatment is needed unless it grows; a surgeon can remove it under local anesthesia.
        """,
    ),
)

SPECIALTIES = tuple(sorted({c.specialty for c in CONDITIONS}))

# -- the patient's side ------------------------------------------------------------------
OPENERS = ("Hi doctor,", "Hello,", "Respected sir,", "Hi,", "Dear doctor,", "Good morning doctor,", "")
DURATIONS = ("two days", "a week", "ten days", "three weeks", "a month", "two months", "six months", "a year")
AGES = range(19, 71)
KID = ("son", "daughter")
HISTORY = (
    "I am not diabetic and my blood pressure is normal.",
    "I do not smoke but I drink alcohol occasionally on weekends.",
    "I have no known allergies to any medicine.",
    "I took some painkillers from the chemist but they did not help much.",
    "My blood tests last year were normal.",
    "I have been under a lot of stress at work recently.",
    "I am worried because my friend had similar symptoms and it turned out to be serious.",
    "I have hypothyroidism and take thyroxine 50 mcg daily.",
    "I went to a local clinic and they gave me some tablets, but I don't remember the names.",
    "I have searched on the internet and now I am very scared.",
    "I am a software engineer and sit for long hours.",
    "Nobody in my family has a similar problem.",
    "I had a similar episode two years back which settled on its own.",
    "I am taking multivitamins and drinking a lot of water.",
    "I have two small kids and I cannot take long leave from work, so I want to get this sorted quickly.",
    "My husband says I am overthinking, but the symptoms are really bothering me.",
    "I had my dinner late last night and slept only four hours.",
    "I was treated for typhoid three years ago and recovered fully.",
    "I live alone and there is no good hospital near my village.",
    "I have already spent a lot of money on tests and I want to know the right way forward.",
)
ASKS = (
    "What could be the reason for this?",
    "Is it something serious?",
    "Please tell me what I should do.",
    "Should I be worried?",
    "Which tests should I get done?",
    "What is the treatment for this?",
    "Can this be cured completely?",
    "Please help, I don't know what to do.",
    "Do I need to see a specialist?",
    "Kindly advise.",
)
# -- the doctor's side -------------------------------------------------------------------
GREETINGS = (
    "Hi, thanks for query.",
    "Hello, I have gone through your query and understand your concerns.",
    "Hi, thanks for writing in.",
    "Hello and welcome. I have read your question carefully.",
    "Hi. Thanks for your query.",
    "Hello, thanks for posting your query.",
    "Dear friend, I have gone through your query.",
    "Hi there.",
)
REASSURE = (
    "I can understand your concern.",
    "Do not panic.",
    "This is quite common and nothing to be ashamed of.",
    "Most people recover well with timely care.",
    "Your detailed description helps a lot.",
)
ADVICE = (
    "Follow up with your doctor along with the reports.",
    "Eat a balanced diet with fruits and vegetables and drink enough water.",
    "Do not take any medicine without a prescription and avoid self medication.",
    "Get adequate sleep and try to keep stress under control.",
    "Keep a note of your symptoms so that your doctor can review the pattern.",
    "Avoid smoking and alcohol as they delay recovery.",
)
CLOSINGS = (
    "Hope this helps. Take care.",
    "Hope I have answered your query. Let me know if I can assist you further.",
    "Wish you good health.",
    "Take care and get well soon.",
    "Regards, Dr. {doctor}",
    "Hope this information helps you. Regards.",
    "Feel free to ask any more questions. Best wishes.",
)
URGENT = "Please do not delay; this needs to be seen in person today."
DOCTORS = ("Sharma", "Rao", "Menon", "Gupta", "Iyer", "Khan", "Das", "Patel", "Nair", "Singh")
#: Words the scraper's "ChatDoctor" overwrote across a word boundary, as in the real data.
BOUNDARY_SPLICES = (("fresh gel", "fresChatDoctorel"), ("with hot", "wiChatDoctorot"))


def _question(rng: random.Random, cond: Condition) -> str:
    dur = rng.choice(DURATIONS)
    age = rng.choice(AGES)
    if cond.who == "child":
        kid = rng.choice(KID)
        intro = f"My {kid} is {rng.randint(1, 12)} years old."
    else:
        sex = {"female": "female", "male": "male"}.get(cond.who) or rng.choice(("male", "female"))
        intro = f"I am a {age} year old {sex}."
    symptoms = [s.format(dur=dur) for s in cond.symptoms]
    rng.shuffle(symptoms)
    body = symptoms[: rng.randint(max(2, len(symptoms) - 1), len(symptoms))]
    history = rng.sample(HISTORY, rng.randint(0, 7))
    asks = rng.sample(ASKS, rng.randint(1, 2))
    parts = [rng.choice(OPENERS), intro, *body, *history, *asks]
    text = " ".join(p for p in parts if p)
    while len(text.split()) < 30:
        text += " " + rng.choice(HISTORY)
    return text


def _answer(rng: random.Random, cond: Condition) -> str:
    dx = list(cond.diagnosis[: rng.randint(1, len(cond.diagnosis))])
    tx = list(cond.treatment[: rng.randint(2, len(cond.treatment))])
    parts = [rng.choice(GREETINGS)]
    if rng.random() < 0.4:
        parts.append(rng.choice(REASSURE))
    style = rng.random()
    if style < 0.05:
        parts += tx  # no diagnosis: left unstructured by prepare
    elif style < 0.10:
        parts += dx + rng.sample(REASSURE, 2)  # no treatment
    else:
        parts += dx + tx + rng.sample(ADVICE, rng.randint(0, 4))
    if cond.emergency:
        parts.append(URGENT)
    parts.append(rng.choice(CLOSINGS).format(doctor=rng.choice(DOCTORS)))
    text = " ".join(parts)
    while len(text.split()) < 40:
        text = text.replace(parts[-1], f"{rng.choice(REASSURE)} {parts[-1]}")
    return text


# -- noise -------------------------------------------------------------------------------


def _chatdoctor(rng: random.Random, text: str) -> str:
    """Insert the scraper's token: as a greeting, as a word, or inside a word."""
    kind = rng.random()
    if kind < 0.3:
        return "Hi, ChatDoctor. " + text.split(".", 1)[-1].lstrip()
    if kind < 0.5:
        return text.replace(". ", ". Thanks for using Chat Doctor. ", 1)
    for plain, spliced in BOUNDARY_SPLICES:
        if plain in text:
            return text.replace(plain, spliced, 1)
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= 6]
    if not long:
        return text
    i = rng.choice(long)
    cut = rng.randint(2, len(words[i]) - 2)
    words[i] = words[i][:cut] + "ChatDoctor" + words[i][cut:]
    return " ".join(words)


def _truncate(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    keep = rng.randint(max(40, len(words) // 2), max(40, len(words) - 3))
    cut = " ".join(words[:keep]).rstrip(".!?,;")
    return cut if len(words) > 44 else text


def _mojibake(text: str) -> str:
    return text.replace("'", "\u2019").encode("utf-8").decode("cp1252", errors="replace")


def _whitespace(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(words))
        words[i] += rng.choice(("  ", " \n", "\t", "\n\n"))
    return rng.choice(("", " ", "\n")) + " ".join(words) + rng.choice(("", " ", "  \n"))


def _near_duplicate(rng: random.Random, text: str) -> str:
    variant = rng.random()
    if variant < 0.5:
        return text.upper() if rng.random() < 0.2 else text.replace(". ", ".  ").replace(",", " ,")
    words = text.split(" ")
    i = rng.randrange(len(words))
    words[i] = {"I": "i", "my": "My", "the": "this"}.get(words[i], words[i])
    return " ".join(words) + rng.choice(("", " Thanks.", " Please reply."))


def _row(question: str, answer: str, specialty: str) -> dict[str, Any]:
    return {"instruction": DEFAULT_INSTRUCTION, "input": question, "output": answer, "specialty": specialty}


def compose(n: int, seed: int = SAMPLE_SEED) -> list[dict[str, Any]]:
    """``n`` noisy synthetic rows (lavita schema + ``specialty``), the same for the same seed."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    conds: list[Condition] = []  # the condition behind each row
    while len(rows) < n:
        roll = rng.random()
        if rows and roll < 0.03:  # exact duplicate of an earlier row
            i = rng.randrange(len(rows))
            rows.append(dict(rows[i]))
            conds.append(conds[i])
            continue
        if rows and roll < 0.06:  # near-duplicate question, new answer
            i = rng.randrange(len(rows))
            question = _near_duplicate(rng, rows[i]["input"])
            rows.append(_row(question, _answer(rng, conds[i]), conds[i].specialty))
            conds.append(conds[i])
            continue
        cond = CONDITIONS[len(rows)] if len(rows) < len(CONDITIONS) else rng.choice(CONDITIONS)
        conds.append(cond)
        if roll < 0.07:  # empty or too-short answer
            rows.append(_row(_question(rng, cond), rng.choice(("", "Take care.", "Ok")), cond.specialty))
            continue
        question, answer = _question(rng, cond), _answer(rng, cond)
        if rng.random() < 0.30:
            answer = _chatdoctor(rng, answer)
        if rng.random() < 0.05:
            question = _chatdoctor(rng, question)
        if rng.random() < 0.15:
            answer = _truncate(rng, answer)
        if rng.random() < 0.08:
            question = _mojibake(question)
        if rng.random() < 0.12:
            answer = _whitespace(rng, answer)
        if rng.random() < 0.08:
            question = _whitespace(rng, question)
        rows.append(_row(question, answer, cond.specialty))
    return rows


def write(path: str | Path, rows: list[dict[str, Any]]) -> Path:
    """Write ``rows`` as JSONL (non-ASCII kept, so mojibake stays visible)."""
    from medtune.io import write_jsonl

    return write_jsonl(path, rows)


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    from medtune.data.sample import sample_path

    print(write(sample_path(), compose(SAMPLE_ROWS)))
