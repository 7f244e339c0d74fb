"""Lets ``python -m shelf`` behave exactly like the ``shelf`` command."""

from shelf.cli import main

main()
