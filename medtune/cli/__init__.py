"""The ``medtune`` command line: thin Typer commands over the library."""
