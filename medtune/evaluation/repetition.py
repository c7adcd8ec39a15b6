"""Repetition: answers caught in a loop, and how varied an answer's wording is.

One rule for evaluation and analysis alike: an answer is a **loop** when at least
:data:`LOOP_SHARE` of its word :data:`LOOP_N`-grams repeat an earlier one, judged only for
answers with at least :data:`LOOP_MIN_NGRAMS` of them (short answers cannot loop).
**distinct-n** is the share of an answer's word n-grams that are unique (1.0 = no
repeats; Li et al., 2016, per answer rather than per corpus).
"""

from __future__ import annotations

from medtune.text import words

LOOP_N = 3
LOOP_SHARE = 0.3
LOOP_MIN_NGRAMS = 8
DISTINCT_N = 2


def _lowered_words(text: str) -> list[str]:
    """The words of ``text``, lower-cased (ASCII text is lower-cased whole: the same words, faster)."""
    return words(text.lower()) if text.isascii() else [w.lower() for w in words(text)]


def _ngrams(text: str, n: int) -> list[tuple[str, ...]]:
    tokens = _lowered_words(text)
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def distinct_n(text: str, n: int = DISTINCT_N) -> float | None:
    """Unique word n-grams over all of them (None for text with no n-gram)."""
    grams = _ngrams(text, n)
    return len(set(grams)) / len(grams) if grams else None


def repeated_share(text: str, n: int = LOOP_N) -> float:
    """Share of the word n-grams of ``text`` that repeat an earlier one (0 when none)."""
    share = distinct_n(text, n)
    return 0.0 if share is None else 1.0 - share


def is_loop(text: str) -> bool:
    """True when the answer is caught in a repetition loop (see the module docstring)."""
    tokens = _lowered_words(text)
    n = len(tokens) - LOOP_N + 1
    # Each repeated n-gram ends on a word's repeated occurrence, so with more distinct words
    # than this no LOOP_SHARE of the n-grams can repeat: skip counting them (most text).
    if n < LOOP_MIN_NGRAMS or len(set(tokens)) > len(tokens) - LOOP_SHARE * n:
        return False
    grams = {tuple(tokens[i : i + LOOP_N]) for i in range(n)}
    return 1.0 - len(grams) / n >= LOOP_SHARE
