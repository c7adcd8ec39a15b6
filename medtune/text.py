"""Words: the one tokenisation medtune's text rules share (letters and digits, with inner
apostrophes and hyphens: "don't", "x-ray", "µg")."""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def words(text: str) -> list[str]:
    """The words of ``text``, as written."""
    return WORD.findall(text)
