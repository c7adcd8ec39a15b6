# ruff: noqa: E501  (one labelled question per line)
"""Hand-written patient questions in HealthCareMagic style, labelled with the specialty ids of
the labelling guide: five or more per specialty, each a question a triage nurse would route
without hesitation. Written for these tests (no row of any labelled data set is copied); the
first 75 predate the current rules and are not edited to fit them.
"""

LABELLED: list[tuple[str, str]] = [
    # cardiology
    ("cardiology", "I am 54 and get a tight pressure in my chest when I climb stairs, it goes away with rest. My father had a heart attack at 60."),
    ("cardiology", "My BP readings are 160/100 for the past week even though I take amlodipine. Should I increase the dose?"),
    ("cardiology", "I feel my heart racing suddenly for a few minutes at night, ECG at the clinic was normal. What could cause these palpitations?"),
    ("cardiology", "My cholesterol is 280 and LDL 190, doctor wants me on a statin. Is diet enough to bring it down?"),
    ("cardiology", "After my angiography they found 70% blockage and suggested a stent. Is it safe or can medicines alone work?"),
    # dermatology
    ("dermatology", "I have red itchy patches on my elbows with silvery scales that keep coming back in winter."),
    ("dermatology", "Hi, I am 19 and have a lot of pimples and acne scars on my cheeks, nothing seems to work."),
    ("dermatology", "There is a mole on my back that has become darker and bigger in the last two months, should I worry?"),
    ("dermatology", "I am losing a lot of hair from the crown area, hair fall is worse after washing. What treatment do you suggest?"),
    ("dermatology", "I developed itchy raised welts all over my skin after eating shrimp yesterday, they come and go."),
    # gastroenterology
    ("gastroenterology", "I get a burning feeling in my chest and sour taste in my mouth after meals, especially at night when lying down."),
    ("gastroenterology", "I have had loose motions and cramps for three days after eating street food, no blood."),
    ("gastroenterology", "My liver tests show SGPT 120 and SGOT 90, I drink occasionally. What does this mean?"),
    ("gastroenterology", "I have constipation and bleeding while passing stool, there is a painful lump near the anus."),
    ("gastroenterology", "Sharp pain in upper right abdomen after fatty food, ultrasound showed gallstones. Do I need surgery?"),
    # neurology
    ("neurology", "I get throbbing one-sided headaches with flashing lights before them, and light bothers me a lot."),
    ("neurology", "My husband had a seizure last night for the first time, he is 45 and has no history of epilepsy."),
    ("neurology", "I have numbness and tingling in both feet for months, worse at night. I am not diabetic."),
    ("neurology", "My mother's hands shake when she is resting and her walking has become slow and shuffling."),
    ("neurology", "Since a fall where I hit my head I have had headaches, forgetfulness and trouble concentrating."),
    # psychiatry
    ("psychiatry", "I feel low all the time, have lost interest in everything and cry without reason for the last two months."),
    ("psychiatry", "I get sudden episodes where my heart pounds and I feel I am going to die, they happen in crowded places."),
    ("psychiatry", "I keep checking the door lock dozens of times and washing my hands, I know it is irrational but cannot stop."),
    ("psychiatry", "I have been on escitalopram 10 mg for six months, can I stop it now that I feel better?"),
    ("psychiatry", "I cannot fall asleep until 4 am, my mind keeps racing with worries about work and I feel anxious all day."),
    # obstetrics & gynecology
    ("obstetrics_gynecology", "My periods are irregular, coming every 45 to 60 days, and I have acne and weight gain. Could it be PCOS?"),
    ("obstetrics_gynecology", "I am 8 weeks pregnant and have light spotting today without pain. Is the baby ok?"),
    ("obstetrics_gynecology", "We have been trying to conceive for a year without success, my cycles are regular. What tests should we do?"),
    ("obstetrics_gynecology", "I have white thick discharge with itching down there, and burning during intercourse."),
    ("obstetrics_gynecology", "Ultrasound showed a 4 cm fibroid in my uterus and my bleeding is very heavy every month."),
    # pediatrics
    ("pediatrics", "My 2 year old son has had fever of 101 for two days and is not eating well, he is playful in between."),
    ("pediatrics", "My 6 month old baby is not gaining weight, she feeds every 2 hours. Is this normal?"),
    ("pediatrics", "My newborn has yellowish skin and eyes on day 3, the hospital said to watch it."),
    ("pediatrics", "My daughter is 4 years old and keeps getting cough and cold every month since she started school."),
    ("pediatrics", "Is it safe to give my toddler the MMR vaccine when he has a mild runny nose?"),
    # orthopedics
    ("orthopedics", "I have lower back pain radiating to my left leg for three weeks, worse on sitting. MRI shows L4-L5 disc bulge."),
    ("orthopedics", "I twisted my ankle playing football, it is swollen and I cannot put weight on it."),
    ("orthopedics", "My knee makes a cracking sound and pains when climbing stairs, I am 58."),
    ("orthopedics", "I cannot lift my right arm above my head, my shoulder hurts at night when I lie on it."),
    ("orthopedics", "I fractured my wrist 6 weeks ago, the plaster is off but it is still stiff and weak."),
    # ENT
    ("ent", "I have had ringing in my left ear and reduced hearing since a loud concert last week."),
    ("ent", "My throat is very sore, tonsils are swollen with white spots and it hurts to swallow."),
    ("ent", "I have a blocked nose, pressure around my eyes and forehead and yellow nasal discharge for 10 days."),
    ("ent", "My voice has been hoarse for a month, I am a teacher and use my voice a lot."),
    ("ent", "I get nosebleeds from the right nostril almost every day in winter."),
    # urology & nephrology
    ("urology_nephrology", "I have burning while passing urine and need to go very frequently, slight lower belly pain."),
    ("urology_nephrology", "Sudden severe pain in my right flank going to the groin, ultrasound shows a 6 mm kidney stone."),
    ("urology_nephrology", "I am 67 and have a weak urine stream and wake up 4 times at night to pee. PSA is 5.2."),
    ("urology_nephrology", "My creatinine is 2.1 and my doctor mentioned chronic kidney disease. Will I need dialysis?"),
    ("urology_nephrology", "I noticed a painless lump in my left testicle while bathing."),
    # endocrinology
    ("endocrinology", "My fasting blood sugar is 160 and HbA1c is 7.8, I am on metformin 500. Should the dose change?"),
    ("endocrinology", "My TSH is 9.5 and I feel tired and cold all the time, gaining weight. Do I need thyroxine?"),
    ("endocrinology", "I have a swelling in the front of my neck that moves when I swallow, thyroid scan advised."),
    ("endocrinology", "I am type 1 diabetic and my sugars drop at night to 50 even with lower insulin."),
    ("endocrinology", "I am losing weight, sweating, my hands shake and my heart is fast; T3 and T4 are high and TSH very low."),
    # pulmonology
    ("pulmonology", "I get wheezing and shortness of breath at night and when exposed to dust, my inhaler helps a bit."),
    ("pulmonology", "I am a smoker for 30 years and now have a cough with phlegm every morning and get breathless walking."),
    ("pulmonology", "My chest x-ray shows a patch in the right lower lobe and I have fever and cough. Is this pneumonia?"),
    ("pulmonology", "I have had a dry cough for six weeks after a cold, no fever, worse when I talk or laugh."),
    ("pulmonology", "My spirometry shows FEV1 of 60 percent. What does this mean for my lungs?"),
    # infectious disease
    ("infectious_disease", "I had unprotected intercourse two weeks ago and now have a sore on my genitals. Could it be herpes or syphilis?"),
    ("infectious_disease", "I have had high fever with chills every alternate day since returning from a trip, could it be malaria?"),
    ("infectious_disease", "My HIV test at 4 weeks after exposure was negative. Is it conclusive or do I need to repeat?"),
    ("infectious_disease", "Fever for 5 days, body aches and my platelet count has dropped to 80000. Dengue NS1 is positive."),
    ("infectious_disease", "My Widal test is positive 1:160 and I have had fever for a week. Is it typhoid?"),
    # dentistry
    ("dentistry", "I have severe pain in a lower back tooth that gets worse with cold water, there is a big cavity."),
    ("dentistry", "My gums bleed when I brush and they look swollen and red."),
    ("dentistry", "My wisdom tooth is coming out and the gum over it is swollen, it hurts to open my mouth."),
    ("dentistry", "I had a root canal last week but the tooth still hurts when I bite. Is that normal?"),
    ("dentistry", "My 10 year old has crooked teeth, when is the right age to start braces?"),
    # general
    ("general", "I feel tired and weak all day even after sleeping 8 hours, what tests should I get?"),
    ("general", "My vitamin D level is 12 and B12 is 180, what supplements and dose should I take?"),
    ("general", "I have lost 6 kg in two months without trying, my appetite is normal."),
    ("general", "Is it safe to take paracetamol and ibuprofen together for body ache?"),
    ("general", "I am 40 and want a routine health check up, which blood tests are recommended?"),
    # ophthalmology
    ("ophthalmology", "My vision has become blurry for distance over the last year and I squint to read signboards."),
    ("ophthalmology", "My left eye is red and watery with a sticky discharge in the morning, the eyelids are stuck together."),
    ("ophthalmology", "My father is 70 and the doctor says he has cataract in both eyes. When should he get it operated?"),
    ("ophthalmology", "I see floaters and flashes of light in my right eye since yesterday."),
    ("ophthalmology", "My eye pressure was 28 at the optometrist and they mentioned glaucoma, what does that mean?"),
    # oncology
    ("oncology", "My wife has stage 3 breast cancer and finished 4 cycles of chemo, now her hands and feet are numb. Is it from the chemo?"),
    ("oncology", "My father was diagnosed with colon cancer that has spread to the liver. What are his treatment options?"),
    ("oncology", "I finished radiotherapy for throat cancer last month and cannot swallow solid food yet."),
    ("oncology", "The biopsy of the lump in my breast came back malignant. Should I have surgery first or chemotherapy?"),
    ("oncology", "My mother has lymphoma and her oncologist wants to start a new chemo regimen. What side effects should we expect?"),
    # hematology
    ("hematology", "My hemoglobin is 8.2 and ferritin is very low, I feel weak and breathless on stairs. How fast will iron tablets work?"),
    ("hematology", "My platelet count has been 90000 for months and I bruise easily on my legs. What can cause this?"),
    ("hematology", "I have thalassemia minor, can I marry someone who also has it?"),
    ("hematology", "My WBC count came 18000 on two reports but I have no fever. Should I be worried?"),
    ("hematology", "I am on warfarin and my INR is 4.5, my gums bleed a little. Should I skip a dose?"),
]  # fmt: skip
