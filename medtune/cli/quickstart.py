"""``medtune quickstart``: the whole pipeline on the bundled sample and a tiny model."""

from __future__ import annotations

from medtune.cli.options import not_landed


def quickstart() -> None:
    """Run prepare -> tiny model -> train -> eval -> analyze offline on the CPU.

    Example: medtune quickstart --workdir /tmp/medtune-demo
    """
    not_landed("quickstart", "issue #2")
