"""negation.alternation: a trie regex that matches like a longest-first list of phrases."""

from __future__ import annotations

import re

from medtune.medical.negation import alternation


def test_alternation_prefers_the_longest_phrase_and_escapes_specials() -> None:
    pattern = re.compile(rf"\b(?:{alternation(['vitamin d', 'vitamin d3', 'co-amoxiclav', 'a.b', 'x'])})\b")
    found = [m.group(0) for m in pattern.finditer("vitamin d3, vitamin d, co-amoxiclav, a.b, axb, x")]
    assert found == ["vitamin d3", "vitamin d", "co-amoxiclav", "a.b", "x"]
    assert alternation([]) == ""
