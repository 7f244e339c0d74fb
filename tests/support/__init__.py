"""What the tests share that is not a fixture: paths, papers, the command, the app, a fake arXiv.

``pyproject.toml`` puts ``tests/`` on ``sys.path`` (``pythonpath = ["tests"]``),
so any test imports these as ``from support.paths import PAGE_COPY``. The
fixtures themselves (an isolated home, an empty library, the page library)
live in ``tests/conftest.py``.

- ``paths``: the repository's files the tests read (fixtures, golden files, the README).
- ``papers``: putting papers into a library the way users do, through a file.
- ``commands``: the installed ``shelf`` command as a real process, or on a pseudo-terminal.
- ``cli_runner``: ``shelf`` in-process through click's test runner.
- ``tui``: waiting for the app to settle, and reading what it shows.
- ``arxiv_stub``: a local stand-in for the arXiv API on 127.0.0.1.
"""
