"""Regenerate the shell completion scripts in this folder.

    python completions/generate.py

The scripts call back into ``medtune`` (Typer/Click's ``_MEDTUNE_COMPLETE`` protocol), so
they change only when Typer's templates do; tests/cli/test_completions.py fails when the
committed copies are stale.
"""

from __future__ import annotations

from pathlib import Path

from typer._completion_shared import get_completion_script

SHELLS = {"bash": "medtune.bash", "zsh": "_medtune", "fish": "medtune.fish"}
HERE = Path(__file__).resolve().parent


def scripts() -> dict[str, str]:
    """File name -> script text for every supported shell."""
    return {
        name: get_completion_script(prog_name="medtune", complete_var="_MEDTUNE_COMPLETE", shell=shell) + "\n"
        for shell, name in SHELLS.items()
    }


if __name__ == "__main__":
    for name, text in scripts().items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote completions/{name}")
