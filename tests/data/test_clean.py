"""Hygiene rules: ChatDoctor removal and repair, normalisation, truncation, duplicate keys."""

from __future__ import annotations

import pytest

from medtune.data.clean import is_truncated, normalize, question_key, strip_chatdoctor, vocabulary

VOCAB = vocabulary(["The treatment is fresh gel with hot water.", "Apply the ointment."])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi, ChatDoctor. Thanks for query.", "Hi. Thanks for query."),
        ("Thanks for using Chat Doctor. Take rest.", "Thanks for using. Take rest."),
        ("ChatDoctor. Hello there.", "Hello there."),
        ("Start the treaChatDoctortment today.", "Start the treatment today."),  # inserted: joined
        ("Use the ChatDoctorointment daily.", "Use the ointment daily."),
        ("Apply hotChatDoctorwater.", "Apply hot water."),  # both halves are words
    ],
)
def test_strip_chatdoctor_repairs(text: str, expected: str) -> None:
    out, hits, unrepaired = strip_chatdoctor(text, VOCAB)
    assert (out, hits, unrepaired) == (expected, 1, False)


def test_strip_chatdoctor_flags_what_it_cannot_repair() -> None:
    out, hits, unrepaired = strip_chatdoctor("apply fresChatDoctorel daily", VOCAB)
    assert "ChatDoctor" not in out and hits == 1 and unrepaired


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Take ChatDoctor-K2 60 mg daily.", "Take K2 60 mg daily."),  # not "Take-K2" or "-K2"
        ("ChatDoctor-Forte 500 twice a day.", "Forte 500 twice a day."),
        ("Use Tab-ChatDoctor at night.", "Use Tab at night."),
        ("Apply Chat Doctor-Z cream.", "Apply Z cream."),
    ],
)
def test_strip_chatdoctor_flags_a_hyphenated_name_it_overwrote(text: str, expected: str) -> None:
    assert strip_chatdoctor(text, VOCAB) == (expected, 1, True)


def test_strip_chatdoctor_leaves_no_dangling_dash() -> None:
    assert strip_chatdoctor("Hello ChatDoctor- thanks for asking.", VOCAB) == (
        "Hello thanks for asking.",
        1,
        False,
    )


def test_strip_chatdoctor_leaves_clean_text_alone() -> None:
    assert strip_chatdoctor("See a Doctor soon.", VOCAB) == ("See a Doctor soon.", 0, False)


def test_vocabulary_skips_texts_with_the_token() -> None:
    assert "fresel" not in vocabulary(["fresel ChatDoctor", "clean words"])
    assert {"clean", "words"} <= vocabulary(["fresel ChatDoctor", "clean words"])


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("I donâ€™t know", "I don't know"),
        ("â€œquotedâ€\x9d text", '"quoted" text'),
        ("cafÃ© naÃ¯ve", "café naïve"),
        ("  a \t b\n\nc\u00a0d\u200b ", "a b c d"),
        ("plain text", "plain text"),
    ],
)
def test_normalize(raw: str, clean: str) -> None:
    assert normalize(raw) == clean


@pytest.mark.parametrize(
    ("answer", "cut"),
    [
        ("Take rest and drink water.", False),
        ("Is it serious?", False),
        ("Regards, Dr. Sharma", False),
        ("Hope this helps. Take care", False),
        ("Take paracetamol and consult a", True),
        ("The cause could be an infection,", True),
        ("", False),
    ],
)
def test_is_truncated(answer: str, cut: bool) -> None:
    assert is_truncated(answer) is cut


def test_question_key_ignores_case_spacing_and_punctuation() -> None:
    assert question_key("Hi,  Doctor! I have FEVER.") == question_key("hi doctor i have fever")
    assert question_key("fever 102") != question_key("fever 103")
    assert question_key("Café") != question_key("Cafe")
