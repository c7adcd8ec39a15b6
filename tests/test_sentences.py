"""Sentence splitting (medtune.text)."""

from __future__ import annotations

import pytest

from medtune.text import sentences, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See Dr. Rao. It is e.g. mild. Take care!", ["See Dr. Rao.", "It is e.g. mild.", "Take care!"]),
        ("Take tab. Crocin 650 now.  Is it ok? yes", ["Take tab. Crocin 650 now.", "Is it ok?", "yes"]),
        ("Rest.\n\nDrink water\nSleep well", ["Rest.", "Drink water", "Sleep well"]),
        ("no split at 2.5 mg or e.g.now", ["no split at 2.5 mg or e.g.now"]),
        ("  ", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sentences_are_pieces_of_the_text() -> None:
    text = "Hi Dr.\n  Mehta. It hurts!  Since Mon. Thanks."
    assert all(piece in text for piece in sentences(text))
    assert sentences(text)[0] == "Hi Dr.\n  Mehta."


def test_words_keep_inner_apostrophes_and_hyphens() -> None:
    assert words("Don't skip the X-ray, OK?") == ["Don't", "skip", "the", "X-ray", "OK"]
