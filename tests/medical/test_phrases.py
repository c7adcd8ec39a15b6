"""The token phrase matcher behind the medical detectors."""

from __future__ import annotations

import pytest

from medtune.medical.phrases import Phrases, tokens


def found(patterns: list[str], text: str) -> list[str]:
    toks = tokens(text)
    return [" ".join(toks[h.start : h.end]) for h in Phrases().add("x", patterns).scan(toks).get("x", [])]


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("could|may be", "it may be a cold", ["may be"]),
        ("could be well|also? a", "could also be a; could be a", ["could be a"]),  # slots are in order
        ("could well|also? be", "could also be, could be", ["could also be", "could be"]),
        (
            "due to *{0,2} stress",
            "due to work stress, due to stress",
            ["due to work stress", "due to stress"],
        ),
        ("be treat~ with", "be treated with and be retreated with", ["be treated with"]),
        ("see * ~ologist", "see a dermatologist", ["see a dermatologist"]),
        ("# mg", "take 500 mg, not 500mg", ["500 mg"]),
        ("ice !cream|creams", "ice cream; ice packs", ["ice"]),
        ("rest ,", "rest, then walk", ["rest ,"]),
    ],
)
def test_pattern_syntax(pattern: str, text: str, expected: list[str]) -> None:
    assert found([pattern], text) == expected


def test_longest_pattern_wins_and_words_do_not_match_inside_words() -> None:
    assert found(["vitamin d", "vitamin d3"], "take vitamin d3 daily") == ["vitamin d3"]
    assert found(["rest"], "the restless patient") == []


def test_a_pattern_must_start_with_plain_words() -> None:
    with pytest.raises(ValueError, match="first slot"):
        Phrases().add("x", ["* pain"])
    with pytest.raises(ValueError, match="first slot"):
        Phrases().add("x", ["treat~ it"])


def test_tokens_keep_full_stops_only_before_a_space() -> None:
    expected = ["take", "it", "-", "now", ".", "e", "g", ".", "2.5", "mg", "."]
    assert tokens("take it...-now. e.g. 2.5 mg.") == expected


def test_a_number_slot_matches_numbers_only() -> None:
    assert found(["# mg"], "take ( mg twice, 500 mg once") == ["500 mg"]
    assert found(["# mg"], "- mg and 20 mg") == ["20 mg"]
