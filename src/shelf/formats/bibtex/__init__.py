"""BibTeX and BibLaTeX: files read into papers, and the library written back as BibTeX.

``reader`` splits and evaluates a file (``values`` evaluates BibTeX values,
``latex`` turns LaTeX into Unicode, ``names`` splits author lists); ``writer``
writes entries with stable citation keys.
"""

from shelf.formats.bibtex.reader import read, sniff
from shelf.formats.bibtex.writer import chunks, citation_keys, escape, write

__all__ = ["chunks", "citation_keys", "escape", "read", "sniff", "write"]
