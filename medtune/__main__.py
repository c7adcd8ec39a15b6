"""``python -m medtune`` = the ``medtune`` command (used by torchrun relaunches)."""

from medtune.cli.app import main

main()
